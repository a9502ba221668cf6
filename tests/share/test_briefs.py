"""Policy briefs: key messages first and traceable, standalone HTML, a 2-4 page PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hrhlessons.cases.model import Case
from hrhlessons.cli.app import app
from hrhlessons.factor_data import load_mapping, load_vocabulary
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.reference import load_reference
from hrhlessons.share.briefs import (
    Brief,
    case_brief,
    country_brief,
    render_brief_html,
    render_brief_pdf,
    synthesis_brief,
)
from hrhlessons.share.report import reference_lookups
from hrhlessons.synthesis.report import ReportOptions, build_report

REQUIRE = os.environ.get("HRH_REQUIRE_SERVICES") == "1"
runner = CliRunner()


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if REQUIRE:
            pytest.fail(f"{tool} is required (HRH_REQUIRE_SERVICES=1) but not installed; "
                        "apt-get install poppler-utils")
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    return path


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return read_paths([bundled_cases_dir()]).cases


@pytest.fixture(scope="module")
def mwi(cases: list[Case]) -> Brief:
    return country_brief(load_reference(), "MWI", cases)


def check_traceable(brief: Brief, cases: list[Case]) -> None:
    ids = {c.id for c in cases}
    assert 3 <= len(brief.key_messages) <= 5
    numbers = [s.n for s in brief.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    for m in brief.all_messages():
        assert set(m.case_ids) <= ids
        assert all(1 <= n <= len(numbers) for n in m.refs)
    for m in brief.key_messages:
        assert m.refs, m.text
    by_id = {c.id: c for c in cases}
    for s in brief.sources:
        if s.case_id is not None:
            assert s.title in {src.title for src in by_id[s.case_id].sources}


def test_country_brief_messages_are_traceable(mwi: Brief, cases: list[Case]) -> None:
    check_traceable(mwi, cases)
    assert mwi.key_messages[0].text.startswith("Malawi had ")
    here = {c.id for c in cases if "MWI" in c.countries}
    assert set(mwi.key_messages[1].case_ids) == here
    assert f"holds {len(here)} innovations" in mwi.key_messages[1].text
    assert {f.name for f in mwi.figures} == {"density", "timeline"}


def test_html_brief_is_standalone(mwi: Brief) -> None:
    html = render_brief_html(mwi)
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and html.count("<svg") == len(mwi.figures)
    assert not re.search(r"<(link|script|img|iframe)\b", html)
    assert "@import" not in html and "url(http" not in html
    assert html.index("Key messages") < html.index("Sources")
    for s in mwi.sources:
        if s.url:
            assert f'href="{s.url}"' in html.replace("&amp;", "&")


def test_country_pdf_has_two_to_four_pages_with_figures_and_sources(mwi: Brief,
                                                                    tmp_path: Path) -> None:
    pdf = render_brief_pdf(mwi)
    assert 2 <= pdf.pages <= 4
    path = tmp_path / "mwi.pdf"
    path.write_bytes(pdf.data)
    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(rf"^Pages:\s+{pdf.pages}$", info, re.M)
    text = words(subprocess.run([poppler("pdftotext"), str(path), "-"], capture_output=True,
                                text=True, check=True).stdout)
    assert "Key messages" in text
    case_source = next(s for s in mwi.sources if s.case_id is not None)
    assert words(case_source.title)[:40] in text
    # the figures are drawn with their text: the density figure's title and axis label
    assert "Malawi: health workforce density" in text
    assert "workers per 10,000 population" in text


def test_case_brief(cases: list[Case]) -> None:
    case = next(c for c in cases if c.id == "mwi-health-surveillance-assistants")
    brief = case_brief(case, cases)
    check_traceable(brief, cases)
    assert brief.title == case.name
    pdf = render_brief_pdf(brief)
    assert 2 <= pdf.pages <= 4


def test_synthesis_brief(cases: list[Case]) -> None:
    chosen = [c for c in cases if c.domain.value == "task_sharing"]
    region_of, income_of = reference_lookups()
    vocabulary = load_vocabulary()
    report = build_report(chosen, ReportOptions(selection=(("domain", ("task_sharing",)),)),
                          region_of=region_of, income_of=income_of, vocabulary=vocabulary,
                          mapping=load_mapping(vocabulary=vocabulary))
    brief = synthesis_brief(report, chosen)
    check_traceable(brief, chosen)
    assert [m.text.split(" Examples:")[0] for m in brief.key_messages] == [
        c.text for c in report.key_claims()]
    assert "task_sharing" in brief.subtitle
    pdf = render_brief_pdf(brief)
    assert 2 <= pdf.pages <= 4


def test_brief_command_writes_pdf_and_html(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hrh.sqlite'}"
    assert runner.invoke(app, ["import", "--bundled", "--db", db]).exit_code == 0
    pdf = tmp_path / "mwi.pdf"
    result = runner.invoke(app, ["brief", "country", "mwi", "--out", str(pdf), "--db", db])
    assert result.exit_code == 0, (result.output, result.exception)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert re.search(r"\(pdf, [234] page\(s\)\)", result.output)
    html = tmp_path / "case.html"
    result = runner.invoke(app, ["brief", "case", "mwi-health-surveillance-assistants",
                                 "--out", str(html), "--db", db])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Health Surveillance Assistants" in html.read_text(encoding="utf-8")
    result = runner.invoke(app, ["brief", "case", "no-such-case", "--out", str(html),
                                 "--db", db])
    assert result.exit_code == 2 and "no case 'no-such-case'" in result.output
    result = runner.invoke(app, ["brief", "country", "MWI", "--out", str(tmp_path / "x.doc"),
                                 "--db", db])
    assert result.exit_code == 2 and "--format" in result.output
