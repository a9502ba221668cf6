"""The map asset and the choropleth."""

from __future__ import annotations

import re

from hrhlessons.web import worldmap


def test_join_never_glues_two_numbers_into_one() -> None:
    assert worldmap._join(["0", ".1", "-.5", ".2", "3"]) == "0 .1-.5.2 3"
    assert worldmap._join(["1.5", ".5"]) == "1.5.5"


def test_asset_has_countries_by_iso3() -> None:
    data = worldmap.shapes()
    codes = {iso3 for iso3, _name, _d in data["shapes"]}
    assert {"MWI", "ETH", "BRA", "IND", "XKX"} <= codes
    for _iso3, _name, d in data["shapes"]:
        assert re.fullmatch(r"(M[\d.]+ [\d.]+l[-\d. ]+z)+", d)


def test_bins_cover_every_count() -> None:
    counts = {"A": 1, "B": 2, "C": 7, "D": 24}
    classes = worldmap.bins(counts)
    assert len(classes) <= len(worldmap.SCALE)
    for n in counts.values():
        assert sum(low <= n <= high for low, high in classes) == 1
    assert worldmap.bins({}) == []


def test_choropleth_links_only_countries_with_cases() -> None:
    svg = str(worldmap.choropleth({"MWI": 3}, link=lambda c: f"/x/{c}",
                                  title=lambda c, n, k: f"{n}: {k}", label="map"))
    assert svg.count("<a ") == 1 and 'href="/x/MWI"' in svg
    assert 'aria-hidden="true"' in svg
