"""The countries commands through the real application (typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hrhlessons.cli.app import app

runner = CliRunner()


def test_one_country_as_json() -> None:
    result = runner.invoke(app, ["countries", "MWI", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["iso3"] == "MWI"
    assert data["doctors_per_10000"] == {"year": 2020, "value": 0.5}
    assert data["nurses_midwives_per_10000"] == {"year": 2020, "value": 7.09}
    assert data["doctors_nurses_midwives_per_10000"] == pytest.approx(7.59)
    assert data["meets_sdg_threshold"] is False
    assert data["meets_whr2006_threshold"] is False
    assert (data["who_region"], data["income_group"]) == ("AFR", "L")


def test_one_country_as_a_table() -> None:
    result = runner.invoke(app, ["countries", "ken"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Kenya (KEN)" in result.stdout
    assert "1.57 (2018)" in result.stdout
    assert "Lower middle income" in result.stdout
    assert "44.5" in result.stdout and "22.8" in result.stdout


def test_every_country() -> None:
    result = runner.invoke(app, ["countries", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["iso3"]: row for row in json.loads(result.stdout)}
    assert len(rows) > 200
    assert rows["MWI"]["doctors_per_10000"]["value"] == 0.5
    table = runner.invoke(app, ["countries"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "Malawi" in table.stdout and "Zimbabwe" in table.stdout


def test_unknown_country_exits_2() -> None:
    result = runner.invoke(app, ["countries", "XXX"])
    assert result.exit_code == 2
    assert "XXX" in result.stderr


def test_import_gho_then_show(data_dir: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRH_DATA_DIR", str(tmp_path / "data"))
    export = tmp_path / "export.csv"
    export.write_text((data_dir / "gho_doctors.csv").read_text().replace(",0.5,", ",0.55,"))
    result = runner.invoke(app, ["countries", "import-gho", str(export)])
    assert result.exit_code == 0, result.output
    assert "HWF_0001, HWF_0002" in result.stdout
    assert "0 row(s) added, 1 changed, 5 unchanged" in result.stdout
    assert (tmp_path / "data" / "countries" / "indicators.csv").exists()
    shown = runner.invoke(app, ["countries", "MWI", "--format", "json"])
    assert json.loads(shown.stdout)["doctors_per_10000"] == {"year": 2020, "value": 0.55}


def test_import_gho_bad_file_exits_2_and_names_the_cell(data_dir: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text((data_dir / "gho_chw.csv").read_text().replace(",58079,", ",n/a,"))
    result = runner.invoke(app, ["countries", "import-gho", str(export)])
    assert result.exit_code == 2
    assert f"{export}:4 [FactValueNumeric]" in result.stderr
    assert "nothing was written" in result.stderr


def test_every_command_and_option_has_help() -> None:
    for args in (["countries", "--help"], ["countries", "import-gho", "--help"]):
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert "ISO3" in result.stdout or "FILE" in result.stdout
    assert "import-gho" in runner.invoke(app, ["countries", "--help"]).stdout
