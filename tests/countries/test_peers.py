"""Peer countries on a small hand-made reference, with the distances worked out by hand."""

from __future__ import annotations

import math

import pytest

from hrhlessons.cases.model import Case
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.peers import find_peers, peer_space, similarity
from hrhlessons.countries.tables import CountryMeta, Observation
from hrhlessons.errors import UnknownCountry

E = math.e


def _meta(iso3: str, region: str | None, income: str | None) -> CountryMeta:
    return CountryMeta(iso3, f"Country {iso3}", region, None, None, income, None)


def _obs(iso3: str, doctors: float, nurses: float, pop: float) -> list[Observation]:
    return [Observation(iso3, "HWF_0001", 2020, doctors),
            Observation(iso3, "HWF_0006", 2020, nurses), Observation(iso3, "POP", 2020, pop)]


@pytest.fixture
def ref() -> CountryReference:
    # ln doctors: 0, 0, 2, 1; ln nurses: ln 10 + the same; income L L UM LM = 0 0 2 1;
    # ln population: ln 1e6 + 0, 0, 0, 2. EEE has a region only.
    meta = [_meta("AAA", "AFR", "L"), _meta("BBB", "AFR", "L"), _meta("CCC", "AMR", "UM"),
            _meta("DDD", "AFR", "LM"), _meta("EEE", "AFR", None)]
    obs = (_obs("AAA", 1.0, 10.0, 1e6) + _obs("BBB", 1.0, 10.0, 1e6)
           + _obs("CCC", E**2, 10 * E**2, 1e6) + _obs("DDD", E, 10 * E, 1e6 * E**2))
    return CountryReference(meta, obs)


# Standard deviations (ddof=0) worked by hand: the three features 0, 0, 2, 1 have mean 0.75 and
# variance (0.5625 + 0.5625 + 1.5625 + 0.0625) / 4 = 0.6875; population 0, 0, 0, 2 has mean 0.5
# and variance (0.25 * 3 + 2.25) / 4 = 0.75. Weights 1, 1, 1, 1 (region), 0.5 (population).
SD3 = math.sqrt(0.6875)
SD_POP = math.sqrt(0.75)


def test_standard_deviations_match_the_hand_computation(ref: CountryReference) -> None:
    space = peer_space(ref)
    assert space.sd == pytest.approx((SD3, SD3, SD3, SD_POP))


def test_distance_to_a_country_in_another_region_and_income_group(ref: CountryReference) -> None:
    # AAA-CCC: three features 2 apart, other region (1), same population (0).
    expected = math.sqrt((3 * (2 / SD3) ** 2 + 1.0 + 0.5 * 0.0) / 4.5)
    assert expected == pytest.approx(2.02509, abs=1e-4)
    space = peer_space(ref)
    assert space.distance("AAA", "CCC") == pytest.approx(expected)
    assert space.distances_from("AAA")["CCC"] == pytest.approx(expected)


def test_distance_to_a_country_in_the_same_region(ref: CountryReference) -> None:
    # AAA-DDD: three features 1 apart, same region, population 2 apart (weight 0.5).
    expected = math.sqrt((3 * (1 / SD3) ** 2 + 0.0 + 0.5 * (2 / SD_POP) ** 2) / 4.5)
    space = peer_space(ref)
    assert space.distance("AAA", "DDD") == pytest.approx(expected)
    assert space.distance("DDD", "AAA") == pytest.approx(expected)


def test_identical_context_is_distance_zero_and_similarity_one(ref: CountryReference) -> None:
    space = peer_space(ref)
    assert space.distance("AAA", "BBB") == 0.0
    assert similarity(0.0) == 1.0
    assert similarity(1.0) == 0.5
    assert similarity(None) is None


def test_too_few_shared_features_gives_no_distance(ref: CountryReference) -> None:
    space = peer_space(ref)
    assert space.distance("AAA", "EEE") is None  # only the region is known for EEE
    assert space.distances_from("AAA")["EEE"] is None


def _case(cid: str, country: str, status: str, factors: list[str] | None = None) -> Case:
    return Case.model_validate({
        "id": cid, "name": cid, "countries": [country], "level": "national",
        "domain": "community_health_workers", "description": "d", "status": status,
        "end_year": 2010 if status == "ended" else None, "start_year": 2000,
        "failure_factors": factors or [], "sources": [{"title": "s", "url": "https://x.org"}],
    })


def test_peers_are_ranked_with_reasons_and_cases(ref: CountryReference) -> None:
    cases = [_case("bbb-works", "BBB", "active"), _case("ddd-ended", "DDD", "ended"),
             _case("ddd-unknown", "DDD", "unknown")]
    result = find_peers(ref, "aaa", cases, k=3)
    assert [p.iso3 for p in result.peers] == ["BBB", "DDD", "CCC"]
    bbb, ddd, ccc = result.peers
    assert bbb.worked == ("bbb-works",) and bbb.failed == ()
    assert ddd.failed == ("ddd-ended",) and ddd.other == ("ddd-unknown",)
    # BBB is close on everything; DDD only shares the region (1/SD3 = 1.2 sd > 0.5 apart).
    assert len(bbb.close) == 5
    assert ddd.close == ("same WHO region (AFR)",)
    assert ccc.close == ("population: 1,000,000 (2020) here vs 1,000,000 (2020) in AAA",)
    assert result.not_comparable == ("EEE",)
    assert result.compared == 3
    d = result.to_dict()
    assert [f["weight"] for f in d["features"]] == [1.0, 1.0, 1.0, 1.0, 0.5]
    assert d["peers"][0]["similarity"] == 1.0
    assert list(result.to_frame()["iso3"]) == ["BBB", "DDD", "CCC"]


def test_k_limits_the_peers(ref: CountryReference) -> None:
    assert [p.iso3 for p in find_peers(ref, "AAA", k=1).peers] == ["BBB"]


def test_unknown_country_is_refused(ref: CountryReference) -> None:
    with pytest.raises(UnknownCountry, match="ZZZ"):
        find_peers(ref, "ZZZ")


def test_bundled_malawi_peers_are_low_income_african_countries() -> None:
    from hrhlessons.reference import load_reference

    ref = load_reference()
    result = find_peers(ref, "MWI", k=5)
    assert len(result.peers) == 5
    for p in result.peers:
        meta = ref.meta(p.iso3)
        assert meta.who_region == "AFR" and meta.income_group == "L"
        assert p.distance < 1.0
    distances = [p.distance for p in result.peers]
    assert distances == sorted(distances)
