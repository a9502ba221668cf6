"""The synthesis report on the bundled registry: every claim traceable, numbers as computed."""

from __future__ import annotations

import json
import math

import pytest

from hrhlessons.cases.model import Case
from hrhlessons.factor_data import load_mapping, load_vocabulary
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.share.report import reference_lookups
from hrhlessons.synthesis.factors import synthesize_factors
from hrhlessons.synthesis.frame import cases_frame
from hrhlessons.synthesis.report import (
    SECTIONS,
    ReportOptions,
    SynthesisReport,
    build_report,
    fmt_p,
)
from hrhlessons.synthesis.survival import analyse_survival


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    batch = read_paths([bundled_cases_dir()])
    assert batch.ok
    return batch.cases


@pytest.fixture(scope="module")
def report(cases: list[Case]) -> SynthesisReport:
    region_of, income_of = reference_lookups()
    vocabulary = load_vocabulary()
    return build_report(cases, ReportOptions(), region_of=region_of, income_of=income_of,
                        vocabulary=vocabulary, mapping=load_mapping(vocabulary=vocabulary))


def test_every_factor_finding_names_cases_that_exist(report: SynthesisReport,
                                                     cases: list[Case]) -> None:
    ids = {c.id for c in cases}
    findings = report.factors.why_die_out + report.factors.survivors_share
    assert findings
    for f in findings:
        assert f.case_ids and set(f.case_ids) <= ids
        assert set(f.contrast_case_ids) <= ids
    # the factor claims carry exactly the finding's cases, and their share matches
    for rank, f in enumerate(report.factors.why_die_out[: report.options.top_factors], 1):
        claim = report.claim(f"factors.die.{rank}")
        assert claim.case_ids == f.case_ids
        assert claim.stats["n_cases"] == f.n_cases
        assert claim.confidence == f.confidence.rating.value


def test_factor_findings_equal_a_direct_synthesis(report: SynthesisReport,
                                                  cases: list[Case]) -> None:
    vocabulary = load_vocabulary()
    direct = synthesize_factors(cases, vocabulary, load_mapping(vocabulary=vocabulary),
                                report.options.factors)
    assert [f.to_dict() for f in direct.why_die_out] == [
        f.to_dict() for f in report.factors.why_die_out]


def test_every_claim_cites_real_cases_and_real_source_numbers(report: SynthesisReport,
                                                              cases: list[Case]) -> None:
    by_id = {c.id: c for c in cases}
    assert {c.section for c in report.claims} <= set(SECTIONS)
    for claim in report.claims:
        assert claim.case_ids, claim.key
        assert set(claim.named) <= set(claim.case_ids), claim.key
        assert [c.case_id for c in claim.citations] == list(claim.case_ids)
        for cite in claim.citations:
            n_sources = len(by_id[cite.case_id].sources)
            assert all(1 <= n <= n_sources for n in cite.sources), (claim.key, cite)


def test_survival_numbers_equal_a_direct_analysis(report: SynthesisReport,
                                                  cases: list[Case]) -> None:
    region_of, income_of = reference_lookups()
    frame = cases_frame(sorted(cases, key=lambda c: c.id), region_of=region_of,
                        income_of=income_of)
    direct = analyse_survival(frame, report.options.survival)
    assert report.survival is not None
    got = report.survival
    assert got.overall.n == direct.overall.n
    assert got.overall.events == direct.overall.events
    assert got.overall.survival == direct.overall.survival
    assert got.overall.case_ids == direct.overall.case_ids
    assert got.exclusions == direct.exclusions
    for comp in direct.comparisons:
        mine = got.comparison(comp.grouping)
        if comp.logrank is None:
            assert mine.logrank is None
            continue
        assert mine.logrank is not None
        assert mine.logrank.p_value == pytest.approx(comp.logrank.p_value, rel=1e-12)
    # the words say the same numbers
    overall = report.claim("survival.overall")
    assert overall.stats["n"] == direct.overall.n
    assert overall.stats["events"] == direct.overall.events
    assert f"Of {direct.overall.n} programmes" in overall.text
    for claim in report.claims_in("survival"):
        if claim.key.startswith("survival.logrank."):
            test = direct.comparison(claim.stats["grouping"]).logrank
            assert test is not None
            assert claim.stats["p_value"] == pytest.approx(test.p_value, rel=1e-12)
            assert f"log-rank {fmt_p(test.p_value)}" in claim.text
            assert f"n = {sum(test.n)}, events = {sum(test.events)}" in claim.text
            assert set(test.case_ids) <= set(claim.case_ids)
            curves = direct.comparison(claim.stats["grouping"]).curves
            assert set(claim.case_ids) == {i for cv in curves for i in cv.case_ids}


def test_excluded_cases_are_reported_by_reason(report: SynthesisReport) -> None:
    assert report.survival is not None
    excluded = [i for _, ids in report.survival.exclusions for i in ids]
    claim = report.claim("survival.excluded")
    assert sorted(claim.case_ids) == sorted(excluded)
    for reason, ids in report.survival.exclusions:
        if ids:
            assert f"{len(ids)} {reason.replace('_', ' ')}" in claim.text
    assert any("interval-censored" in n for n in report.notes["survival"])


def test_most_informative_grouping_has_the_smallest_p_among_sound_groupings(
        report: SynthesisReport) -> None:
    assert report.survival is not None and report.informative is not None
    min_n = report.options.survival.min_group_size
    sound = [c for c in report.survival.comparisons if c.logrank and c.grouping != "domain"
             and all(cv.n >= min_n for cv in c.curves)]
    chosen = report.survival.comparison(report.informative)
    assert chosen.logrank is not None
    assert chosen.logrank.p_value == min(c.logrank.p_value for c in sound if c.logrank)


def test_key_messages_and_service_delivery_first(report: SynthesisReport) -> None:
    assert 3 <= len(report.key_messages) <= 5
    assert report.key_messages[0] == "survival.overall"
    assert "outcomes.service_delivery" in report.key_messages
    outcome_keys = [c.key for c in report.claims_in("outcomes")]
    assert outcome_keys[0] == "outcomes.service_delivery"


def test_configurations_come_from_the_qca_with_cases_in_its_truth_table(
        report: SynthesisReport) -> None:
    assert report.qca is not None, report.notes["configurations"]
    kept = set(report.qca.truth_table.case_labels)
    terms = [c for c in report.claims_in("configurations") if ".term." in c.key]
    assert terms
    for claim in terms:
        assert set(claim.case_ids) <= kept
        assert 0.0 <= claim.stats["consistency"] <= 1.0


def test_report_is_json_safe(report: SynthesisReport) -> None:
    text = json.dumps(report.to_dict(), allow_nan=False)
    data = json.loads(text)
    assert data["n_cases"] == report.n_cases
    assert [c["key"] for c in data["claims"]] == [c.key for c in report.claims]
    assert data["survival"]["overall"]["n"] == report.survival.overall.n  # type: ignore[union-attr]


def test_a_subset_gives_a_report_on_that_subset_only(cases: list[Case]) -> None:
    chw = [c for c in cases if c.domain.value == "community_health_workers"]
    vocabulary = load_vocabulary()
    small = build_report(chw, ReportOptions(qca=None, selection=(("domain", ("chw",)),)),
                         vocabulary=vocabulary, mapping=load_mapping(vocabulary=vocabulary))
    assert set(small.case_ids) == {c.id for c in chw}
    assert all(set(c.case_ids) <= set(small.case_ids) for c in small.claims)
    assert small.qca is None
    assert small.notes["configurations"]
    assert not math.isnan(small.claim("survival.overall").stats["n"])


def test_no_cases_is_refused() -> None:
    with pytest.raises(ValueError, match="selection is empty"):
        build_report([], vocabulary=load_vocabulary())
