"""The JSON API: filters, pagination, ETags, problem details."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hrhlessons.store.search import SearchQuery, search


def test_cases_lists_with_total_and_links(client: TestClient) -> None:
    r = client.get("/api/v1/cases", params={"limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 200
    assert body["count"] == 5 and len(body["results"]) == 5
    assert body["links"]["prev"] is None
    assert body["links"]["next"] == "/api/v1/cases?limit=5&offset=5"
    second = client.get(body["links"]["next"]).json()
    assert second["links"]["prev"] == "/api/v1/cases?limit=5"
    first_ids = {h["id"] for h in body["results"]}
    assert first_ids.isdisjoint({h["id"] for h in second["results"]})


def test_last_page_has_no_next(client: TestClient) -> None:
    total = client.get("/api/v1/cases", params={"limit": 1}).json()["total"]
    body = client.get("/api/v1/cases", params={"limit": 10, "offset": total - 3}).json()
    assert body["count"] == 3
    assert body["links"]["next"] is None


def test_filters_match_the_library_search(client: TestClient, web_engine) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/cases?status=ended&status=not_implemented&region=AFR&limit=100")
    body = r.json()
    expected = search(web_engine, SearchQuery(status=("ended", "not_implemented"),
                                              region=("AFR",), limit=100))
    assert body["total"] == expected.total > 0
    assert [h["id"] for h in body["results"]] == [h.case.id for h in expected.hits]
    assert all(h["status"] in ("ended", "not_implemented") for h in body["results"])


def test_text_search_and_country_facet(client: TestClient) -> None:
    body = client.get("/api/v1/cases", params={"q": "health extension", "country": "eth"}).json()
    ids = [h["id"] for h in body["results"]]
    assert "eth-health-extension-programme" in ids
    assert all("ETH" in h["countries"] for h in body["results"])


def test_case_record_with_sources(client: TestClient) -> None:
    r = client.get("/api/v1/cases/eth-health-extension-programme")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "eth-health-extension-programme"
    assert body["sources"] and body["source_numbers"]["start_year"]
    assert all(n >= 1 for n in body["source_numbers"]["start_year"])
    assert body["links"]["html"] == "/cases/eth-health-extension-programme"


def test_unknown_case_is_a_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/cases/no-such-case")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 404 and body["title"] == "Not found"
    assert body["type"] == "/docs#problem-not-found"
    assert "no-such-case" in body["detail"]


def test_bad_parameters_are_a_422_naming_each_field(client: TestClient) -> None:
    r = client.get("/api/v1/cases?status=bogus&limit=0&from_year=abc&country=MALAWI")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    names = {p["name"] for p in body["invalid_params"]}
    assert names == {"status", "limit", "from_year", "country"}
    assert all(p["reason"] for p in body["invalid_params"])
    assert "status" in body["detail"]


def test_year_range_must_be_ordered(client: TestClient) -> None:
    r = client.get("/api/v1/cases?from_year=2010&to_year=2000")
    assert r.status_code == 422
    assert [p["name"] for p in r.json()["invalid_params"]] == ["to_year"]


def test_etag_and_304(client: TestClient, uncached_client: TestClient) -> None:
    for c in (client, uncached_client):
        r = c.get("/api/v1/cases?limit=3")
        tag = r.headers["etag"]
        assert tag.startswith('W/"')
        again = c.get("/api/v1/cases?limit=3", headers={"If-None-Match": tag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == tag
        other = c.get("/api/v1/cases?limit=3", headers={"If-None-Match": 'W/"nope"'})
        assert other.status_code == 200 and other.json()["count"] == 3
    # Pages have ETags too, and the same answer with and without the response cache.
    a = client.get("/cases/eth-health-extension-programme").headers["etag"]
    b = uncached_client.get("/cases/eth-health-extension-programme").headers["etag"]
    assert a == b


def test_countries(client: TestClient) -> None:
    body = client.get("/api/v1/countries").json()
    rows = {r["iso3"]: r for r in body["results"]}
    assert body["total"] == len(rows) > 150
    mwi = rows["MWI"]
    assert mwi["who_region"] == "AFR" and mwi["cases"] > 0
    assert mwi["doctors"]["year"] > 2000 and mwi["doctors"]["value"] > 0


def test_country_detail_and_unknown_code(client: TestClient) -> None:
    body = client.get("/api/v1/countries/mwi").json()
    assert body["iso3"] == "MWI" and body["name"] == "Malawi"
    assert body["series"]["doctors"] and body["sdg_threshold"] == 44.5
    assert body["cases"]
    r = client.get("/api/v1/countries/XYZ")
    assert r.status_code == 404 and r.json()["status"] == 404


PROJECT = {"country": "MWI", "cadre": "nurses_midwives", "intake": 4000, "duration": 3,
           "completion": 0.85, "attrition": 0.05, "start": 2020, "end": 2035,
           "target_density": 10}


def test_project_api(client: TestClient) -> None:
    body = client.get("/api/v1/project", params=PROJECT).json()
    assert body["years"][0] == 2020 and body["years"][-1] == 2035
    assert len(body["density"]) == 16
    assert body["stock"][-1] > body["stock"][0]
    assert body["density"][-1] > body["density"][0]
    assert body["required_intake"] is not None
    assert body["source"]["indicator"] == "HWF_0006"
    with_draws = client.get("/api/v1/project", params={**PROJECT, "draws": 200, "seed": 3}).json()
    assert with_draws["draws"] == 200
    assert all(lo <= mid <= hi for lo, mid, hi in zip(with_draws["density_p10"],
                                                      with_draws["density_p50"],
                                                      with_draws["density_p90"], strict=True))
    again = client.get("/api/v1/project", params={**PROJECT, "draws": 200, "seed": 3}).json()
    assert again["density_p50"] == with_draws["density_p50"]


def test_project_api_names_bad_parameters(client: TestClient) -> None:
    r = client.get("/api/v1/project", params={**PROJECT, "completion": 1.5, "duration": "x"})
    assert r.status_code == 422
    names = {p["name"] for p in r.json()["invalid_params"]}
    assert names == {"completion", "duration"}
    missing = client.get("/api/v1/project", params={"country": "MWI"})
    assert missing.status_code == 422
    assert {p["name"] for p in missing.json()["invalid_params"]} == {
        "intake", "duration", "completion", "attrition"}


def test_openapi_lists_operations_and_parameters(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/countries",
                 "/api/v1/countries/{iso3}", "/api/v1/project"):
        assert path in paths
    names = {p["name"] for p in paths["/api/v1/cases"]["get"]["parameters"]}
    assert {"q", "status", "country", "limit", "offset", "sort"} <= names
    assert "/cases" not in paths  # pages are not API operations


def test_openapi_country_pattern_is_an_ecma_pattern(client: TestClient) -> None:
    # JSON Schema patterns are ECMA-262: Python's `\Z` would there match a literal "Z".
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"]}
    pattern = params["country"]["schema"]["items"]["pattern"]
    assert "\\Z" not in pattern and "\\A" not in pattern
    assert all(re.search(pattern, code) for code in ("MWI", "mwi"))
    assert not any(re.search(pattern, code) for code in ("MW", "MWIZ", "M1I"))
