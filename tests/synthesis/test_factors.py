"""hrhlessons.synthesis.factors, hrhlessons.factor_data, the mapping script and the factors CLI."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from typer.testing import CliRunner

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Domain
from hrhlessons.cli.app import app
from hrhlessons.errors import InvalidInput
from hrhlessons.factor_data import (
    format_mapping,
    load_mapping,
    load_vocabulary,
    parse_mapping,
    parse_vocabulary,
)
from hrhlessons.ingest import bundled_cases_dir
from hrhlessons.synthesis.confidence import Concern, Rating
from hrhlessons.synthesis.factorplots import factor_bars
from hrhlessons.synthesis.factors import (
    FactorMapping,
    FactorOptions,
    MappingRow,
    OutcomeGroup,
    Vocabulary,
    build_mapping,
    carry_reworded,
    outcome_group,
    phrase_keys,
    synthesize_factors,
)

SCRIPT = Path(__file__).parents[2] / "scripts" / "build_factor_mapping.py"
REGENERATE = ".venv/bin/python scripts/build_factor_mapping.py"


def make_case(cid: str, **fields: Any) -> Case:
    data: dict[str, Any] = {
        "id": cid, "name": cid, "countries": ["KEN"], "level": "national",
        "domain": "community_health_workers", "description": "x", "status": "active",
        "sources": [{"title": "s", "url": "https://example.org"}],
    }
    data.update(fields)
    return Case.model_validate(data)


def outcome(block: str, direction: str, evidence: str) -> dict[str, Any]:
    return {"building_block": block, "indicator": "i", "direction": direction,
            "evidence": evidence, "source": 0}


@pytest.fixture(scope="module")
def shipped() -> Vocabulary:
    return load_vocabulary()


# ----- rules on hand-checked phrases (the shipped vocabulary) -----

@pytest.mark.parametrize(("phrase", "expected"), [
    ("dependence on external funding; the 2021 donor pause threatened most public facilities",
     {"external_funding"}),
    ("village health councils (shuras) nominate CHWs",
     {"community_selection", "community_ownership"}),
    ("insecurity", {"conflict_insecurity"}),
    ("corruption", {"corruption_patronage"}),
    ("late payment and arrears triggered repeated strikes",
     {"payment_timeliness", "professional_acceptance"}),
    ("pilots in three provinces before national roll-out", {"phased_scale_up"}),
    ("national roll-out implemented too hastily", {"phased_scale_up"}),
    ("agents must live in the communities they serve", {"lives_in_community"}),
    ("repayment allowed participants to buy out of service", {"enforcement_compliance"}),
    ("programme backed by federal law", {"legal_framework"}),
    ("broken computers with no one to repair them, unreliable power and internet",
     {"infrastructure_ict"}),
    ("no pay for demanding voluntary work, so many workers leave",
     {"pay_adequacy", "attrition_emigration"}),
    ("commitment by the Prime Minister at the UN General Assembly", {"political_commitment"}),
    ("economic crisis weakened social and professional values underpinning the model",
     {"economic_crisis"}),
])
def test_rules_map_hand_checked_phrases(shipped: Vocabulary, phrase: str,
                                        expected: set[str]) -> None:
    assert set(shipped.match(phrase)) == expected


@pytest.mark.parametrize(("phrase", "not_expected"), [
    # "it" is not IT: the ICT pattern is case-sensitive
    ("launched as a partisan replacement, then overtaken by the relaunch of the programme it "
     "replaced", "infrastructure_ict"),
    # backing by law is a legal basis, not political commitment
    ("programme backed by federal law", "political_commitment"),
    # a political transition is not a handover plan
    ("political priority given to maternal health after the transition",
     "sustainability_planning"),
])
def test_rules_keep_out_known_look_alikes(shipped: Vocabulary, phrase: str,
                                          not_expected: str) -> None:
    assert not_expected not in shipped.match(phrase)


def test_shipped_vocabulary_is_well_formed(shipped: Vocabulary) -> None:
    assert len(shipped.factors) >= 40
    assert len(set(shipped.ids)) == len(shipped.ids)
    assert {f.theme for f in shipped.factors} == set(shipped.themes)
    assert all(f.definition and f.label for f in shipped.factors)
    assert list(shipped.to_frame().columns) == ["id", "label", "definition", "theme",
                                                 "theme_label"]


# ----- the bundled mapping covers the bundled registry -----

def test_bundled_mapping_covers_every_phrase_of_every_bundled_case(
        bundled_batch: Any, shipped: Vocabulary) -> None:
    mapping = load_mapping(vocabulary=shipped)
    missing = mapping.missing(bundled_batch.cases)
    assert not missing, (
        f"{len(missing)} factor phrase(s) of the bundled cases are not in "
        f"data/factors/mapping.csv, e.g. {missing[:3]}; regenerate it with `{REGENERATE}` "
        "(manual rows are kept) and review the new rows")
    current = set(phrase_keys(bundled_batch.cases))
    stale = [r.key for r in mapping.rows if r.key not in current]
    assert not stale, (f"{len(stale)} row(s) of mapping.csv belong to no bundled case phrase, "
                       f"e.g. {stale[:3]}; regenerate with `{REGENERATE}`")


def test_bundled_mapping_is_what_the_rules_give_for_rule_rows(
        bundled_batch: Any, shipped: Vocabulary) -> None:
    mapping = load_mapping(vocabulary=shipped)
    changed = [r.key for r in mapping.rows
               if r.method == "rule" and r.factor_ids != shipped.match(r.text)]
    assert not changed, (f"{len(changed)} rule row(s) differ from the current rules, e.g. "
                         f"{changed[:2]}; regenerate with `{REGENERATE}`")


def test_factors_readme_states_the_bundled_mapping_size(shipped: Vocabulary) -> None:
    # The review-status paragraph gives the row count and says every row is manual; each pass
    # over the case factors changes both, so the README figure is held to the file here.
    readme = (Path(__file__).parents[2] / "src" / "hrhlessons" / "data" / "factors"
              / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"([\d,]+) now, all `manual`", " ".join(readme.split()))
    assert stated, "data/factors/README.md no longer states the row count"
    rows = load_mapping(vocabulary=shipped).rows
    assert int(stated.group(1).replace(",", "")) == len(rows)
    assert {r.method for r in rows} == {"manual"}


# ----- outcome groups -----

@pytest.mark.parametrize(("fields", "group"), [
    ({"status": "active", "trajectory": "expanded"}, OutcomeGroup.SURVIVED),
    ({"status": "active", "trajectory": "stable", "start_year": 2000, "status_year": 2010},
     OutcomeGroup.SURVIVED),
    ({"status": "active", "trajectory": "stable", "start_year": 2000, "status_year": 2009},
     OutcomeGroup.OTHER),
    ({"status": "active", "trajectory": "unknown"}, OutcomeGroup.OTHER),
    ({"status": "active", "trajectory": "contracted", "start_year": 1980,
      "status_year": 2020}, OutcomeGroup.DIED),
    ({"status": "ended", "trajectory": "expanded", "start_year": 1990, "end_year": 2000},
     OutcomeGroup.DIED),
    ({"status": "not_implemented"}, OutcomeGroup.DIED),
    ({"status": "active", "trajectory": "replaced"}, OutcomeGroup.DIED),
    ({"status": "unknown", "trajectory": "expanded"}, OutcomeGroup.OTHER),
])
def test_outcome_group_rules(fields: dict[str, Any], group: OutcomeGroup) -> None:
    assert outcome_group(make_case("ken-x", **fields)) is group


def test_as_of_stands_in_for_a_missing_status_year() -> None:
    case = make_case("ken-x", trajectory="stable", start_year=2000)
    assert outcome_group(case) is OutcomeGroup.OTHER
    assert outcome_group(case, as_of=2012) is OutcomeGroup.SURVIVED


# ----- counts on a hand-made set -----

@pytest.fixture
def vocab() -> Vocabulary:
    return Vocabulary.from_records(
        {"financing": "Financing", "community": "Community", "pay": "Pay",
         "governance": "Governance"},
        [{"id": "donor", "label": "Donor funding", "definition": "d", "theme": "financing",
          "patterns": [r"\bdonor"]},
         {"id": "community_selection", "label": "Community selection", "definition": "d",
          "theme": "community", "patterns": [r"\b(chosen|selected) by"]},
         {"id": "pay", "label": "Pay", "definition": "d", "theme": "pay",
          "patterns": [r"\bpay\b"]},
         {"id": "profession", "label": "Professional opposition", "definition": "d",
          "theme": "governance", "patterns": ["medical association"]}])


@pytest.fixture
def cases() -> list[Case]:
    return [
        make_case("ken-a", trajectory="expanded",
                  success_factors=["workers chosen by their communities"],
                  failure_factors=["reliance on donor funding"],
                  outcomes=[outcome("service_delivery", "improved", "quasi_experimental"),
                            outcome("health_workforce", "improved", "trial")]),
        make_case("ken-b", status="ended", trajectory="contracted", start_year=2000,
                  end_year=2005,
                  failure_factors=["donor funding withdrawn", "low pay and donor exit"],
                  outcomes=[outcome("health_workforce", "worsened", "descriptive")]),
        make_case("ken-c", status="not_implemented", domain="education_training",
                  success_factors=["chosen by the ministry"],
                  failure_factors=["opposition from the medical association"]),
        make_case("ken-d", trajectory="stable", start_year=2000, status_year=2015,
                  success_factors=["volunteers selected by the village"],
                  outcomes=[outcome("service_delivery", "improved", "observational")]),
        make_case("ken-e", trajectory="stable", start_year=2015, status_year=2020,
                  success_factors=["selected by the community"]),
        make_case("ken-f", trajectory="contracted", domain="education_training",
                  failure_factors=["donor money ended"]),
        make_case("ken-g", status="unknown", failure_factors=["low pay"]),
    ]


def test_groups_of_the_hand_made_set(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab)
    assert result.groups == {"survived": ("ken-a", "ken-d"),
                             "died": ("ken-b", "ken-c", "ken-f"),
                             "other": ("ken-e", "ken-g")}


def test_why_innovations_die_out_by_hand(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab)
    die = result.why_die_out
    assert [f.factor_id for f in die] == ["donor", "pay", "profession"]
    donor = die[0]
    assert donor.case_ids == ("ken-b", "ken-f")      # ken-b counted once for two phrases
    assert donor.group_size == 3 and donor.share == pytest.approx(2 / 3)
    assert donor.contrast_case_ids == ("ken-a",)
    assert donor.contrast_share == pytest.approx(1 / 2)
    assert donor.phrases == (("ken-b", "donor funding withdrawn"),
                             ("ken-b", "low pay and donor exit"), ("ken-f", "donor money ended"))
    assert die[1].case_ids == ("ken-b",)             # ken-g (other) is not counted
    assert die[1].contrast_case_ids == ()


def test_what_survivors_share_by_hand(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab)
    (community,) = result.survivors_share
    assert community.case_ids == ("ken-a", "ken-d")
    assert community.share == 1.0
    assert community.contrast_case_ids == ("ken-c",)
    assert community.difference == pytest.approx(1 - 1 / 3)


def test_confidence_of_the_hand_made_findings(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab)
    donor = result.why_die_out[0].confidence
    # 2 cases (serious), descriptive + none (serious), 2 of 3 judgeable agree (moderate)
    assert [c.concern for c in donor.components] == [Concern.SERIOUS, Concern.SERIOUS,
                                                     Concern.MODERATE, Concern.MINOR]
    assert donor.rating is Rating.VERY_LOW
    assert "2 of 3 judgeable cases agree (67%)" in " ".join(donor.reasons)
    community = result.survivors_share[0].confidence
    # ken-a has trial evidence, ken-d observational: 1 of 2 strong = 50% -> no concern
    assert community.components[1].concern is Concern.NONE


def test_counts_by_domain_and_group_by_hand(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab)
    got = {(c.factor_id, c.kind, c.domain, c.group): c.case_ids for c in result.counts}
    assert got == {
        ("donor", "failure", "community_health_workers", "survived"): ("ken-a",),
        ("donor", "failure", "community_health_workers", "died"): ("ken-b",),
        ("donor", "failure", "education_training", "died"): ("ken-f",),
        ("community_selection", "success", "community_health_workers", "survived"):
            ("ken-a", "ken-d"),
        ("community_selection", "success", "community_health_workers", "other"): ("ken-e",),
        ("community_selection", "success", "education_training", "died"): ("ken-c",),
        ("pay", "failure", "community_health_workers", "died"): ("ken-b",),
        ("pay", "failure", "community_health_workers", "other"): ("ken-g",),
        ("profession", "failure", "education_training", "died"): ("ken-c",),
    }
    frame = result.counts_frame()
    assert frame["n_cases"].sum() == 10


def test_domain_filter(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab, options=FactorOptions(
        domain=Domain.COMMUNITY_HEALTH_WORKERS))
    assert result.groups["died"] == ("ken-b",)
    # both shown by ken-b alone; pay ranks first: no survivor reports it, one of two reports donor
    assert [f.factor_id for f in result.why_die_out] == ["pay", "donor"]
    assert result.survivors_share[0].contrast_case_ids == ()


def test_relevant_domain_lowers_relevance_of_off_domain_evidence(
        cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab, options=FactorOptions(
        relevant_domain=Domain.EDUCATION_TRAINING))
    donor = result.why_die_out[0]                    # ken-b (CHW), ken-f (education)
    assert donor.confidence.components[3].concern is Concern.SERIOUS   # 50% < 75%, unreviewed


def test_min_cases_drops_rare_factors(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab, options=FactorOptions(min_cases=2))
    assert [f.factor_id for f in result.why_die_out] == ["donor"]


def test_manual_mapping_overrides_rules_and_counts_as_direct(
        cases: list[Case], vocab: Vocabulary) -> None:
    update = build_mapping(cases, vocab)
    rows = [MappingRow(r.case_id, r.kind, r.text, (), "manual")
            if r.text == "chosen by the ministry" else
            MappingRow(r.case_id, r.kind, r.text, r.factor_ids, "manual")
            if r.case_id == "ken-a" else r for r in update.mapping.rows]
    result = synthesize_factors(cases, vocab, FactorMapping(tuple(rows)))
    community = result.survivors_share[0]
    assert community.contrast_case_ids == ()          # reviewer removed ken-c's link
    relevance = community.confidence.components[3]
    assert relevance.concern is Concern.NONE and "1 of 2 links direct" in relevance.reason
    assert result.not_in_mapping == ()


def test_phrases_missing_from_the_mapping_are_matched_and_reported(
        cases: list[Case], vocab: Vocabulary) -> None:
    partial = FactorMapping(build_mapping(cases[:1], vocab).mapping.rows)
    result = synthesize_factors(cases, vocab, partial)
    assert ("ken-g", "failure", "low pay") in result.not_in_mapping
    assert len(result.not_in_mapping) == len(phrase_keys(cases)) - 2
    assert result.why_die_out[0].case_ids == ("ken-b", "ken-f")


def test_results_render(cases: list[Case], vocab: Vocabulary) -> None:
    result = synthesize_factors(cases, vocab)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["why_die_out"][0]["case_ids"] == ["ken-b", "ken-f"]
    assert data["why_die_out"][0]["confidence"]["rating"] == "very low"
    frame = result.to_frame()
    assert list(frame["list"]) == ["why_die_out"] * 3 + ["survivors_share"]
    assert frame.loc[0, "case_ids"] == "ken-b,ken-f"
    text = result.summary()
    assert "7 cases: 2 survived, 3 died out, 2 other" in text
    assert "Donor funding: 2 of 3 (67%) vs 50% of survived" in text


def test_factor_bars_figure(cases: list[Case], vocab: Vocabulary) -> None:
    fig = factor_bars(synthesize_factors(cases, vocab), top=2)
    assert isinstance(fig, Figure)
    left, right = fig.axes[:2]
    placed = {t.get_text(): y for t, y in zip(left.get_yticklabels(), left.get_yticks(),
                                               strict=True)}
    assert placed["Donor funding"] > placed["Pay"]      # the top-ranked factor at the top
    bars = [p for p in left.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(left.patches)
    widths = sorted(p.get_width() for p in bars)
    assert widths[-1] == pytest.approx(100 * 2 / 3)
    assert [t.get_text() for t in right.get_yticklabels()] == ["Community selection"]


# ----- mapping: building, loading, checking -----

def _row(mapping: FactorMapping, key: tuple[str, str, str]) -> MappingRow:
    """The mapping's row for ``key``, which the test expects to be there."""
    row = mapping.get(key)
    assert row is not None, key
    return row


def test_build_mapping_keeps_manual_rows_and_drops_stale_ones(
        cases: list[Case], vocab: Vocabulary) -> None:
    old = FactorMapping((
        MappingRow("ken-a", "failure", "reliance on donor funding", ("pay",), "manual"),
        MappingRow("ken-b", "failure", "donor funding withdrawn", (), "rule"),
        MappingRow("ken-z", "success", "gone", ("donor",), "manual"),
    ))
    update = build_mapping(cases, vocab, old)
    assert update.mapping.get(("ken-a", "failure", "reliance on donor funding")) == old.rows[0]
    assert _row(update.mapping, ("ken-b", "failure", "donor funding withdrawn")).factor_ids == (
        "donor",)
    assert update.kept_manual == (old.rows[0].key,)
    assert update.rematched == (old.rows[1].key,)
    assert update.stale == (old.rows[2],)
    assert len(update.mapping.rows) == len(phrase_keys(cases))
    assert "1 of them manual" in update.summary()


def test_a_reworded_phrase_keeps_the_codes_of_the_manual_row_it_replaces(
        cases: list[Case], vocab: Vocabulary) -> None:
    # ken-a's failure phrase was reviewed under older wording; ken-b lost two reviewed phrases
    # and has one new one, which is not clear-cut and stays matched by rule.
    old = FactorMapping((
        MappingRow("ken-a", "failure", "relied on donors", ("pay",), "manual"),
        MappingRow("ken-b", "failure", "old one", ("pay",), "manual"),
        MappingRow("ken-b", "failure", "old two", ("pay",), "manual"),
    ))
    built = build_mapping(cases, vocab, old)
    carried, pairs = carry_reworded(built)
    new_key = ("ken-a", "failure", "reliance on donor funding")
    assert [(o.text, n.text) for o, n in pairs] == [("relied on donors",
                                                     "reliance on donor funding")]
    assert carried.mapping.get(new_key) == MappingRow(*new_key, ("pay",), "manual")
    assert _row(built.mapping, new_key).method == "rule"        # without carrying: re-matched
    assert new_key not in carried.added and new_key in carried.kept_manual
    assert [r.text for r in carried.stale] == ["old one", "old two"]
    assert _row(carried.mapping, ("ken-b", "failure", "donor funding withdrawn")).method == "rule"
    assert carry_reworded(build_mapping(cases, vocab)) == (build_mapping(cases, vocab), ())
    # A dropped rule row beside the manual one: which phrase was reworded is not clear.
    mixed = FactorMapping((old.rows[0],
                           MappingRow("ken-a", "failure", "old rule", ("pay",), "rule")))
    assert carry_reworded(build_mapping(cases, vocab, mixed))[1] == ()


def test_mapping_csv_round_trip_and_checks(cases: list[Case], vocab: Vocabulary) -> None:
    mapping = build_mapping(cases, vocab).mapping
    text = format_mapping(mapping)
    assert text.splitlines()[0] == "case_id,kind,text,factor_ids,method"
    assert parse_mapping(text) == mapping
    bad = FactorMapping((MappingRow("ken-a", "neither", "t", ("nope",), "guess"),
                         MappingRow("ken-a", "neither", "t", (), "rule")))
    fields = [p.field for p in bad.check(vocab)]
    assert fields == ["kind", "method", "factor_ids", "kind", "text"]


def test_parse_mapping_rejects_a_wrong_header() -> None:
    with pytest.raises(InvalidInput, match="header"):
        parse_mapping("case,kind,text\n")


def test_parse_vocabulary_reports_every_problem() -> None:
    text = """
themes: {financing: Financing}
factors:
  - {id: a, label: A, definition: d, theme: financing, patterns: ['(']}
  - {id: a, label: A, definition: d, theme: nowhere, patterns: [x]}
  - {id: Bad-Id, label: B, definition: d, theme: financing, patterns: [x]}
  - {id: c, label: C, theme: financing, patterns: [x]}
"""
    with pytest.raises(InvalidInput) as info:
        parse_vocabulary(text, file="v.yaml")
    fields = sorted(p.field for p in info.value.problems)
    assert fields == ["factors.0.patterns.0", "factors.1.id", "factors.1.theme",
                      "factors.2.id", "factors.3"]
    assert all(p.file == "v.yaml" for p in info.value.problems)


def test_build_script_regenerates_and_checks(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_factor_mapping", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(bundled_cases_dir() / "afg-community-health-workers.yaml", folder)
    target = tmp_path / "mapping.csv"
    assert module.main([str(folder), "--mapping", str(target), "--check"]) == 1
    assert module.main([str(folder), "--mapping", str(target)]) == 0
    rows = parse_mapping(target.read_text(encoding="utf-8")).rows
    assert {r.case_id for r in rows} == {"afg-community-health-workers"}
    assert module.main([str(folder), "--mapping", str(target), "--check"]) == 0


# ----- CLI -----

runner = CliRunner()


def test_cli_factors_json_on_the_bundled_registry() -> None:
    res = runner.invoke(app, ["factors", "--format", "json", "--top", "5"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    died, survived = set(data["groups"]["died"]), set(data["groups"]["survived"])
    assert len(data["why_die_out"]) == 5 and len(data["survivors_share"]) == 5
    for f in data["why_die_out"]:
        assert set(f["case_ids"]) <= died and f["n_cases"] == len(f["case_ids"])
        assert f["confidence"]["rating"] in {"high", "moderate", "low", "very low"}
    for f in data["survivors_share"]:
        assert set(f["case_ids"]) <= survived
    counts = [f["n_cases"] for f in data["why_die_out"]]
    assert counts == sorted(counts, reverse=True)


def test_cli_factors_table_and_domain() -> None:
    res = runner.invoke(app, ["factors", "--domain", "community_health_workers", "--top", "3"])
    assert res.exit_code == 0, res.output
    assert "Why innovations die out" in res.output
    assert "What the survivors share" in res.output


def test_cli_factors_rejects_an_unknown_domain() -> None:
    res = runner.invoke(app, ["factors", "--domain", "astrology"])
    assert res.exit_code == 2
    assert "community_health_workers" in res.output
