"""The ``hrh-lessons meta`` command (hrhlessons.cli.meta), run through typer's CliRunner."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from hrhlessons.cli.app import app

DATA = Path(__file__).parents[1] / "data"
CONTRACT = {"k", "estimate", "se", "ci_low", "ci_high", "tau2", "i2", "h2", "q", "q_p",
            "pi_low", "pi_high"}
runner = CliRunner()


@cache
def reference(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"metafor_{name}.json").read_text(encoding="utf-8"))


def write_csv(path: Path, columns: dict[str, list[Any]]) -> Path:
    names = list(columns)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        writer.writerows(zip(*(columns[n] for n in names), strict=True))
    return path


@pytest.fixture
def bcg_csv(tmp_path: Path) -> Path:
    ref = reference("bcg")
    cols = dict(ref["data"])
    cols["yi"] = [repr(x) for x in ref["escalc"]["RR"]["yi"]]
    cols["vi"] = [repr(x) for x in ref["escalc"]["RR"]["vi"]]
    return write_csv(tmp_path / "bcg.csv", cols)


def run(*args: str) -> Any:
    return runner.invoke(app, ["meta", *args])


def said(result: Any) -> str:
    """The error output with the terminal's line wrapping undone."""
    return " ".join(result.stderr.split())


def approx(x: Any) -> Any:
    return pytest.approx(x, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("method", ["FE", "DL", "REML", "ML", "PM"])
@pytest.mark.parametrize("knha", [False, True], ids=["z", "knha"])
def test_json_output_matches_metafor_bcg(bcg_csv: Path, method: str, knha: bool) -> None:
    args = [str(bcg_csv), "--yi", "yi", "--vi", "vi", "--method", method, "--format", "json"]
    result = run(*args, *(["--knha"] if knha else []))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= CONTRACT
    ref = reference("bcg")["fits"][method + ("_knha" if knha else "")]
    assert out["k"] == 13
    for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("ci_low", "ci_lb"),
                         ("ci_high", "ci_ub"), ("tau2", "tau2"), ("i2", "i2"), ("h2", "h2"),
                         ("q", "q"), ("q_p", "q_p"), ("pi_low", "pi_lb"), ("pi_high", "pi_ub")):
        assert out[ours] == approx(ref[theirs]), ours


def test_moderators_and_egger_match_metafor_bcg(bcg_csv: Path) -> None:
    result = run(str(bcg_csv), "--yi", "yi", "--vi", "vi", "--method", "REML",
                 "--moderators", "ablat", "--egger")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    ref = reference("bcg")
    reg = ref["metareg"]["REML_ablat"]
    assert {"k", "coef", "se", "tau2", "qm", "egger_z", "egger_p"} <= set(out)
    assert out["coef"] == approx(reg["coef"])
    assert out["se"] == approx(reg["se"])
    assert out["tau2"] == approx(reg["tau2"])
    assert out["qm"] == approx(reg["qm"])
    assert out["egger_z"] == approx(ref["egger"]["REML"]["z"])
    assert out["egger_p"] == approx(ref["egger"]["REML"]["p"])


def test_two_moderators_keep_their_order(bcg_csv: Path) -> None:
    out = json.loads(run(str(bcg_csv), "--yi", "yi", "--vi", "vi", "--moderators",
                         "ablat,year").stdout)
    reg = reference("bcg")["metareg"]["REML_ablat_year"]
    assert out["terms"] == ["intercept", "ablat", "year"]
    assert out["coef"] == approx(reg["coef"])


def test_counts_with_measure_rr_match_metafor_bcg(bcg_csv: Path) -> None:
    result = run(str(bcg_csv), "--measure", "RR", "--ai", "tpos", "--bi", "tneg",
                 "--ci", "cpos", "--di", "cneg", "--method", "DL")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["estimate"] == approx(reference("bcg")["fits"]["DL"]["estimate"])


def test_group_sizes_with_measure_or_match_metafor_egger2001(tmp_path: Path) -> None:
    ref = reference("egger2001")
    path = write_csv(tmp_path / "mag.csv", ref["data"])
    result = run(str(path), "--measure", "OR", "--ai", "ai", "--n1i", "n1i", "--ci", "ci",
                 "--n2i", "n2i", "--method", "REML", "--egger")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["tau2"] == approx(ref["fits"]["OR"]["REML"]["tau2"])
    assert out["egger_z"] == approx(ref["egger"]["REML"]["z"])


def test_means_with_measure_smd_match_metafor_normand1999(tmp_path: Path) -> None:
    ref = reference("normand1999")
    path = write_csv(tmp_path / "stroke.csv", ref["data"])
    result = run(str(path), "--measure", "SMD", "--m1i", "m1i", "--sd1i", "sd1i", "--n1i", "n1i",
                 "--m2i", "m2i", "--sd2i", "sd2i", "--n2i", "n2i", "--method", "PM", "--knha")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["estimate"] == approx(ref["fits"]["SMD"]["PM_knha"]["estimate"])
    assert out["ci_low"] == approx(ref["fits"]["SMD"]["PM_knha"]["ci_lb"])


def test_correlations_with_measure_zcor_match_metafor_molloy2014(tmp_path: Path) -> None:
    ref = reference("molloy2014")
    path = write_csv(tmp_path / "molloy.csv", ref["data"])
    result = run(str(path), "--measure", "ZCOR", "--ri", "ri", "--ni", "ni", "--method", "ML")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tau2"] == approx(ref["fits"]["ML"]["tau2"])


def test_table_format_shows_the_numbers(bcg_csv: Path) -> None:
    result = run(str(bcg_csv), "--yi", "yi", "--vi", "vi", "--format", "table")
    assert result.exit_code == 0
    assert "tau2" in result.stdout and "0.313243" in result.stdout


def test_help_documents_every_option() -> None:
    result = runner.invoke(app, ["meta", "--help"])
    assert result.exit_code == 0
    assert "--measure" in result.stdout
    command = typer.main.get_command(app)
    sub = command.commands["meta"]  # type: ignore[attr-defined]
    assert sub.help
    for param in sub.params:
        assert param.help, f"{param.name} has no help text"


# ----- bad input exits 2 and says where --------------------------------------------------------

def test_missing_column_is_named(bcg_csv: Path) -> None:
    result = run(str(bcg_csv), "--yi", "yi", "--vi", "variance")
    assert result.exit_code == 2
    assert "variance" in said(result) and "--vi" in said(result)


def test_non_numeric_value_names_column_and_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", {"y": [0.1, "abc", 0.3], "v": [0.1, 0.2, 0.3]})
    result = run(str(path), "--yi", "y", "--vi", "v")
    assert result.exit_code == 2
    assert "line 3" in said(result) and "'y'" in said(result) and "abc" in said(result)


def test_nonpositive_variance_names_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", {"y": [0.1, 0.2, 0.3], "v": [0.1, 0.2, 0]})
    result = run(str(path), "--yi", "y", "--vi", "v")
    assert result.exit_code == 2
    assert "line 4" in said(result) and "above 0" in said(result)


def test_fewer_than_two_studies_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "one.csv", {"y": [0.1], "v": [0.1]})
    result = run(str(path), "--yi", "y", "--vi", "v")
    assert result.exit_code == 2
    assert "at least 2" in said(result)


def test_negative_count_names_column_and_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", {"a": [3, 4, 5], "n1": [10, 10, 10],
                                            "c": [2, 1, 11], "n2": [10, 10, 10]})
    result = run(str(path), "--measure", "RR", "--ai", "a", "--n1i", "n1", "--ci", "c",
                 "--n2i", "n2")
    assert result.exit_code == 2
    assert "column 'n2' minus 'c', line 4: 'di' is negative" in said(result)


def test_measure_without_its_columns_is_refused(bcg_csv: Path) -> None:
    result = run(str(bcg_csv), "--measure", "SMD", "--m1i", "tpos")
    assert result.exit_code == 2
    assert "--sd1i" in said(result)


def test_unknown_method_is_refused(bcg_csv: Path) -> None:
    result = run(str(bcg_csv), "--yi", "yi", "--vi", "vi", "--method", "XYZ")
    assert result.exit_code == 2
    assert "REML" in said(result)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.csv"), "--yi", "yi", "--vi", "vi")
    assert result.exit_code == 2
    assert "no such file" in said(result)
