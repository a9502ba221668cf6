"""The synthesis report rendered as Markdown, HTML and JSON, and the 'synthesize' command."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from hrhlessons.cases.coverage import OUTCOME_GROUPS
from hrhlessons.cases.model import Case
from hrhlessons.cli.app import app
from hrhlessons.factor_data import load_mapping, load_vocabulary
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.share.figures import (
    OUTCOME_COLOURS,
    PNG_SIGNATURE,
    inline_svg,
    png_bytes,
    svg_text,
)
from hrhlessons.share.report import (
    reference_lookups,
    render_fragment,
    render_html,
    render_json,
    report_figures,
    write_report,
)
from hrhlessons.synthesis.report import ReportOptions, SynthesisReport, build_report

runner = CliRunner()
DOMAIN = "community_health_workers"


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return read_paths([bundled_cases_dir()]).cases


@pytest.fixture(scope="module")
def report(cases: list[Case]) -> SynthesisReport:
    chosen = [c for c in cases if c.domain.value == DOMAIN]
    region_of, income_of = reference_lookups()
    vocabulary = load_vocabulary()
    return build_report(chosen, ReportOptions(selection=(("domain", (DOMAIN,)),)),
                        region_of=region_of, income_of=income_of, vocabulary=vocabulary,
                        mapping=load_mapping(vocabulary=vocabulary))


@pytest.fixture(scope="module")
def written(report: SynthesisReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(report, out, ["md", "html", "json"])
    return out


def test_figures_are_written_as_parseable_svg_and_real_png(written: Path,
                                                           report: SynthesisReport) -> None:
    names = [f.name for f in report_figures(report)]
    assert {"km_overall", "km_domain", "factor_bars", "gap_map"} <= set(names)
    assert report.informative is not None and f"km_{report.informative}" in names
    for name in names:
        svg = written / "figures" / f"{name}.svg"
        png = written / "figures" / f"{name}.png"
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
        assert png.read_bytes().startswith(PNG_SIGNATURE)
        assert png.stat().st_size > 5_000


def test_markdown_links_every_figure_and_names_cases(written: Path,
                                                     report: SynthesisReport) -> None:
    md = (written / "report.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((figures/[^)]+)\)", md):
        assert (written / link).is_file(), link
    for title in ("How long innovations last", "Why innovations die out",
                  "Outcomes by WHO building block", "Evidence gaps", "References"):
        assert f"## {title}" in md
    assert "Kaplan EL, Meier P (1958)" in md and "Turnbull BW (1976)" in md
    first = report.claim("survival.overall").named[0]
    assert f"[{first}](#case-{first})" in md
    assert f'<a id="case-{first}"></a>' in md


def test_json_holds_the_report_data_and_the_figure_files(written: Path,
                                                         report: SynthesisReport) -> None:
    data = json.loads((written / "report.json").read_text(encoding="utf-8"))
    assert data["case_ids"] == list(report.case_ids)
    assert [c["key"] for c in data["claims"]] == [c.key for c in report.claims]
    for fig in data["figures"]:
        assert (written / fig["svg"]).is_file() and (written / fig["png"]).is_file()


def test_html_is_standalone_and_links_cases_to_their_sources(written: Path,
                                                            report: SynthesisReport) -> None:
    html = (written / "report.html").read_text(encoding="utf-8")
    assert "<style>" in html and "<svg" in html and "<?xml" not in html
    # nothing is fetched: no stylesheet, script or image from elsewhere
    assert not re.search(r"<(link|script|img)\b[^>]*(href|src)=\"https?:", html)
    claim = report.claim("survival.overall")
    case_id = claim.named[0]
    nums = claim.sources_of(case_id)
    assert f'href="#case-{case_id}"' in html and f'id="case-{case_id}"' in html
    url = report.cases[case_id].sources[nums[0] - 1].url
    assert url and f'href="{url}"' in html


def test_fragment_embeds_figures_with_unique_ids(report: SynthesisReport) -> None:
    html = render_fragment(report, case_url=lambda i: f"/cases/{i}")
    assert html.lstrip().startswith("<article")
    assert "<html" not in html
    assert html.count("<svg") == len(report_figures(report))
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id repeats across the inline figures"
    assert f'href="/cases/{report.claim("survival.overall").named[0]}"' in html


def test_json_and_html_come_from_the_same_data(report: SynthesisReport) -> None:
    data = json.loads(render_json(report))
    html = render_html(report)
    for claim in data["claims"]:
        text = claim["text"].replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
        assert text in html, claim["key"]


def test_inline_svg_prefixes_ids_and_references() -> None:
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [0, 1], marker="o")
    svg = inline_svg(svg_text(fig), "p1", title="t")
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("p1-") for i in ids)
    refs = re.findall(r'(?:url\(#|href="#)([^")]+)', svg)
    assert refs and all(r in ids for r in refs)
    assert svg.startswith("<svg") and "<title>t</title>" in svg
    ET.fromstring(svg)
    assert png_bytes(fig).startswith(PNG_SIGNATURE)


def test_unknown_format_is_refused(report: SynthesisReport, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        write_report(report, tmp_path, ["pdf"])


def test_synthesize_command_restricts_the_report_to_the_facet(tmp_path: Path,
                                                              cases: list[Case]) -> None:
    db = f"sqlite:///{tmp_path / 'hrh.sqlite'}"
    result = runner.invoke(app, ["import", "--bundled", "--db", db])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["synthesize", "--domain", DOMAIN, "--format", "json",
                                 "--format", "md", "--out", str(out), "--db", db])
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    expected = sorted(c.id for c in cases if c.domain.value == DOMAIN)
    assert data["case_ids"] == expected
    assert set(data["coverage"]["by_domain"]) == {DOMAIN}
    assert data["options"]["selection"] == {"domain": [DOMAIN]}
    assert (out / "report.md").is_file() and not (out / "report.html").exists()
    assert (out / "figures" / "km_overall.svg").is_file()

    result = runner.invoke(app, ["synthesize", "--country", "ATA", "--out", str(out),
                                 "--db", db])
    assert result.exit_code == 2
    assert "no case matches" in result.output


def test_every_outcome_group_has_a_colour() -> None:
    # The case timeline colours each bar by its outcome group; a group without a colour would
    # fail at drawing time, so the table is held to coverage's list.
    assert set(OUTCOME_COLOURS) == set(OUTCOME_GROUPS)
