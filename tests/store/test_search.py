"""Search: ranking, stemming, facets, year range, paging and sorting, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from hrhlessons.cases.records import Batch
from hrhlessons.store import repo
from hrhlessons.store.search import SearchQuery, facet_tokens, search

REGIONS = {"MWI": ("Malawi", "AFR", "L"), "THA": ("Thailand", "SEAR", "UM"),
           "ETH": ("Ethiopia", "AFR", "L"), "BRA": ("Brazil", "AMR", "UM")}


@pytest.fixture
def loaded(engine: Engine, bundled_batch: Batch) -> Engine:
    repo.sync_countries(engine, REGIONS)
    repo.import_batch(engine, bundled_batch)
    return engine


def _ids(engine: Engine, **kw: object) -> list[str]:
    return [h.case.id for h in search(engine, SearchQuery(limit=1000, **kw)).hits]  # type: ignore[arg-type]


def test_text_search_ranks_name_matches_first(loaded: Engine) -> None:
    result = search(loaded, SearchQuery(text="health extension", limit=5))
    top = result.hits[0].case.name.lower()
    assert "health" in top and "extension" in top
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_every_hit_contains_every_word_stemmed(loaded: Engine, bundled_batch: Batch) -> None:
    ids = set(_ids(loaded, text="rural retention"))
    assert ids
    for case in bundled_batch.cases:
        hay = " ".join([case.name, case.description, *case.success_factors,
                        *case.failure_factors, *case.lessons]).lower()
        if case.id in ids:
            assert "rural" in hay and ("retent" in hay or "retain" in hay), case.id


def test_facets_filter_and_combine(loaded: Engine, bundled_batch: Batch) -> None:
    ended = {c.id for c in bundled_batch.cases if c.status.value == "ended"}
    chw = {c.id for c in bundled_batch.cases if c.domain.value == "community_health_workers"}
    assert set(_ids(loaded, status=("ended",))) == ended
    assert set(_ids(loaded, status=("ended",), domain=("community_health_workers",))) == (
        ended & chw)
    with_text = set(_ids(loaded, text="community", status=("ended",)))
    assert with_text and with_text <= ended
    mwi = {c.id for c in bundled_batch.cases if "MWI" in c.countries}
    assert set(_ids(loaded, country=("mwi",))) == mwi
    afr = {c.id for c in bundled_batch.cases if {"MWI", "ETH"} & set(c.countries)}
    assert set(_ids(loaded, region=("AFR",))) == afr
    assert set(_ids(loaded, text="health", region=("AFR",))) <= afr
    assert set(_ids(loaded, income=("UM",))) == {
        c.id for c in bundled_batch.cases if {"THA", "BRA"} & set(c.countries)}


def test_intervention_and_building_block_facets(loaded: Engine, bundled_batch: Batch) -> None:
    bonded = {c.id for c in bundled_batch.cases
              if "bonded_scholarship" in [i.value for i in c.interventions]}
    assert set(_ids(loaded, intervention=("bonded_scholarship",))) == bonded
    sd = {c.id for c in bundled_batch.cases
          if "service_delivery" in [b.value for b in c.building_blocks]}
    assert set(_ids(loaded, building_block=("service_delivery",))) == sd
    both = set(_ids(loaded, text="rural", intervention=("bonded_scholarship",)))
    assert both <= bonded


def test_year_range_and_sorting(loaded: Engine) -> None:
    hits = search(loaded, SearchQuery(from_year=1990, to_year=2000, sort="start_year",
                                      limit=500)).hits
    years = [h.case.start_year for h in hits]
    assert years and all(1990 <= y <= 2000 for y in years if y is not None)
    assert years == sorted(years)  # type: ignore[type-var]
    text_hits = search(loaded, SearchQuery(text="nurses", from_year=2005,
                                           sort="-start_year", limit=500)).hits
    ys = [h.case.start_year for h in text_hits]
    assert ys == sorted(ys, reverse=True)  # type: ignore[type-var]
    assert all(y is not None and y >= 2005 for y in ys)


def test_paging_is_consistent(loaded: Engine) -> None:
    full = _ids(loaded, text="health")
    pages = []
    for offset in range(0, len(full), 7):
        pages += [h.case.id for h in search(
            loaded, SearchQuery(text="health", limit=7, offset=offset)).hits]
    assert pages == full
    assert search(loaded, SearchQuery(text="health", limit=3)).total == len(full)


def test_no_match_relaxes_to_any_word(loaded: Engine) -> None:
    result = search(loaded, SearchQuery(text="barefoot zzzyqx"))
    assert result.relaxed and result.total >= 1
    assert result.hits[0].case.id == "chn-barefoot-doctors"
    assert search(loaded, SearchQuery(text="zzzyqx")).total == 0


def test_query_syntax_is_not_injected(loaded: Engine) -> None:
    for text in ['"', "AND OR NOT", "name:(x", "*", "'; drop table cases; --", "NEAR(a b)"]:
        search(loaded, SearchQuery(text=text))  # must not raise
    assert repo.count_cases(loaded) > 0


def test_phrase_search(loaded: Engine) -> None:
    phrase = set(_ids(loaded, text='"clinical officers"'))
    words = set(_ids(loaded, text="clinical officers"))
    assert phrase and phrase <= words


def test_facet_tokens_are_one_word_per_value(bundled_batch: Batch) -> None:
    case = next(c for c in bundled_batch.cases if c.id == "eth-health-extension-programme")
    tokens = facet_tokens(case, {"ETH": ("AFR", "L")}).split()
    assert "fdomcommunityhealthworkers" in tokens and "fregafr" in tokens
    assert "finc" + "l" in tokens and "fctryeth" in tokens


def test_country_facts_resync_only_when_they_change(loaded: Engine) -> None:
    assert repo.sync_countries(loaded, REGIONS) is False  # same rows: nothing rewritten
    eth = set(_ids(loaded, country=("ETH",)))
    assert eth and not set(_ids(loaded, text="health", region=("EMR",))) & eth
    moved = {**REGIONS, "ETH": ("Ethiopia", "EMR", "L")}
    assert repo.sync_countries(loaded, moved) is True
    assert set(_ids(loaded, region=("EMR",))) == eth          # SQL facet path
    health_eth = set(_ids(loaded, text="health", country=("ETH",)))
    assert set(_ids(loaded, text="health", region=("EMR",))) == health_eth  # FTS path


FACET_COMBOS: list[dict[str, tuple[str, ...]]] = [
    {"status": ("ended",), "level": ("national",)},
    {"domain": ("community_health_workers", "task_sharing"), "status": ("active", "ended")},
    {"status": ("active",), "funding": ("donor", "mixed"), "level": ("national",)},
    {"region": ("AFR",), "income": ("L",), "status": ("active",)},
    {"domain": ("education_training",), "intervention": ("bonded_scholarship", "new_cadre")},
    # 4 x 5 combinations exceed MAX_PAIR_TERMS: single tokens are used for the first facet
    {"status": ("active", "ended", "unknown", "not_implemented"),
     "trajectory": ("expanded", "stable", "contracted", "replaced", "unknown"),
     "funding": ("government",)},
]


@pytest.mark.parametrize("facets", FACET_COMBOS)
def test_text_with_facets_equals_text_and_facets_apart(loaded: Engine,
                                                       facets: dict[str, tuple[str, ...]]) -> None:
    # Text + facets runs as one FTS5 match (with pair tokens) on SQLite; facets alone run as
    # SQL filters. Both must select the same cases.
    together = set(_ids(loaded, text="health", **facets))
    apart = set(_ids(loaded, text="health")) & set(_ids(loaded, **facets))
    assert together == apart
    query = SearchQuery(text="health", limit=3, **facets)  # type: ignore[arg-type]
    assert search(loaded, query).total == len(apart)


def test_facet_pairs_are_indexed(bundled_batch: Batch) -> None:
    case = next(c for c in bundled_batch.cases if c.id == "eth-health-extension-programme")
    tokens = facet_tokens(case, {"ETH": ("AFR", "L")}).split()
    assert "fdomcommunityhealthworkersxfstatactive" in tokens
    assert "fregafrxfincl" in tokens
    assert not any("fctry" in tok and "x" in tok for tok in tokens)   # countries not paired


def test_total_survives_an_empty_page(loaded: Engine) -> None:
    full = search(loaded, SearchQuery(text="health", limit=5))
    past = search(loaded, SearchQuery(text="health", limit=5, offset=full.total + 10))
    assert past.hits == [] and past.total == full.total > 5
    by_name = search(loaded, SearchQuery(text="health", limit=5, sort="name", from_year=1990))
    assert by_name.total == len(_ids(loaded, text="health", from_year=1990))
    names = [h.case.name for h in by_name.hits]
    assert names == sorted(names)
