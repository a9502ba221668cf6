"""``hrh-lessons country``, ``adapt`` and ``pilot`` on the bundled registry in a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hrhlessons.cli.app import app
from hrhlessons.ingest import bundled_cases_dir, read_paths

runner = CliRunner()
EXAMPLE = str(Path(__file__).resolve().parents[2] / "src" / "hrhlessons" / "data" / "adapt"
              / "answers-example.yaml")


def said(text: str) -> str:
    """The text with the terminal's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('adapt-cli') / 'registry.sqlite'}"
    result = runner.invoke(app, ["import", "--bundled", "--db", url])
    assert result.exit_code == 0, result.output
    return url


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


# ----- country -----

def test_country_markdown_report(db: str) -> None:
    result = run("country", "MWI", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Malawi (MWI): health workforce profile")
    for text in ("44.5 per 10,000", "22.8 per 10,000", "gap in people", "HWF_0001", "HWF_0007",
                 "## Peer countries", "mwi-health-surveillance-assistants", "Lesson:",
                 "## Missing data", "Low income"):
        assert text in out


def test_country_json_and_html(db: str) -> None:
    result = run("country", "mwi", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["iso3"] == "MWI" and data["who_region"] == "AFR"
    assert data["thresholds"][0]["threshold_per_10000"] == 44.5
    assert data["thresholds"][0]["gap_people"] > 0
    assert len(data["peers"]["peers"]) == 5
    assert "mwi-health-surveillance-assistants" in {c["id"] for c in data["cases"]}
    page = run("country", "MWI", "--format", "html", "--db", db)
    assert page.exit_code == 0, page.output
    assert page.stdout.startswith("<!DOCTYPE html>") and "<svg" in page.stdout
    assert "</html>" in page.stdout


def test_country_without_a_registry_still_profiles(tmp_path: Path) -> None:
    result = run("country", "KEN", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert result.exit_code == 0, result.output
    assert "No innovation in this country is recorded" in result.stdout


@pytest.mark.parametrize("code", ["XXX", "MW", "12A"])
def test_unknown_country_exits_2_naming_it(db: str, code: str) -> None:
    for command in (["country", code], ["adapt", code], ["pilot", code, "mwi-clinical-officers"]):
        result = run(*command, "--db", db)
        assert result.exit_code == 2, (command, result.output)
        assert f"'{code}'" in said(result.output)


# ----- adapt -----

def test_adapt_with_the_example_answers_json(db: str) -> None:
    result = run("adapt", "MWI", "--answers", EXAMPLE, "--format", "json", "--limit", "5",
                 "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["country"] == "MWI" and len(data["innovations"]) == 5
    assert data["ranked"] > 200
    scores = [i["score"] for i in data["innovations"]]
    assert scores == sorted(scores, reverse=True)
    top = data["innovations"][0]
    parts = top["breakdown"]
    assert {k: v["weight"] for k, v in parts.items()} == {
        "strength": 0.4, "similarity": 0.3, "readiness": 0.3}
    assert top["score"] == pytest.approx(sum(v["points"] for v in parts.values()), abs=0.02)
    assert top["readiness"]["gaps"] and isinstance(top["risks"], list)
    assert data["answers"]["answers"]["domestic_financing"] == "no"
    assert data["decisive_conditions"][0]["weight"] > 0


def test_adapt_table_shows_breakdown_gaps_and_risks(db: str) -> None:
    result = run("adapt", "MWI", "--answers", EXAMPLE, "--limit", "3", "--db", db)
    assert result.exit_code == 0, result.output
    out = said(result.stdout)
    for text in ("x0.40", "x0.30", "0.40 strength + 0.30 similarity + 0.30 readiness",
                 "gap:", "risk:", "sources"):
        assert text in out


def test_adapt_domain_filter(db: str) -> None:
    result = run("adapt", "MWI", "--domain", "community_health_workers", "--format", "json",
                 "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {i["domain"] for i in data["innovations"]} == {"community_health_workers"}
    bad = run("adapt", "MWI", "--domain", "dentistry", "--db", db)
    assert bad.exit_code == 2 and "'dentistry' is not a domain" in said(bad.output)
    # A domain of unknown names no field to adapt, though a record may be coded so.
    unknown = run("adapt", "MWI", "--domain", "unknown", "--db", db)
    assert unknown.exit_code == 2 and "'unknown' is not a domain" in said(unknown.output)


def test_adapt_without_answers_treats_every_answer_as_unknown(db: str) -> None:
    result = run("adapt", "MWI", "--format", "json", "--limit", "1", "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answers"]["answers"] == {}
    gaps = data["innovations"][0]["readiness"]["gaps"]
    assert gaps and {g["kind"] for g in gaps} == {"unanswered"}


def test_bad_answers_file_exits_2_naming_each_problem(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text("answers:\n  political_champion: maybe\n  funding_gap: yes\n"
                   "chw_functionality:\n  supervision: 9\nextra: 1\n", encoding="utf-8")
    result = run("adapt", "MWI", "--answers", str(bad), "--db", db)
    assert result.exit_code == 2
    out = said(result.output)
    assert "'maybe' is not an answer" in out and "'funding_gap' is not a question id" in out
    assert "'9' is not a score" in out and "'extra' is not a key" in out
    assert "answers.yaml:2" in out
    other = tmp_path / "ken.yaml"
    other.write_text("country: KEN\n", encoding="utf-8")
    result = run("adapt", "MWI", "--answers", str(other), "--db", db)
    assert result.exit_code == 2 and "'KEN', not for 'MWI'" in said(result.output)
    missing = run("adapt", "MWI", "--answers", str(tmp_path / "none.yaml"), "--db", db)
    assert missing.exit_code == 2 and "cannot read" in said(missing.output)


def test_adapt_asks_the_questions_at_a_terminal(db: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import hrhlessons.cli.adapt as adapt_cli

    monkeypatch.setattr(adapt_cli, "_interactive", lambda: True)
    # 14 core questions: "perhaps" is refused and asked again, then "no"; the rest unknown
    # (Enter); then no to the retention and CHW sections and to the CHW self-assessment.
    keys = "perhaps\nno\n" + "\n" * 13 + "n\nn\nn\n"
    result = runner.invoke(app, ["adapt", "MWI", "--format", "json", "--limit", "1",
                                 "--db", db], input=keys)
    assert result.exit_code == 0, result.output
    assert "'perhaps' is not an answer" in result.output
    # The questions went to stderr; click's test runner echoes the typed keys to stdout, so the
    # JSON starts at the first line that opens an object.
    out = result.stdout
    data = json.loads(out[out.index("\n{") + 1:] if not out.startswith("{") else out)
    assert data["answers"]["answers"]["political_champion"] == "no"
    assert data["answers"]["answers"]["government_ownership"] == "unknown"
    assert data["answers"]["source"] == "answered on the terminal"


def test_adapt_questions_lists_the_questionnaire() -> None:
    result = run("adapt", "--questions")
    assert result.exit_code == 0, result.output
    out = said(result.stdout)
    assert "political_champion -> political_champion" in out
    assert "opportunity_for_advancement" in out and "Beginning with the end in mind" in out


def test_adapt_help_shows_the_formula() -> None:
    result = run("adapt", "--help")
    assert result.exit_code == 0
    out = said(result.stdout)
    assert "0.40 strength + 0.30 similarity + 0.30 readiness" in out
    assert "m / (m + 5)" in out


def test_adapt_needs_a_registry(tmp_path: Path) -> None:
    result = run("adapt", "MWI", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert result.exit_code == 2 and "import --bundled" in said(result.output)


# ----- pilot -----

def test_pilot_markdown_for_a_malawi_case(db: str) -> None:
    result = run("pilot", "MWI", "mwi-health-surveillance-assistants", "--answers", EXAMPLE,
                 "--start", "2025", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # the case's own failure factors are listed as risks (read from the record, which audits
    # may reword, rather than copied here)
    [case] = read_paths([bundled_cases_dir() / "mwi-health-surveillance-assistants.yaml"]).cases
    assert case.failure_factors
    for text in ("# Pilot and scale-up plan", "## Who owns it", "## Financing after the pilot",
                 "## Fit with existing systems", "## What to measure", "## How to document",
                 "## How to scale", "## Workforce projection", *case.failure_factors,
                 "Readiness gap:", "Measure: Under-five mortality", "2035"):
        assert text in out


def test_pilot_json_and_html(db: str) -> None:
    result = run("pilot", "MWI", "mwi-emergency-human-resources-programme", "--format",
                 "json", "--start", "2025", "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {p["cadre"] for p in data["projections"]} == {"doctors", "nurses_midwives", "chw"}
    assert data["projections"][0]["years"][0] == 2025
    page = run("pilot", "MWI", "mwi-clinical-officers", "--format", "html", "--db", db)
    assert page.exit_code == 0, page.output
    assert "<h2>Workforce projection</h2>" in page.stdout and "no projection" in page.stdout


def test_pilot_unknown_case_exits_2_naming_it(db: str) -> None:
    result = run("pilot", "MWI", "mwi-no-such-case", "--db", db)
    assert result.exit_code == 2
    assert "'mwi-no-such-case'" in said(result.output)
