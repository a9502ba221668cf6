"""The ``meta`` command: meta-analysis of study effect sizes from a CSV file.

Output contract (JSON, one object): ``k, estimate, se, ci_low, ci_high, tau2, i2, h2, q, q_p,
pi_low, pi_high`` for a meta-analysis; ``k, coef, se, tau2, qm`` (``coef``/``se`` intercept
first, then the moderators in the order given) with ``--moderators``; ``egger_z, egger_p`` added
by ``--egger``. A few more keys (method, test, p-values, intervals) follow these.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.markup import escape
from rich.table import Table

from hrhlessons.cli.app import console, fail

#: Columns each --measure reads, by option name (n1i/n2i may replace bi/di for 2x2 measures).
MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "RR": ("ai", "bi", "ci", "di"),
    "OR": ("ai", "bi", "ci", "di"),
    "RD": ("ai", "bi", "ci", "di"),
    "SMD": ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),
    "MD": ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),
    "ZCOR": ("ri", "ni"),
}
CONTRACT_KEYS = ("k", "estimate", "se", "ci_low", "ci_high", "tau2", "i2", "h2", "q", "q_p",
                 "pi_low", "pi_high")
REGRESSION_KEYS = ("k", "coef", "se", "tau2", "qm")


class _Table:
    """The rows of a CSV file, with the line each row came from."""

    def __init__(self, path: Path):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            fail(f"{path}: no such file; give the path of a CSV file with one row per study")
        except (UnicodeDecodeError, IsADirectoryError) as exc:
            fail(f"{path}: cannot be read as UTF-8 CSV text ({exc}); save it as UTF-8 CSV")
        reader = csv.DictReader(text.splitlines())
        self.path = path
        self.columns: list[str] = list(reader.fieldnames or [])
        self.rows: list[dict[str, str]] = []
        self.lines: list[int] = []
        for row in reader:
            if not any((v or "").strip() for v in row.values()):
                continue  # blank line
            self.rows.append({k: (v or "") for k, v in row.items() if k is not None})
            self.lines.append(reader.line_num)

    def has(self, column: str, option: str) -> None:
        if column not in self.columns:
            known = ", ".join(self.columns) or "none"
            fail(escape(f"{self.path}: column '{column}' (given to {option}) is not in the "
                        f"header; the columns are: {known}"))

    def numbers(self, column: str, option: str) -> list[float]:
        self.has(column, option)
        values: list[float] = []
        problems: list[str] = []
        for row, line in zip(self.rows, self.lines, strict=True):
            raw = row.get(column, "").strip()
            try:
                values.append(float(raw))
            except ValueError:
                what = "is empty" if not raw else f"is '{raw}', not a number"
                problems.append(f"{self.path}: line {line}, column '{column}' {what}")
                continue
            if values[-1] != values[-1] or abs(values[-1]) == float("inf"):
                problems.append(f"{self.path}: line {line}, column '{column}' is '{raw}', "
                                "not a finite number")
        if problems:
            fail(escape("; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)"
                                                   if len(problems) > 5 else "")
                        + "; every study needs a number here"))
        return values


def _effects(table: _Table, measure: str, cols: dict[str, str | None]
             ) -> tuple[list[float], list[float]]:
    from hrhlessons.errors import InvalidInput
    from hrhlessons.synthesis import effects

    m = measure.upper()
    if m not in MEASURE_COLUMNS:
        fail(f"--measure {measure} is not known; use one of {', '.join(MEASURE_COLUMNS)}")
    needed = list(MEASURE_COLUMNS[m])
    if m in effects.COUNT_MEASURES and cols["bi"] is None and cols["di"] is None:
        needed = ["ai", "n1i", "ci", "n2i"]
    missing = [f"--{n}" for n in needed if cols[n] is None]
    if missing:
        fail(f"--measure {m} needs the column options {', '.join(missing)} "
             f"(it reads {', '.join('--' + n for n in needed)})")
    data = {n: table.numbers(str(cols[n]), f"--{n}") for n in needed}
    where = [f"line {line}" for line in table.lines]
    try:
        if m in effects.COUNT_MEASURES:
            es = effects.two_by_two(cast(effects.CountMeasure, m), data["ai"], data.get("bi"),
                                    data["ci"], data.get("di"), n1i=data.get("n1i"),
                                    n2i=data.get("n2i"), labels=where)
        elif m in effects.MEAN_MEASURES:
            es = effects.mean_difference(cast(effects.MeanMeasure, m), data["m1i"], data["sd1i"],
                                         data["n1i"], data["m2i"], data["sd2i"], data["n2i"],
                                         labels=where)
        else:
            es = effects.fisher_z(data["ri"], data["ni"], labels=where)
    except InvalidInput as exc:
        shown = {k: f"'{v}'" for k, v in cols.items() if v is not None}
        if "n1i" in data and cols["bi"] is None:
            shown["bi"] = f"'{cols['n1i']}' minus '{cols['ai']}'"
        if "n2i" in data and cols["di"] is None:
            shown["di"] = f"'{cols['n2i']}' minus '{cols['ci']}'"
        fail(escape("; ".join(
            f"{table.path}: column {shown.get(p.field, p.field)}, "
            + re.sub(r"^study 'line (\d+)'", r"line \1", p.message)
            for p in exc.problems)))
    return list(es.yi), list(es.vi)


def meta(
    file: Annotated[Path, typer.Argument(help="CSV file: a header row, then one row per study.")],
    yi: str | None = typer.Option(None, "--yi", help="Column of effect sizes (use with --vi)."),
    vi: str | None = typer.Option(None, "--vi", help="Column of sampling variances (> 0)."),
    measure: str | None = typer.Option(
        None, "--measure",
        help="Compute effect sizes instead of --yi/--vi: RR, OR or RD from --ai --bi --ci --di "
             "(or --ai --n1i --ci --n2i); SMD (Hedges' g) or MD from --m1i --sd1i --n1i --m2i "
             "--sd2i --n2i; ZCOR (Fisher's z) from --ri --ni. Zero cells: 1/2 is added to "
             "studies with a zero, as metafor does."),
    ai: str | None = typer.Option(None, "--ai", help="Column: events, treated group."),
    bi: str | None = typer.Option(None, "--bi", help="Column: non-events, treated group."),
    ci: str | None = typer.Option(None, "--ci", help="Column: events, control group."),
    di: str | None = typer.Option(None, "--di", help="Column: non-events, control group."),
    n1i: str | None = typer.Option(None, "--n1i", help="Column: size of group 1 (treated)."),
    n2i: str | None = typer.Option(None, "--n2i", help="Column: size of group 2 (control)."),
    m1i: str | None = typer.Option(None, "--m1i", help="Column: mean of group 1."),
    sd1i: str | None = typer.Option(None, "--sd1i", help="Column: standard deviation, group 1."),
    m2i: str | None = typer.Option(None, "--m2i", help="Column: mean of group 2."),
    sd2i: str | None = typer.Option(None, "--sd2i", help="Column: standard deviation, group 2."),
    ri: str | None = typer.Option(None, "--ri", help="Column: correlation coefficient."),
    ni: str | None = typer.Option(None, "--ni", help="Column: sample size of the correlation."),
    method: str = typer.Option(
        "REML", "--method",
        help="FE (fixed effect), DL (DerSimonian-Laird), REML, ML or PM (Paule-Mandel)."),
    knha: bool = typer.Option(
        False, "--knha", help="Hartung-Knapp-Sidik-Jonkman adjustment (t tests and intervals)."),
    moderators: str | None = typer.Option(
        None, "--moderators",
        help="Comma-separated numeric columns for a meta-regression, e.g. ablat,year."),
    egger: bool = typer.Option(
        False, "--egger", help="Add Egger's regression test (egger_z, egger_p)."),
    level: float = typer.Option(0.95, "--level", help="Confidence level of the intervals."),
    output_format: str = typer.Option("json", "--format", help="json or table."),
) -> None:
    """Meta-analyse study effect sizes from a CSV file (fixed or random effects).

    Give --yi and --vi columns, or --measure with the raw columns it needs. Prints one JSON
    object (or a table). Bad input exits with code 2 and names the column and line.
    """
    from hrhlessons.errors import HRHError
    from hrhlessons.synthesis.meta import METHODS, egger_test, meta_analysis, meta_regression

    fmt = output_format.lower()
    if fmt not in {"json", "table"}:
        fail(f"--format {output_format} is not known; use json or table")
    if method.upper() not in METHODS:
        fail(f"--method {method} is not known; use one of {', '.join(METHODS)}")
    if not 0 < level < 1:
        fail(f"--level {level} must lie between 0 and 1, e.g. 0.95")
    table = _Table(file)
    if measure is not None and (yi is not None or vi is not None):
        fail("give either --yi/--vi or --measure with its columns, not both")
    if measure is None:
        if yi is None or vi is None:
            fail("give the effect-size columns with --yi and --vi, or use --measure "
                 "(see --help)")
        y, v = table.numbers(yi, "--yi"), table.numbers(vi, "--vi")
        bad = [f"line {line} ({x:g})" for line, x in zip(table.lines, v, strict=True) if x <= 0]
        if bad:
            fail(escape(f"{file}: column '{vi}' must hold sampling variances above 0; not so at "
                        f"{', '.join(bad[:5])}"))
    else:
        cols = {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "m1i": m1i,
                "sd1i": sd1i, "m2i": m2i, "sd2i": sd2i, "ri": ri, "ni": ni}
        y, v = _effects(table, measure, cols)
    if len(y) < 2:
        fail(f"{file}: {len(y)} study row(s); a meta-analysis needs at least 2")
    labels = [f"line {line}" for line in table.lines]

    out: dict[str, Any]
    try:
        if moderators:
            names = [m.strip() for m in moderators.split(",") if m.strip()]
            mods = {n: table.numbers(n, "--moderators") for n in names}
            reg = meta_regression(y, v, mods, method=method, knha=knha, level=level,
                                  labels=labels).to_dict()
            out = {key: reg[key] for key in REGRESSION_KEYS}
            out.update({key: reg[key] for key in ("terms", "stat", "p", "qm_df", "qm_p", "qe",
                                                  "qe_p", "i2", "h2", "r2", "method", "test")})
        else:
            res = meta_analysis(y, v, method=method, knha=knha, level=level,
                                labels=labels).to_dict()
            out = {key: res[key] for key in CONTRACT_KEYS}
            out.update({key: res[key] for key in ("method", "test", "stat", "p", "df",
                                                  "tau2_ci_low", "tau2_ci_high")})
        if egger:
            eg = egger_test(y, v, method=method, knha=knha, labels=labels)
            out["egger_z"], out["egger_p"] = eg.z, eg.p
    except HRHError as exc:
        fail(escape(f"{file}: {exc}"))
    if fmt == "json":
        console.print_json(data=out)
        return
    grid = Table("quantity", "value", title=f"meta-analysis of {file.name}")
    for key, value in out.items():
        shown = (", ".join(f"{x:.6g}" if isinstance(x, float) else str(x) for x in value)
                 if isinstance(value, list) else
                 (f"{value:.6g}" if isinstance(value, float) else str(value)))
        grid.add_row(key, shown)
    console.print(grid)


def register(app: typer.Typer) -> None:
    app.command()(meta)
