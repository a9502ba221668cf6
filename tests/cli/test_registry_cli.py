"""The registry commands end to end, as a user runs them (Typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hrhlessons import registry
from hrhlessons.cases.records import Batch
from hrhlessons.cli.app import app
from tests.cases.test_model import GOOD

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


@pytest.fixture
def db(db_url: str) -> str:
    run("import", "--bundled", "--db", db_url)
    return db_url


def _read_tree(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.mark.parametrize(("fmt", "name"), [("yaml", "out"), ("json", "cases.json"),
                                           ("csv", "cases.csv"), ("datapackage", "pkg")])
def test_export_import_export_is_byte_for_byte_stable(db: str, tmp_path: Path, fmt: str,
                                                      name: str) -> None:
    first = tmp_path / "first" / name
    run("export", str(first), "--format", fmt, "--db", db)
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    target = first / "datapackage.json" if fmt == "datapackage" else first
    out = run("import", str(target), "--db", other, "--format", "json")
    assert json.loads(out)["added"] > 150
    second = tmp_path / "second" / name
    run("export", str(second), "--format", fmt, "--db", other)
    assert _read_tree(first) == _read_tree(second)


def test_datapackage_is_valid_frictionless(db: str, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    pkg = tmp_path / "pkg"
    run("export", str(pkg), "--format", "datapackage", "--db", db)
    report = frictionless.validate(str(pkg / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) == 7


def test_broken_file_is_refused_and_nothing_changes(db: str, tmp_path: Path) -> None:
    run("export", str(tmp_path / "before.json"), "--format", "json", "--db", db)
    good = tmp_path / "in" / "good.yaml"
    good.parent.mkdir()
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "in" / "bad.yaml"
    bad.write_text(GOOD.replace("mwi-test-programme", "mwi-bad")
                   .replace("countries: [MWI]", "countries: [MWI, QQQ]"), encoding="utf-8")
    out = run("import", str(tmp_path / "in"), "--db", db, code=2)
    assert f"{bad}:3 [countries.1]" in out and "QQQ" in out
    assert "nothing was written" in out
    run("export", str(tmp_path / "after.json"), "--format", "json", "--db", db)
    assert (tmp_path / "before.json").read_bytes() == (tmp_path / "after.json").read_bytes()


def test_search_json_contract(db: str) -> None:
    out = run("search", "rural retention", "--status", "ended", "--format", "json", "--db", db)
    data = json.loads(out)
    assert set(data) == {"query", "total", "relaxed", "count", "results"}
    assert data["total"] >= 1
    hit = data["results"][0]
    for key in ("id", "name", "countries", "status", "status_year", "start_year", "end_year",
                "score", "provenance", "sources"):
        assert key in hit
    assert all(r["status"] == "ended" for r in data["results"])
    assert hit["sources"][0]["n"] == 1 and hit["sources"][0]["url"]


def test_search_table_and_bad_sort(db: str) -> None:
    out = run("search", "midwives", "--db", db, "--limit", "3")
    assert "case(s)" in out
    assert "--sort must be one of" in run("search", "x", "--sort", "size", "--db", db, code=2)


def test_show_prints_sources_beside_the_facts(db: str, bundled_batch: Batch) -> None:
    out = run("show", "eth-health-extension-programme", "--db", db)
    [case] = [c for c in bundled_batch.cases if c.id == "eth-health-extension-programme"]

    def numbers(field: str) -> str:  # the record's 0-based provenance, as show numbers sources
        return ", ".join(str(i + 1) for i in getattr(case.provenance, field))

    assert case.provenance.start_year and case.provenance.status  # the record cites both
    assert f"Start year: {case.start_year} [{numbers('start_year')}]" in out
    assert f"Status: {case.status.value} ({case.status_year}) [{numbers('status')}]" in out
    assert f"[1] {case.sources[0].title}" in " ".join(out.split())
    check = registry.bundled_fact_check("eth-health-extension-programme")
    assert check is not None
    assert (f"was checked against these sources on {check.checked_on.isoformat()}"
            in " ".join(out.split()))
    assert "no case with id" in run("show", "nope", "--db", db, code=2)


def test_validate_reports_problems_with_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(GOOD.replace("status: active", "status: finished"), encoding="utf-8")
    out = run("validate", str(f), code=2)
    assert f"{f}:12 [status]" in out
    data = json.loads(run("validate", str(f), "--format", "json", code=2))
    assert data["problems"][0]["line"] == 12 and data["problems"][0]["field"] == "status"
    assert "valid" in run("validate")


def test_summary_and_db_commands(db: str) -> None:
    data = json.loads(run("summary", "--format", "json", "--db", db))
    assert data["cases"] > 150 and data["countries"] > 70
    assert set(data["by_region"]) <= {"AFR", "AMR", "SEAR", "EUR", "EMR", "WPR"}
    assert "up to date" in run("db", "upgrade", "--db", db)
    assert "0002_facet_pairs" in run("db", "status", "--db", db)


def test_coverage_says_how_many_sources_are_titled_by_us_or_undated() -> None:
    data = json.loads(run("coverage", "--bundled", "--format", "json"))
    assert 0 < data["sources_described"] < data["sources_total"]
    assert 0 < data["sources_undated"] < data["sources_total"]
    text = " ".join(run("coverage", "--bundled").split())
    assert (f"{data['sources_total']} sources, {data['sources_per_case']} per case "
            f"({data['sources_described']} titled by our description: the page shows no "
            f"headline; {data['sources_undated']} undated: it shows no date)") in text


def test_coverage_says_what_the_latest_spot_check_readings_found() -> None:
    checks = json.loads(run("coverage", "--bundled", "--format", "json"))["fact_checks"]
    assert checks["spot_checked"] == (checks["latest_clean"] + checks["latest_with_finding"]
                                      + checks["latest_only_not_reached"])
    assert 0 < checks["latest_clean"] < checks["spot_checked"] <= checks["cases"]
    text = " ".join(run("coverage", "--bundled").split())
    assert (f"latest spot-check reading of {checks['spot_checked']} cases: "
            f"{checks['latest_clean']} entirely supported, {checks['latest_only_not_reached']} "
            f"short only by facts their pages did not show, {checks['latest_with_finding']} with "
            "a weaker or contradicted fact (found by the round or a close-call review after "
            f"it, mended since); {checks['facts_left']} facts in "
            f"{checks['cases_with_facts_left']} cases still not reached after the tries and "
            "passes since") in text
    # Only cases whose latest reading left facts not reached can still have some left.
    assert checks["cases_with_facts_left"] <= checks["latest_only_not_reached"] + checks[
        "latest_with_finding"]
    assert checks["cases_with_facts_left"] <= checks["facts_left"]


def test_export_refuses_to_replace_a_foreign_folder(db: str, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_bytes(b"precious")
    out = run("export", str(tmp_path / "mine"), "--db", db, code=2)
    assert "holds other files" in out
    assert (tmp_path / "mine" / "thesis.docx").read_bytes() == b"precious"


@pytest.mark.parametrize("command", [["summary"], ["search", "rural"], ["show", "x"],
                                     ["coverage"], ["export", "OUT"]])
def test_reading_a_database_never_created_says_how_to_create_it(tmp_path: Path,
                                                                 command: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    target = tmp_path / "exported"
    args = [str(target) if a == "OUT" else a for a in command]
    out = " ".join(run(*args, "--db", url, code=2).split())
    assert "has no tables yet" in out
    assert "hrh-lessons import --bundled" in out
    assert "hrh-lessons db upgrade" in out   # the other way, for an empty database
    assert "Traceback" not in out
    assert not target.exists()


def test_log_check_updates_the_log_and_refuses_unknown_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "x-case.yaml").write_text("id: x-case\n", encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("id,checked_on,result,note\nx-case,2026-01-01,supported,all found.\n",
                   encoding="utf-8")
    out = run("log-check", "x-case", "--note", "tag removed.", "--corrected", "--on",
              "2026-02-01", "--log", str(log), "--cases", str(cases))
    assert "corrected" in out
    assert log.read_text(encoding="utf-8") == (
        "id,checked_on,result,note\nx-case,2026-02-01,corrected,all found. tag removed.\n")
    before = log.read_bytes()
    assert "no case record" in run("log-check", "y-case", "--note", "n", "--log", str(log),
                                   "--cases", str(cases), code=2)
    assert "last checked on 2026-02-01" in run("log-check", "x-case", "--note", "n", "--on",
                                               "2026-01-15", "--log", str(log), "--cases",
                                               str(cases), code=2)
    assert "in the future" in run("log-check", "x-case", "--note", "n", "--on", "2999-01-01",
                                  "--log", str(log), "--cases", str(cases), code=2)
    assert "no case record" in run("log-check", "../cases/x-case", "--note", "n", "--log",
                                   str(log), "--cases", str(cases), code=2)
    assert log.read_bytes() == before                 # a refused check writes nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases", "log.csv"]


def test_log_checks_records_a_batch_in_one_write_or_refuses_it_whole(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("x-case", "y-case"):
        (cases / f"{name}.yaml").write_text(f"id: {name}\n", encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("id,checked_on,result,note\nx-case,2026-01-01,supported,all found.\n",
                   encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,result,note\nx-case,corrected,year fixed.\nz-case,supported,ok\n",
                   encoding="utf-8")
    before = log.read_bytes()
    out = run("log-checks", str(bad), "--on", "2026-02-01", "--log", str(log), "--cases",
              str(cases), code=2)
    assert f"{bad}:3 [id]: no case record 'z-case'" in out
    assert log.read_bytes() == before                 # the good first line was not logged
    good = tmp_path / "good.csv"
    good.write_text("id,result,note\nx-case,corrected,year fixed.\ny-case,supported,ok\n",
                    encoding="utf-8")
    out = run("log-checks", str(good), "--on", "2026-02-01", "--log", str(log), "--cases",
              str(cases))
    assert "2 case(s) checked on 2026-02-01 (1 corrected)" in out
    assert log.read_text(encoding="utf-8") == (
        "id,checked_on,result,note\nx-case,2026-02-01,corrected,all found. year fixed.\n"
        "y-case,2026-02-01,supported,ok\n")


def test_spot_checks_and_draw_read_the_log_they_are_given(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("a-case", "b-case", "c-case", "d-case"):
        (cases / f"{name}.yaml").write_text(f"id: {name}\n", encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("id,checked_on,result,note\n"
                   'a-case,2026-01-01,supported,"Spot-check AB (rules): S 4, W 0, C 0, N 0 of 4."\n'
                   'b-case,2026-01-01,corrected,"Spot-check AB (rules): S 3, W 1, C 0, N 2 of 6."\n'
                   'c-case,2026-01-01,corrected,"Spot-check Z (rules): S 2, W 1 of 3."\n',
                   encoding="utf-8")
    rounds = json.loads(run("spot-checks", "--format", "json", "--log", str(log)))
    assert [(r["round"], r["records"], r["facts"], r["clean"], r["flawed"]) for r in rounds] == [
        ("Z", 1, 3, 0, 1), ("AB", 2, 10, 1, 1)]
    assert "AB" in run("spot-checks", "--log", str(log))
    drawn = run("draw", "2", "--seed", "s1", "--cases", str(cases), "--log", str(log)).split()
    assert len(drawn) == 2 and drawn == sorted(drawn)
    assert drawn == run("draw", "2", "--seed", "s1", "--cases", str(cases)).split()
    assert run("draw", "2", "--seed", "s", "--last-round", "AB", "--cases", str(cases),
               "--log", str(log)).split() == ["a-case", "b-case"]
    assert run("draw", "1", "--seed", "s", "--last-round", "none", "--cases", str(cases),
               "--log", str(log)).split() == ["d-case"]
    assert "cannot draw 3 of 2" in run("draw", "3", "--seed", "s", "--last-round", "AB",
                                       "--cases", str(cases), "--log", str(log), code=2)
    # b-case's and c-case's latest readings found a weaker fact; AB's clean a-case is out.
    assert run("draw", "2", "--seed", "s", "--last-finding", "--cases", str(cases),
               "--log", str(log)).split() == ["b-case", "c-case"]
    assert run("draw", "1", "--seed", "s", "--last-finding", "--last-round", "AB", "--cases",
               str(cases), "--log", str(log)).split() == ["b-case"]
    # The log as it stood after Z held only c-case's reading: b-case's AB finding comes later,
    # and a-case, b-case and d-case had then been read by no round.
    assert run("draw", "1", "--seed", "s", "--last-finding", "--up-to", "Z", "--cases",
               str(cases), "--log", str(log)).split() == ["c-case"]
    assert run("draw", "3", "--seed", "s", "--last-round", "none", "--up-to", "Z", "--cases",
               str(cases), "--log", str(log)).split() == ["a-case", "b-case", "d-case"]
    # --before AB leaves the records whose latest round came before AB (c-case, read in Z) or
    # that no round read (d-case); --before Z leaves only d-case, and with the log as it stood
    # after Z (a-case's and b-case's AB readings not yet in it) a-case and b-case too.
    assert run("draw", "2", "--seed", "s", "--before", "AB", "--cases", str(cases),
               "--log", str(log)).split() == ["c-case", "d-case"]
    assert run("draw", "1", "--seed", "s", "--before", "Z", "--cases", str(cases),
               "--log", str(log)).split() == ["d-case"]
    assert run("draw", "3", "--seed", "s", "--before", "Z", "--up-to", "Z", "--cases",
               str(cases), "--log", str(log)).split() == ["a-case", "b-case", "d-case"]
    # --as-of Z leaves out a-case and b-case, first read in AB (records added after Z, as a
    # registry that had read every record by then would show); --as-of AB leaves out none.
    assert run("draw", "2", "--seed", "s", "--as-of", "Z", "--cases", str(cases),
               "--log", str(log)).split() == ["c-case", "d-case"]
    assert "cannot draw 3 of 2" in run("draw", "3", "--seed", "s", "--as-of", "Z", "--cases",
                                       str(cases), "--log", str(log), code=2)
    assert len(run("draw", "4", "--seed", "s", "--as-of", "AB", "--cases", str(cases),
                   "--log", str(log)).split()) == 4
    assert "--as-of: 'z' is not a round label" in run(
        "draw", "1", "--seed", "s", "--as-of", "z", "--cases", str(cases), "--log", str(log),
        code=2)
    assert "--before: 'ab' is not a round label" in run(
        "draw", "1", "--seed", "s", "--before", "ab", "--cases", str(cases), "--log", str(log),
        code=2)
    assert "is not a round label" in run("draw", "1", "--seed", "s", "--last-finding", "--up-to",
                                         "dp", "--cases", str(cases), "--log", str(log), code=2)
