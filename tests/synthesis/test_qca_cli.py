"""The ``qca`` command: stable JSON contract, tables, and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hrhlessons.cli.app import app

DATA = Path(__file__).resolve().parents[1] / "data"
LC = str(DATA / "qca_lipset_lc.csv")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["qca", *args])


def test_json_output_matches_published_lc_solutions():
    res = run(LC, "--outcome", "SURV", "--conditions", "DEV,URB,LIT,IND,STB",
              "--case-col", "case", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out) == {"complex", "parsimonious", "truth_table"}
    assert out["complex"] == ["DEV*LIT*IND*STB + DEV*~URB*LIT*STB"]
    assert out["parsimonious"] == ["DEV*STB"]
    assert out["truth_table"][-1]["cases"] == ["BE", "CZ", "NL", "UK"]
    assert [r["row"] for r in out["truth_table"]] == [1, 2, 5, 6, 22, 23, 24, 31, 32]


def test_directional_adds_intermediate(tmp_path: Path):
    res = run(LC, "--outcome", "SURV", "--conditions", "DEV,URB,LIT,IND,STB",
              "--directional", "DEV=1,URB=1,LIT=1,IND=1,STB=1", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert "intermediate" in out and len(out["intermediate"]) >= 1
    assert all(isinstance(s, str) for s in out["intermediate"])


def test_incl_cut_option(tmp_path: Path):
    csv = tmp_path / "d.csv"
    csv.write_text("A,B,Y\n1,1,1\n1,1,1\n1,1,1\n1,1,1\n1,1,0\n0,0,0\n1,0,0\n")
    strict = json.loads(run(str(csv), "--outcome", "Y", "--conditions", "A,B",
                            "--format", "json").output)
    loose = json.loads(run(str(csv), "--outcome", "Y", "--conditions", "A,B",
                           "--incl-cut", "0.8", "--format", "json").output)
    assert strict["complex"] == [] and loose["complex"] == ["A*B"]


def test_table_output_lists_models():
    res = run(LC, "--outcome", "SURV", "--conditions", "DEV,URB,LIT,IND,STB", "--case-col", "case")
    assert res.exit_code == 0, res.output
    assert "parsimonious M1: DEV*STB -> SURV" in res.output
    assert "BE,CZ,NL,UK" in res.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--outcome", "SURV", "--conditions", "DEV,NOPE"], "'NOPE' is not in the data"),
        (["--outcome", "GONE", "--conditions", "DEV"], "'GONE' is not in the data"),
        (["--outcome", "SURV", "--conditions", " , "], "no column"),
        (["--outcome", "SURV", "--conditions", "DEV", "--directional", "DEV=2"], "DEV=2"),
        (["--outcome", "SURV", "--conditions", "DEV", "--directional", "URB=1"], "'URB'"),
        (["--outcome", "SURV", "--conditions", "DEV", "--case-col", "who"], "'who'"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], needle: str):
    res = run(LC, *args)
    assert res.exit_code == 2
    assert needle in " ".join(res.output.split())


def test_non_crisp_value_names_column_and_row(tmp_path: Path):
    csv = tmp_path / "bad.csv"
    csv.write_text("name,A,B,Y\nx,1,0,1\ny,0,3,0\n")
    res = run(str(csv), "--outcome", "Y", "--conditions", "A,B", "--case-col", "name")
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "column 'B', row 2 (case 'y')" in text


def test_missing_file_exits_2(tmp_path: Path):
    res = run(str(tmp_path / "none.csv"), "--outcome", "Y", "--conditions", "A")
    assert res.exit_code == 2
    assert "no such file" in " ".join(res.output.split())
