"""``hrh-lessons project``: the JSON contract, assumptions, errors naming options, country data."""

from __future__ import annotations

import json
import sys
import types
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from hrhlessons.cli.app import app
from hrhlessons.errors import UnknownCountry

runner = CliRunner()

# Stock 100, intake 10, duration 2, completion 0.5, attrition 0.1 (see test_projection.py):
# stock 100, 95, 90.5; population 100,000, 102,000, 104,040.
SMALL = ["--cadre", "doctors", "--stock", "100", "--population", "100000",
         "--population-growth", "0.02", "--intake", "10", "--duration", "2",
         "--completion", "0.5", "--attrition", "0.1", "--start", "2020", "--end", "2022"]


def run(*args: str) -> Any:
    return runner.invoke(app, ["project", *args])


def payload(*args: str) -> dict[str, Any]:
    result = run(*args)
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def said(text: str) -> str:
    """The text with the terminal's line wrapping undone."""
    return " ".join(text.split())


def without(args: list[str], option: str) -> list[str]:
    i = args.index(option)
    return args[:i] + args[i + 2:]


def test_json_contract_by_hand() -> None:
    out = payload(*SMALL)
    assert out["years"] == [2020, 2021, 2022]
    assert out["stock"] == pytest.approx([100.0, 95.0, 90.5])
    assert out["density"] == pytest.approx([10.0, 95 / 10.2, 90.5 / 10.404])
    assert out["target_year"] is None
    assert out["required_intake"] is None
    assert out["graduates"] == pytest.approx([5.0, 5.0, 5.0])
    assert "density_p50" not in out
    assert any("intake growth 0" in a for a in out["assumptions"])


def test_target_year_and_required_intake() -> None:
    # Population fixed, duration 1, target 12 per 10,000 = 120 workers: stock 2022 with
    # intake I is 81 + 0.95 I (test_projection.py), so I = 39 / 0.95; by 2021 it is 60.
    args = [*without(without(SMALL, "--population-growth"), "--duration"),
            "--population-growth", "0", "--duration", "1", "--target-density", "12"]
    out = payload(*args)
    assert out["required_intake"] == pytest.approx(39 / 0.95)
    assert out["by_year"] == 2022
    assert payload(*args, "--by-year", "2021")["required_intake"] == pytest.approx(60.0)
    rerun = payload(*without(args, "--intake"), "--intake", str(39 / 0.95 * (1 + 1e-9)))
    assert rerun["target_year"] == 2022
    assert payload(*args, "--target-density", "9")["target_year"] == 2020


def test_draws_add_bands_reproducibly() -> None:
    args = [*SMALL, "--end", "2030", "--draws", "200", "--seed", "5",
            "--attrition-range", "0.05,0.15"]
    a, b = payload(*args), payload(*args)
    assert a == b
    for key in ("density_p10", "density_p50", "density_p90"):
        assert len(a[key]) == 11
    assert a["density_p10"][-1] < a["density_p50"][-1] < a["density_p90"][-1]
    assert a["ranges"] == {"attrition": [0.05, 0.15]}
    assert payload(*args[:-1], "0.05,0.16")["density_p90"] != a["density_p90"]


def test_draws_without_ranges_use_labelled_illustrative_spreads() -> None:
    out = payload(*SMALL, "--draws", "50")
    assert set(out["ranges"]) == {"attrition", "completion", "intake_growth",
                                  "population_growth"}
    assert any("illustrative spreads" in a for a in out["assumptions"])


def test_need_gap_and_cost() -> None:
    out = payload(*SMALL, "--population-per-worker", "1000", "--cost-per-worker-year", "100")
    assert out["need"] == pytest.approx([100.0, 102.0, 104.04])
    assert out["gap"] == pytest.approx([0.0, 7.0, 13.54])
    assert out["cost"] == pytest.approx([10_000.0, 9_500.0, 9_050.0])
    births = payload(*SMALL, "--births", "4000", "--births-per-worker", "175")
    assert births["need"][0] == pytest.approx(4000 / 175)


def test_table_format() -> None:
    result = run(*SMALL, "--target-density", "9", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "2022" in result.stdout
    assert "reached in 2020" in result.stdout
    assert "assumption:" in result.stdout


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--attrition", "1.2", "1.2"),
    ("--completion", "0", "(0, 1]"),
    ("--intake", "-5", "-5"),
    ("--population", "0", "more than 0"),
    ("--stock", "-1", "-1"),
    ("--end", "2019", "before start year 2020"),
])
def test_bad_value_exits_2_naming_the_option(option: str, value: str, words: str) -> None:
    result = run(*without(SMALL, option), option, value)
    assert result.exit_code == 2
    assert option in said(result.stderr)
    assert words in said(result.stderr)


def test_missing_intake_is_required() -> None:
    result = run(*without(SMALL, "--intake"))
    assert result.exit_code == 2
    assert "--intake is required" in said(result.stderr)


@pytest.mark.parametrize(("option", "value"), [("--duration", 3), ("--completion", 0.85),
                                               ("--attrition", 0.05)])
def test_missing_model_parameter_uses_a_labelled_illustrative_value(option: str,
                                                                    value: float) -> None:
    given = run(*without(SMALL, option), option, str(value), "--format", "json")
    assumed = run(*without(SMALL, option), "--format", "json")
    assert assumed.exit_code == 0, assumed.stderr
    data = json.loads(assumed.stdout)
    name = option.removeprefix("--")
    assert any(a.startswith(f"{name} ") and "illustrative" in a for a in data["assumptions"])
    # the assumed value is exactly the documented one: same path as giving it explicitly
    assert data["stock"] == json.loads(given.stdout)["stock"]


def test_other_bad_input_exits_2() -> None:
    cases = [
        ([*SMALL, "--attrition-range", "0.1"], "--attrition-range"),
        ([*SMALL, "--draws", "9", "--attrition-range", "0.2,0.1"], "--attrition-range"),
        ([*SMALL, "--completion-range", "0.5,0.9"], "--completion-range has no effect"),
        ([*SMALL, "--by-year", "2021"], "--by-year needs --target-density"),
        ([*SMALL, "--target-density", "9", "--by-year", "2030"], "--by-year"),
        ([*SMALL, "--births", "4000"], "--births-per-worker"),
        ([*without(SMALL, "--stock")], "--stock is required"),
        ([*SMALL, "--draws", "0"], "--draws"),
        (["--cadre", "dentists", *SMALL[2:]], "--cadre"),
    ]
    for args, words in cases:
        result = run(*args)
        assert result.exit_code == 2, args
        assert words in said(result.output), (args, result.output)


def test_every_option_has_help_text() -> None:
    command = typer.main.get_command(app).commands["project"]  # type: ignore[attr-defined]
    assert command.help
    for param in command.params:
        assert getattr(param, "help", None), param.name
    result = run("--help")
    assert "required_intake" in result.stdout and "density_p10" in result.stdout


# ---------------------------------------------------------------------------------------------
# Country data. These tests put a stand-in for the reference data with small, known numbers in
# place of hrhlessons.reference (load_reference().latest / .series / .population).


class FakeReference:
    """Malawi-like numbers: population 10 million in 2008 growing 3% a year to 2022."""

    def latest(self, iso3: str, indicator: str) -> tuple[int, float] | None:
        if iso3 != "MWI":
            raise UnknownCountry(iso3)
        return {"HWF_0001": (2018, 0.5), "HWF_0006": (2018, 7.0),
                "HWF_0024": (2018, 9_000.0)}.get(indicator)

    def population(self, iso3: str, year: int) -> float | None:
        if not 2008 <= year <= 2022:
            raise LookupError(year)
        return 10_000_000 * 1.03 ** (year - 2008)

    def series(self, iso3: str, indicator: str) -> list[tuple[int, float]]:
        assert indicator == "POP"
        return [(year, 10_000_000 * 1.03 ** (year - 2008)) for year in range(2008, 2023)]


class FakeReferenceWithoutDoctors(FakeReference):
    def latest(self, iso3: str, indicator: str) -> tuple[int, float] | None:
        return None if indicator == "HWF_0001" else super().latest(iso3, indicator)


@pytest.fixture
def fake_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("hrhlessons.reference")
    module.load_reference = FakeReference  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hrhlessons.reference", module)


MODEL = ["--intake", "100", "--duration", "6", "--completion", "0.9", "--attrition", "0.04",
         "--start", "2024", "--end", "2030"]


@pytest.mark.usefixtures("fake_reference")
def test_country_data_fill_stock_population_and_growth() -> None:
    out = payload("mwi", "--cadre", "doctors", *MODEL)
    # stock = 0.5 per 10,000 x population 2018 (10m x 1.03^10) / 10,000 = 671.96
    assert out["stock"][0] == pytest.approx(0.5 * 10_000_000 * 1.03**10 / 10_000)
    # growth over 2012-2022 = 3%; population 2024 = 10m x 1.03^16
    assert out["parameters"]["population_growth"] == pytest.approx(0.03)
    assert out["population"][0] == pytest.approx(10_000_000 * 1.03**16)
    assert out["country"] == "MWI"
    assert any("HWF_0001 2018" in d for d in out["derivations"])
    assert any("2018 stock is used as the 2024 stock" in d for d in out["derivations"])


@pytest.mark.usefixtures("fake_reference")
def test_country_chw_count_is_the_stock_and_options_override_data() -> None:
    out = payload("MWI", "--cadre", "chw", *MODEL)
    assert out["stock"][0] == pytest.approx(9_000.0)
    out = payload("MWI", "--cadre", "chw", "--stock", "5000", *MODEL)
    assert out["stock"][0] == 5_000.0
    assert any("stock given as --stock" in d for d in out["derivations"])


@pytest.mark.usefixtures("fake_reference")
def test_unknown_country_exits_2_with_the_reference_message() -> None:
    result = run("KEN", "--cadre", "doctors", *MODEL)
    assert result.exit_code == 2
    assert "KEN" in result.stderr and "ISO 3166-1" in said(result.stderr)
    assert run("KENYA", "--cadre", "doctors", *MODEL).exit_code == 2


def test_country_without_the_figure_asks_for_explicit_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("hrhlessons.reference")
    module.load_reference = FakeReferenceWithoutDoctors  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hrhlessons.reference", module)
    result = run("MWI", "--cadre", "doctors", *MODEL)
    assert result.exit_code == 2
    assert "--stock, --population and --population-growth" in said(result.stderr)
    explicit = payload("MWI", "--cadre", "doctors", "--stock", "700", "--population", "2e7",
                       "--population-growth", "0.03", *MODEL)
    assert explicit["stock"][0] == 700.0
    assert any("no MWI data used" in d for d in explicit["derivations"])


def test_country_data_from_the_bundled_reference() -> None:
    reference = pytest.importorskip("hrhlessons.reference")
    ref = reference.load_reference()
    year, density = ref.latest("MWI", "HWF_0006")
    out = payload("MWI", "--cadre", "nurses_midwives", *MODEL)
    assert out["stock"][0] == pytest.approx(density * ref.population("MWI", year) / 10_000)
    assert out["population"][0] == pytest.approx(ref.population("MWI", 2024))
    assert 0 < out["parameters"]["population_growth"] < 0.05
    assert any(f"HWF_0006 {year}" in d for d in out["derivations"])
    # HWF_0024 is a count: the CHW stock is that count (Ethiopia's is positive).
    count_year, count = ref.latest("ETH", "HWF_0024")
    assert count > 0 and ref.population("ETH", count_year) is not None
    chw = payload("ETH", "--cadre", "chw", *MODEL)
    assert chw["stock"][0] == pytest.approx(count)
