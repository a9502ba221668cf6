"""Languages: catalogs on disk, choice per request, French pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from hrhlessons.web import i18n


def test_languages_are_the_catalogs_on_disk(tmp_path: Path) -> None:
    assert i18n.available_languages() == ("en", "fr")
    shutil.copytree(i18n.locale_dir(), tmp_path, dirs_exist_ok=True)
    shutil.copytree(tmp_path / "fr", tmp_path / "pt")
    assert i18n.available_languages(tmp_path) == ("en", "fr", "pt")
    assert i18n.language_name("pt") == "Português"


def test_switcher_lists_a_new_catalog(web_engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hrhlessons.web.app import create_app

    shutil.copytree(i18n.locale_dir(), tmp_path, dirs_exist_ok=True)
    shutil.copytree(tmp_path / "fr", tmp_path / "pt")
    with TestClient(create_app(web_engine, locale_root=tmp_path)) as c:
        html = c.get("/?lang=pt").text
    assert 'hreflang="pt"' in html and '<html lang="pt">' in html


def test_negotiation_order() -> None:
    langs = ("en", "fr")
    assert i18n.negotiate("fr", "en", "en", langs) == "fr"
    assert i18n.negotiate(None, "fr", "en", langs) == "fr"
    assert i18n.negotiate("xx", None, "de-DE,fr;q=0.8,en;q=0.5", langs) == "fr"
    assert i18n.negotiate(None, None, "fr;q=0.1, en;q=0.9", langs) == "en"
    assert i18n.negotiate(None, None, "de", langs) == "en"


def test_french_pages(client: TestClient) -> None:
    r = client.get("/countries/MWI?lang=fr")
    assert '<html lang="fr">' in r.text
    assert "Personnels de santé pour 10 000 habitants" in r.text
    assert "lang=fr" in r.headers["set-cookie"]
    home = client.get("/", cookies={"lang": "fr"}).text
    assert "Apprendre des innovations" in home
    assert "Afrique" in home
    by_header = client.get("/cases", headers={"Accept-Language": "fr-FR,fr;q=0.9"},
                           cookies={"lang": ""}).text
    assert "Rechercher" in by_header
    # French country names come from pycountry's catalog.
    assert "Éthiopie" in client.get("/cases/eth-health-extension-programme?lang=fr").text


def test_french_problem_details(client: TestClient) -> None:
    r = client.get("/api/v1/cases?limit=0", headers={"Accept-Language": "fr"})
    body = r.json()
    assert body["title"] == "Paramètres invalides"
    assert "limit" in body["detail"]


def _strings(value: object) -> list[str]:
    return list(value) if isinstance(value, tuple | list) else [str(value or "")]


def test_every_catalog_translates_every_message() -> None:
    from babel.messages.pofile import read_po

    root = i18n.locale_dir()
    template = read_po((root / "hrhlessons.pot").open("rb"))
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    for lang in i18n.available_languages():
        catalog = read_po((root / lang / "LC_MESSAGES" / "hrhlessons.po").open("rb"))
        done = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                if m.id and all(_strings(m.string))}
        assert ids - done == set(), lang
