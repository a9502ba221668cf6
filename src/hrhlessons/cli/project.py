"""The ``project`` command: a cadre's workforce scale-up projection, optionally with uncertainty.

Output contract (``--format json``), stable: ``years``, ``stock``, ``density``, ``target_year``
(a year or null), ``required_intake`` (a number or null); with ``--draws``, also
``density_p10``, ``density_p50``, ``density_p90`` (and ``density_p2.5``, ``density_p97.5``).
Extra keys: ``population``, ``graduates``, ``intake``, ``need``/``gap`` (with a service norm),
``cost`` (with unit costs), ``assumptions`` (every value the command assumed rather than was
given) and ``derivations`` (how country data became parameters).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from hrhlessons.adapt.projection import (
    ILLUSTRATIVE,
    CadreParameters,
    MonteCarloProjection,
    Projection,
    Ranges,
    ServiceNorm,
    UnitCosts,
    country_inputs,
    monte_carlo,
    project,
    required_intake,
)
from hrhlessons.cli.app import console, fail
from hrhlessons.errors import HRHError, InvalidInput, MissingCountryData


class Cadre(StrEnum):
    doctors = "doctors"
    nurses_midwives = "nurses_midwives"
    chw = "chw"


class Format(StrEnum):
    json = "json"
    table = "table"


#: Problem fields that are not simply the option name with dashes.
_OPTION_OF = {
    "norm.per_worker": "--population-per-worker/--births-per-worker",
    "norm.births": "--births",
    "costs.per_trainee_year": "--cost-per-trainee-year",
    "costs.per_graduate": "--cost-per-graduate",
    "costs.per_worker_year": "--cost-per-worker-year",
}

#: Spreads used when --draws is given without any range. They are illustrative, chosen by HRH
#: Lessons and not taken from the literature; the output lists them as assumptions.
_DEFAULT_SPREAD = {
    "attrition": "attrition x 0.75 to x 1.25",
    "completion": "completion x 0.9 to x 1.1 (at most 1)",
    "intake_growth": "intake growth +/- 1 percentage point",
    "population_growth": "population growth +/- 0.5 percentage point",
}


def _option(field: str) -> str:
    return _OPTION_OF.get(field, "--" + field.replace("_", "-"))


def _fail_invalid(exc: InvalidInput) -> None:
    fail("\n".join(escape(f"{_option(p.field)}: {p.message}") for p in exc.problems))


def _parse_range(option: str, text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.replace(":", ",").split(",")
    try:
        low, high = (float(x) for x in parts)
    except ValueError:
        fail(escape(f"{option}: give a range as LOW,HIGH (for example 0.03,0.07), got '{text}'"))
    return low, high


def _default_ranges(p: CadreParameters) -> Ranges:
    return Ranges(
        attrition=(p.attrition * 0.75, min(p.attrition * 1.25, 0.99)),
        completion=(p.completion * 0.9, min(p.completion * 1.1, 1.0)),
        intake_growth=(p.intake_growth - 0.01, p.intake_growth + 0.01),
        population_growth=(p.population_growth - 0.005, p.population_growth + 0.005),
    )


def _country_defaults(iso3: str, cadre: str, start: int) -> dict[str, Any]:
    """Stock, population and growth from the reference data, through the library."""
    from hrhlessons.reference import load_reference

    try:
        return country_inputs(load_reference(), iso3, cadre, start)
    except MissingCountryData as exc:
        if exc.what == "figure":
            fail(f"the reference data have no {exc.indicator} figure for {iso3}; give --stock, "
                 f"--population and --population-growth")
        fail(f"no population for {iso3} in {exc.year}, the year of its CHW count; give --stock")
    except InvalidInput as exc:
        fail(escape(f"the reference data for {iso3} cannot give defaults: {exc}"))
    except HRHError as exc:
        fail(escape(str(exc)))


def _workforce(iso3: str | None, cadre: str, start: int, stock: float | None,
               population: float | None, growth: float | None,
               derivations: list[str]) -> tuple[float, float, float]:
    """Stock, population and growth: the options given, the rest from the country's data."""
    if iso3 is not None:
        iso3 = iso3.strip().upper()
        if len(iso3) != 3 or not iso3.isalpha():
            fail(f"ISO3: '{iso3}' is not a three-letter country code such as MWI or KEN")
        if None not in (stock, population, growth):
            derivations.append(f"no {iso3} data used: stock, population and population growth "
                               "were given as options")
        else:
            found = _country_defaults(iso3, cadre, start)
            derivations.extend(found["notes"])
            for name, given in (("stock", stock), ("population", population),
                                ("population_growth", growth)):
                if given is not None:
                    derivations.append(f"{name} given as --{name.replace('_', '-')}, "
                                       "not from data")
            stock = found["stock"] if stock is None else stock
            population = found["population"] if population is None else population
            growth = found["population_growth"] if growth is None else growth
    for option, value in (("--stock", stock), ("--population", population),
                          ("--population-growth", growth)):
        if value is None:
            fail(f"{option} is required without an ISO3 country code (with one, it comes from "
                 "the reference data)")
    assert stock is not None and population is not None and growth is not None
    return stock, population, growth


def _norm(population_per_worker: float | None, births: float | None,
          births_per_worker: float | None) -> ServiceNorm | None:
    if population_per_worker is not None and births_per_worker is not None:
        fail("--population-per-worker and --births-per-worker: give one service norm, not both")
    if population_per_worker is not None:
        return ServiceNorm("population", population_per_worker)
    if births_per_worker is None and births is None:
        return None
    if births_per_worker is None or births is None:
        fail("--births and --births-per-worker go together: the need is births / births "
             "per worker")
    return ServiceNorm("births", births_per_worker, births=births)


def project_command(
    cadre: Annotated[Cadre, typer.Option("--cadre", help="The cadre to project.")],
    start: Annotated[int, typer.Option("--start", help="First year of the projection.")],
    end: Annotated[int, typer.Option("--end", help="Last year of the projection.")],
    iso3: Annotated[str | None, typer.Argument(
        help="ISO3 country code (e.g. MWI): stock, population and population growth come from "
             "the reference data unless given as options.")] = None,
    stock: Annotated[float | None, typer.Option(
        "--stock", help="Workers in post in the start year.")] = None,
    population: Annotated[float | None, typer.Option(
        "--population", help="Population in the start year.")] = None,
    population_growth: Annotated[float | None, typer.Option(
        "--population-growth", help="Population growth a year, a fraction (0.02 = 2%).")] = None,
    intake: Annotated[float | None, typer.Option(
        "--intake", help="Trainees admitted in the start year (required).")] = None,
    intake_growth: Annotated[float | None, typer.Option(
        "--intake-growth", help="Intake growth a year, a fraction; default 0 (constant), "
                                "listed as an assumption.")] = None,
    duration: Annotated[int | None, typer.Option(
        "--duration", min=0, help="Years of pre-service training (default: an illustrative value "
                                 "per cadre, listed as an assumption).")] = None,
    completion: Annotated[float | None, typer.Option(
        "--completion", help="Share of an intake that graduates, in (0, 1] (default: "
                                   "illustrative 0.85, listed as an assumption).")] = None,
    attrition: Annotated[float | None, typer.Option(
        "--attrition", help="Share of the stock leaving each year, in [0, 1) (default: "
                                  "illustrative 0.05, listed as an assumption).")] = None,
    target_density: Annotated[float | None, typer.Option(
        "--target-density", help="Target workers per 10,000 population.")] = None,
    by_year: Annotated[int | None, typer.Option(
        "--by-year", help="Year by which the target should be reached, for the required intake; "
                          "default the end year.")] = None,
    population_per_worker: Annotated[float | None, typer.Option(
        "--population-per-worker", help="Service norm: people per worker (e.g. 1000 per CHW); "
                                        "gives need and gap per year.")] = None,
    births: Annotated[float | None, typer.Option(
        "--births", help="Annual births in the start year, growing with the population; with "
                         "--births-per-worker.")] = None,
    births_per_worker: Annotated[float | None, typer.Option(
        "--births-per-worker", help="Service norm: births a worker attends a year.")] = None,
    cost_per_trainee_year: Annotated[float | None, typer.Option(
        "--cost-per-trainee-year", help="Unit cost of a trainee for a year.")] = None,
    cost_per_graduate: Annotated[float | None, typer.Option(
        "--cost-per-graduate", help="Unit cost per graduate.")] = None,
    cost_per_worker_year: Annotated[float | None, typer.Option(
        "--cost-per-worker-year", help="Unit cost of a worker in post for a year.")] = None,
    draws: Annotated[int | None, typer.Option(
        "--draws", min=1, help="Monte Carlo draws; adds density percentiles per year.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 0,
    attrition_range: Annotated[str | None, typer.Option(
        "--attrition-range", help="LOW,HIGH: draw attrition uniformly in this range.")] = None,
    completion_range: Annotated[str | None, typer.Option(
        "--completion-range", help="LOW,HIGH: draw completion uniformly in this range.")] = None,
    intake_growth_range: Annotated[str | None, typer.Option(
        "--intake-growth-range", help="LOW,HIGH: draw intake growth uniformly.")] = None,
    population_growth_range: Annotated[str | None, typer.Option(
        "--population-growth-range", help="LOW,HIGH: draw population growth uniformly.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="json (default) or table.")] = Format.json,
) -> None:
    """Project a cadre's workforce and what reaching a target density would take.

    Annual steps: graduates = intake (duration years earlier) x completion.

    Next year's stock = stock x (1 - attrition) + graduates; density is per 10,000 population.

    JSON output: years, stock, density, target_year (or null), required_intake (or null).

    target_year: the first year density reaches --target-density.

    required_intake: the constant yearly intake that reaches it by --by-year (default --end).

    With --draws: density_p10, density_p50, density_p90 (also p2.5, p97.5) per year.

    Ranged parameters (--*-range LOW,HIGH) are drawn uniformly, seeded by --seed.

    Values assumed rather than given or derived from data are listed under "assumptions".
    """
    assumptions: list[str] = [
        "cohorts already in training were admitted at the start year's intake",
    ]
    derivations: list[str] = []
    if intake is None:
        fail(f"--intake is required: how many {cadre.value} trainees are admitted in the start "
             "year is the policy choice the projection tests")
    illustrative = ILLUSTRATIVE[cadre.value]
    if duration is None:
        duration = int(illustrative["duration"])
        assumptions.append(f"duration {duration} years: illustrative, not from the literature "
                           "or this country's data; give --duration")
    if completion is None:
        completion = illustrative["completion"]
        assumptions.append(f"completion {completion:g}: illustrative, not from the literature "
                           "or this country's data; give --completion")
    if attrition is None:
        attrition = illustrative["attrition"]
        assumptions.append(f"attrition {attrition:g} a year: illustrative, not from the "
                           "literature or this country's data; give --attrition")
    assert intake is not None and duration is not None
    assert completion is not None and attrition is not None
    stock, population, population_growth = _workforce(
        iso3, cadre.value, start, stock, population, population_growth, derivations)
    if intake_growth is None:
        intake_growth = 0.0
        assumptions.append("intake growth 0: intake held constant (--intake-growth not given)")
    if target_density is not None:
        assumptions.append("required intake: a constant intake admitted every year from the "
                           "start year on; cohorts already in training keep --intake")
    if by_year is not None and target_density is None:
        fail("--by-year needs --target-density: the required intake is the intake that reaches "
             "a target")
    norm = _norm(population_per_worker, births, births_per_worker)
    costs = None
    if any(c is not None for c in (cost_per_trainee_year, cost_per_graduate,
                                    cost_per_worker_year)):
        costs = UnitCosts(cost_per_trainee_year, cost_per_graduate, cost_per_worker_year)
    params = CadreParameters(
        cadre=cadre.value, stock=stock, population=population,
        population_growth=population_growth, intake=intake, intake_growth=intake_growth,
        duration=duration, completion=completion, attrition=attrition, start=start, end=end,
        target_density=target_density, costs=costs, norm=norm,
    )
    ranges = Ranges(
        attrition=_parse_range("--attrition-range", attrition_range),
        completion=_parse_range("--completion-range", completion_range),
        intake_growth=_parse_range("--intake-growth-range", intake_growth_range),
        population_growth=_parse_range("--population-growth-range", population_growth_range),
    )
    if ranges.given() and draws is None:
        fail("--" + next(iter(ranges.given())).replace("_", "-") + "-range has no effect "
             "without --draws; add --draws N (for example --draws 1000)")
    try:
        result = project(params)
        needed = (required_intake(params, by_year) if target_density is not None else None)
        mc = None
        if draws is not None:
            if not ranges.given():
                ranges = _default_ranges(params)
                assumptions.append(
                    "no ranges given for --draws, so illustrative spreads (not from literature) "
                    "were drawn uniformly: " + "; ".join(_DEFAULT_SPREAD.values()))
            mc = monte_carlo(params, ranges, draws=draws, seed=seed)
    except InvalidInput as exc:
        _fail_invalid(exc)
        return
    country = iso3.strip().upper() if iso3 is not None else None
    payload = _payload(country, result, needed, by_year, mc, assumptions, derivations)
    if fmt is Format.json:
        typer.echo(json.dumps(payload, indent=2))
    else:
        _print_table(payload)


def _payload(iso3: str | None, result: Projection, needed: float | None, by_year: int | None,
             mc: MonteCarloProjection | None, assumptions: list[str],
             derivations: list[str]) -> dict[str, Any]:
    p = result.parameters
    out: dict[str, Any] = {
        "country": iso3, "cadre": p.cadre,
        "years": list(result.years), "stock": list(result.stock),
        "density": list(result.density), "target_density": p.target_density,
        "target_year": result.target_year,
        "by_year": (by_year or p.end) if p.target_density is not None else None,
        "required_intake": needed,
        "intake": list(result.intake), "graduates": list(result.graduates),
        "population": list(result.population),
        "parameters": {
            "stock": p.stock, "population": p.population,
            "population_growth": p.population_growth, "intake": p.intake,
            "intake_growth": p.intake_growth, "duration": p.duration,
            "completion": p.completion, "attrition": p.attrition,
            "start": p.start, "end": p.end,
        },
    }
    if result.need is not None:
        out["need"] = list(result.need)
        out["gap"] = list(result.gap or ())
    if result.costs is not None:
        out["cost"] = list(result.costs.total)
        out["cost_total"] = result.costs.horizon_total
    if mc is not None:
        out.update(mc.to_dict())
    out["assumptions"] = assumptions
    out["derivations"] = derivations
    return out


def _print_table(payload: dict[str, Any]) -> None:
    title = f"{payload['cadre']}" + (f", {payload['country']}" if payload["country"] else "")
    table = Table(title=f"Workforce projection: {title}")
    columns = ["years", "stock", "graduates", "population", "density"]
    columns += [c for c in ("density_p10", "density_p50", "density_p90", "need", "gap", "cost")
                if c in payload]
    for c in columns:
        table.add_column("year" if c == "years" else c.replace("_", " "), justify="right")
    for i in range(len(payload["years"])):
        cells = [str(payload["years"][i])]
        for c in columns[1:]:
            v = payload[c][i]
            cells.append(f"{v:,.2f}" if c.startswith("density") else f"{v:,.0f}")
        table.add_row(*cells)
    console.print(table)
    if payload["target_density"] is not None:
        ty = payload["target_year"]
        console.print(f"Target {payload['target_density']:g} per 10,000: "
                      + (f"reached in {ty}" if ty is not None else "not reached in the horizon"))
        need = payload["required_intake"]
        console.print(f"Constant intake to reach it by {payload['by_year']}: "
                      + (f"{need:,.1f} a year" if need is not None
                         else "none can (new trainees graduate too late)"))
    for label in ("assumptions", "derivations"):
        for line in payload[label]:
            console.print(f"{label[:-1]}: {escape(line)}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("project")(project_command)
