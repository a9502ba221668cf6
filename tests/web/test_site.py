"""``hrh-lessons site``: the whole observatory as static files that work opened from disk.

The site of the bundled registry is built once per session (English at the top, French under
``fr/``), through the command line; then every page is crawled: every internal link must name a
file that exists, and no page may load anything from another site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from hrhlessons.cli import app
from hrhlessons.share.site import file_name, normalise, relative

pytestmark = pytest.mark.slow

CASE = "eth-health-extension-programme"
ATTR = re.compile(r'\s(href|src|action)="([^"]*)"')


@pytest.fixture(scope="session")
def site(web_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("site")
    url = web_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["site", "--out", str(out), "--db", url, "--lang", "en,fr"])
    assert result.exit_code == 0, result.output
    assert "pages and" in result.output
    yield out


def test_file_names_and_relative_links() -> None:
    assert normalise("/cases?domain=x&lang=fr") == ("/cases?domain=x", "fr")
    assert normalise("/adapt/MWI/pilot/x?political_champion=yes") == ("/adapt", None)
    assert normalise("https://example.org/") is None and normalise("#top") is None
    assert file_name("/", "text/html") == "index.html"
    assert file_name(f"/cases/{CASE}", "text/html") == f"cases/{CASE}/index.html"
    assert file_name("/cases?domain=x", "text/html").startswith("cases/filter-domain-x-")
    assert file_name("/api/v1/cases/x", "application/json") == "api/v1/cases/x.json"
    assert file_name("/synthesis/brief.html", "text/html") == "synthesis/brief.html"
    assert relative("index.html", f"cases/{CASE}/index.html") == "../../index.html"


def test_site_holds_every_part_of_the_observatory(site: Path, web_engine: Engine) -> None:
    from hrhlessons.store import repo

    for path in ("index.html", "cases/index.html", f"cases/{CASE}/index.html",
                 "countries/index.html", "countries/MWI/index.html", "synthesis/index.html",
                 "data/index.html", "data/cases.csv", "data/hrh-lessons-cases.zip",
                 "static/style.css", "fr/index.html", f"fr/cases/{CASE}/index.html"):
        assert (site / path).is_file(), path
    n_cases = repo.count_cases(web_engine)
    assert len(list((site / "cases").glob("*/index.html"))) == n_cases
    assert '<html lang="fr">' in (site / "fr/index.html").read_text(encoding="utf-8")
    listing = (site / "cases/index.html").read_text(encoding="utf-8")
    assert listing.count('class="hit"') == n_cases  # a static list holds every case
    assert "need the live web app" in listing


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_internal_link_resolves_to_a_file(site: Path) -> None:
    pages = _pages(site)
    assert len(pages) > 500
    missing: list[tuple[str, str]] = []
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for _attr, raw in ATTR.findall(text):
            link = raw.replace("&amp;", "&")
            if not link or link.startswith(("#", "http://", "https://", "mailto:", "data:")):
                continue
            assert not link.startswith("/"), (page, link)  # no absolute path is left
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            checked += 1
            if not target.is_file():
                missing.append((str(page.relative_to(site)), link))
    assert checked > 10_000
    assert missing == [], missing[:20]


def test_no_page_loads_anything_from_another_site(site: Path) -> None:
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assets = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', text)
        assert not [a for a in assets if re.match(r"(https?:)?//", a)], page
        assert "<form" not in text, page  # forms need the live app; the copy says so


@pytest.mark.browser
def test_static_site_opens_from_disk_in_chromium(site: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto((site / "index.html").as_uri())
    colour = page.evaluate("getComputedStyle(document.querySelector('header.site'))"
                           ".backgroundColor")
    assert colour == "rgb(18, 53, 91)"  # the style sheet loaded from disk
    page.click("text=Why did community health worker programmes die out?")
    page.wait_for_selector("#s-die")
    assert page.url.startswith("file://") and "/synthesis/filter-domain-community_health" \
        in page.url
    assert page.locator("#s-die ~ div table.findings tbody tr").count() >= 3
    shot = page.screenshot(full_page=False)
    keep = Path("/tmp/hrh-web-screenshots")
    keep.mkdir(exist_ok=True)
    (keep / "static-synthesis.png").write_bytes(shot)
    page.click("table.findings tbody tr >> nth=0 >> details.cases summary")
    page.click("table.findings tbody tr >> nth=0 >> details.cases a >> nth=0")
    page.wait_for_selector("#facts-h")
    assert "/cases/" in page.url and page.url.endswith("/index.html")
    context.close()
