"""Pages render from the bundled registry, link their numbers, stay light, speak French."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hrhlessons import registry

CASE = "eth-health-extension-programme"
PAGES = ["/", "/cases", "/cases?q=rural+retention&status=active", f"/cases/{CASE}",
         "/countries", "/countries/MWI", "/project", "/synthesis",
         "/synthesis?domain=community_health_workers", "/adapt", "/adapt?country=MWI",
         "/adapt/MWI/pilot/mwi-health-surveillance-assistants", "/data", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_landmarks(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    html = r.text
    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert '<main id="main"' in html and "<h1>" in html
    assert 'aria-label="Language"' in html
    # No asset from another site: everything the page loads is ours.
    for src in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src


def test_home_counts_link_to_their_cases(client: TestClient) -> None:
    html = client.get("/").text
    assert 'class="map"' in html and html.count("<path ") > 150
    assert re.search(r'<a href="/cases\?domain=community_health_workers">\d+</a>', html)
    assert re.search(r'<a href="/cases\?status=ended">\d+</a>', html)
    assert re.search(r'<a href="/cases\?region=AFR">\d+</a>', html)
    assert '<a href="/cases?country=MWI" tabindex="-1">' in html


def test_case_browser_paginates_and_keeps_filters(client: TestClient) -> None:
    html = client.get("/cases?status=active&limit=10").text
    assert re.search(r"1–10 of \d+ cases", html)
    assert 'rel="next" href="/cases?status=active&amp;limit=10&amp;offset=10"' in html
    assert 'value="active" checked' in html
    empty = client.get("/cases?q=zzzzqqq").text
    assert "No case matches" in empty


def test_case_browser_rejects_bad_facet_with_a_422_page(client: TestClient) -> None:
    r = client.get("/cases?domain=astrology")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "<code>domain</code>" in r.text


def test_case_page_cites_sources_beside_facts(client: TestClient) -> None:
    html = client.get(f"/cases/{CASE}").text
    facts = html.split('id="facts-h"')[1].split("</dl>")[0]
    assert re.search(r'Start year</dt>\s*<dd>\d{4} <a class="ref" href="#source-\d+"', facts)
    assert 'id="source-1"' in html
    for section in ("Timeline", "Conditions", "Outcomes by building block", "Lessons",
                    "Similar innovations"):
        assert section in html
    similar = html.split('id="sim-h"')[1]
    assert similar.count('class="hit"') >= 1
    assert f'href="/cases/{CASE}"' not in similar
    # The fact-check log names this bundled record: the sources section says when it was checked.
    check = registry.bundled_fact_check(CASE)
    assert check is not None
    assert f"checked against these sources on {check.checked_on.isoformat()}" in html
    assert client.get(f"/api/v1/cases/{CASE}").json()["bundled_fact_check"] == check.to_dict()


def test_case_page_is_light(client: TestClient) -> None:
    html = client.get(f"/cases/{CASE}")
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html.text)
    total = len(html.content) + sum(len(client.get(a).content) for a in assets)
    assert assets == ["/static/style.css"]
    assert "<script" not in html.text
    assert total < 300_000, total


def test_unknown_case_and_country_pages_are_404(client: TestClient) -> None:
    r = client.get("/cases/no-such-case")
    assert r.status_code == 404 and "no-such-case" in r.text
    assert client.get("/countries/QQQ").status_code == 404


def test_country_page_gives_years_sources_thresholds(client: TestClient) -> None:
    html = client.get("/countries/MWI").text
    assert "<h1>Malawi" in html
    assert 'role="img"' in html and "<polyline" in html
    assert "SDG threshold 44.5" in html and "WHR 2006 threshold 22.8" in html
    assert re.search(r"<strong>[\d.]+</strong> <span class=\"small\">\(\d{4}; "
                     r"<a href=\"#data\">WHO GHO, HWF_0001", html)
    assert 'href="/cases?country=MWI"' in html
    assert "Low income" in html and "Africa" in html


def test_country_without_data_says_so(client: TestClient) -> None:
    # Anguilla: a WHO reporting territory without workforce densities in the bundled data.
    html = client.get("/countries/AIA").text
    assert "WHO gives no figure" in html
    assert "no CHW count" in html


def test_country_csv(client: TestClient) -> None:
    r = client.get("/countries/MWI.csv")
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0] == "iso3,series,year,per_10000,source"
    assert any(line.startswith("MWI,doctors,") for line in lines)


PROJECT = ("/project?country=MWI&cadre=nurses_midwives&intake=4000&duration=3&completion=0.85"
           "&attrition=0.05&start=2020&end=2035&target_density=10&draws=300&seed=1")


def test_projection_page_and_csv(client: TestClient) -> None:
    html = client.get(PROJECT).text
    assert "<polygon" in html  # the fan chart's bands
    assert html.count("<tr><th scope=\"row\">20") == 16
    assert 'href="/project.csv?country=MWI' in html
    csv_text = client.get(PROJECT.replace("/project?", "/project.csv?")).text
    rows = csv_text.splitlines()
    assert rows[0].startswith("country,cadre,year,intake,graduates,stock,population,density")
    assert "density_p50" in rows[0]
    assert len(rows) == 17 and rows[1].startswith("MWI,nurses_midwives,2020,")


def test_projection_form_shows_errors_beside_fields(client: TestClient) -> None:
    r = client.get("/project?country=MWI&intake=100&duration=3&completion=2&attrition=0.05")
    assert r.status_code == 422
    assert 'id="f-completion"' in r.text and 'aria-invalid="true" aria-describedby="e-completion"' \
        in r.text
    assert client.get("/project").status_code == 200  # an empty form is not an error


def test_data_downloads(client: TestClient) -> None:
    html = client.get("/data").text
    for text in ("CC BY 4.0", "CC BY-NC-SA 3.0 IGO", "How to cite"):
        assert text in html
    csv_text = client.get("/data/cases.csv").text
    assert csv_text.splitlines()[0].startswith("id,")
    assert client.get("/data/cases.json").json()
    import io
    import zipfile

    z = zipfile.ZipFile(io.BytesIO(client.get("/data/hrh-lessons-cases.zip").content))
    names = z.namelist()
    assert "hrh-lessons-cases/datapackage.json" in names
    assert "hrh-lessons-cases/cases.csv" in names
    assert client.get("/data/countries/indicators.csv").text.startswith("iso3,indicator")


def test_search_csv_holds_every_match(client: TestClient) -> None:
    total = client.get("/api/v1/cases?region=AFR").json()["total"]
    rows = client.get("/cases.csv?region=AFR&limit=5").text
    import csv
    import io

    assert len(list(csv.DictReader(io.StringIO(rows)))) == total


def test_synthesis_crosstab_links_counts_to_cases(client: TestClient) -> None:
    html = client.get("/synthesis").text
    assert "Status by main funder" in html
    assert re.search(r'<a href="/cases\?funding=government&amp;status=active">\d+</a>', html)
    assert "Not available yet." not in html

def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "GET /api/v1/cases" in html
    assert 'id="problem-not-found"' in html
    assert "cdn" not in html.lower()
