"""The data behind each page, built once and rendered as HTML, JSON and CSV.

Each function takes the database engine and/or the country reference, calls the library and
returns plain data (dicts, lists, library result objects). Routes render it; nothing here knows
about HTTP beyond raising :class:`~hrhlessons.web.problems.BadParams` for unusable parameters.
"""

from __future__ import annotations

import csv
import functools
import gettext as _gettext
import io
from collections import defaultdict
from typing import Any

import pycountry
from sqlalchemy import Engine

from hrhlessons import registry
from hrhlessons.adapt.projection import (
    CadreParameters,
    Ranges,
    country_inputs,
    monte_carlo,
    project,
    required_intake,
)
from hrhlessons.cases.model import Case
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.profiles import workforce_profile
from hrhlessons.countries.vocab import (
    CHW_COUNT,
    DOCTORS_DENSITY,
    GHO_SOURCE,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    SDG_THRESHOLD,
    WHR2006_THRESHOLD,
)
from hrhlessons.errors import InvalidInput, MissingCountryData, UnknownCountry
from hrhlessons.store import repo
from hrhlessons.store.search import Hit, SearchQuery, SearchResult, search
from hrhlessons.web import i18n, stats
from hrhlessons.web.i18n import gettext as _
from hrhlessons.web.params import PROJECT_PARAMS, parse, this_year
from hrhlessons.web.problems import BadParams

WB_SOURCE = "World Bank"


# ----- country names ---------------------------------------------------------------------

@functools.cache
def _pycountry_catalog(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang],
                                fallback=True)


def country_name(ref: CountryReference, iso3: str) -> str:
    """The country's name: WHO/World Bank wording in English, pycountry's catalog otherwise."""
    lang = i18n.current()
    if lang != i18n.DEFAULT:
        found = pycountry.countries.get(alpha_3=iso3)
        if found is not None:
            return _pycountry_catalog(lang).gettext(found.name)
    try:
        return ref.meta(iso3).name
    except UnknownCountry:
        found = pycountry.countries.get(alpha_3=iso3)
        return found.name if found is not None else iso3


# ----- home --------------------------------------------------------------------------------

def home(engine: Engine) -> dict[str, Any]:
    s = repo.summary(engine)
    return {"summary": s, "by_country": stats.country_counts(engine)}


# ----- cases -------------------------------------------------------------------------------

def case_list(engine: Engine, q: SearchQuery) -> SearchResult:
    try:
        return search(engine, q)
    except ValueError as exc:  # the library's own check of the sort order
        raise BadParams.of([("sort", str(exc))]) from exc


def similar(engine: Engine, case: Case, limit: int = 5) -> list[Hit]:
    """Cases of the same domain sharing at least one intervention (or, without
    interventions, the same domain), most of them first by name."""
    q = SearchQuery(domain=(case.domain.value,),
                    intervention=tuple(i.value for i in case.interventions),
                    sort="name", limit=limit + 1)
    hits = [h for h in search(engine, q).hits if h.case.id != case.id]
    return hits[:limit]


def timeline(case: Case) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Dated events of a case (start, scale, status, end) by year, and undated scale entries."""
    events: list[dict[str, Any]] = []
    if case.start_year is not None:
        events.append({"year": case.start_year, "kind": "start",
                       "sources": case.source_numbers("start_year")})
    undated: list[dict[str, Any]] = []
    for entry in case.scale:
        item: dict[str, Any] = {"year": entry.year, "kind": "scale", "metric": entry.metric,
                "value": entry.value, "sources": []}
        (events if entry.year is not None else undated).append(item)
    if case.end_year is not None:
        events.append({"year": case.end_year, "kind": "end",
                       "sources": case.source_numbers("end_year")})
    if case.status_year is not None:
        events.append({"year": case.status_year, "kind": "status",
                       "status": case.status.value, "sources": case.source_numbers("status")})
    order = {"start": 0, "scale": 1, "end": 2, "status": 3}
    events.sort(key=lambda e: (e["year"], order[e["kind"]]))
    return events, undated


def case_detail(engine: Engine, case_id: str) -> dict[str, Any]:
    case = repo.get_case(engine, case_id)  # NotFound for an unknown id
    by_block: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for i, o in enumerate(case.outcomes):
        by_block[o.building_block.value].append((i, o))
    events, undated = timeline(case)
    return {"case": case, "similar": similar(engine, case), "outcomes_by_block": dict(by_block),
            "timeline": events, "undated_scale": undated,
            "fact_check": registry.bundled_fact_check(case.id)}


def case_json(case: Case) -> dict[str, Any]:
    """A full case record for the API: the record as stored, plus what is derived from it."""
    data = case.model_dump(mode="json")
    data["flags"] = case.flags
    data["building_blocks"] = [b.value for b in case.building_blocks]
    data["source_numbers"] = {f: case.source_numbers(f) for f in ("start_year", "end_year",
                                                                   "status")}
    check = registry.bundled_fact_check(case.id)
    data["bundled_fact_check"] = None if check is None else check.to_dict()
    return data


# ----- countries ---------------------------------------------------------------------------

def _pair(p: tuple[int, float] | None) -> dict[str, Any] | None:
    return None if p is None else {"year": p[0], "value": round(p[1], 4)}


def country_rows(engine: Engine, ref: CountryReference) -> list[dict[str, Any]]:
    """Every country with a WHO region: latest densities with their years, and case counts."""
    counts = stats.country_counts(engine)
    rows: list[dict[str, Any]] = []
    for iso3, meta in ref.all_meta().items():
        if not meta.who_region and iso3 not in counts:
            continue
        profile = workforce_profile(ref, iso3)
        rows.append({
            "iso3": iso3, "name": country_name(ref, iso3), "who_region": meta.who_region,
            "income_group": meta.income_group,
            "doctors": _pair(profile.doctors), "nurses_midwives": _pair(profile.nurses_midwives),
            "chws": _pair(profile.chws),
            "doctors_nurses_midwives": (None if profile.doctors_nurses_midwives is None
                                        else round(profile.doctors_nurses_midwives, 4)),
            "cases": counts.get(iso3, 0),
        })
    rows.sort(key=lambda r: str(r["name"]))
    return rows


def country_detail(engine: Engine, ref: CountryReference, iso3: str) -> dict[str, Any]:
    code = iso3.strip().upper()
    if code not in ref:
        raise UnknownCountry(iso3)
    profile = workforce_profile(ref, code)
    doctors = ref.series(code, DOCTORS_DENSITY)
    nurses = ref.series(code, NURSES_MIDWIVES_DENSITY)
    chws = ref.chw_density_series(code)
    both = sorted(set(dict(doctors)) & set(dict(nurses)))
    combined = [(y, dict(doctors)[y] + dict(nurses)[y]) for y in both]
    chw_counts = ref.series(code, CHW_COUNT)
    cases = search(engine, SearchQuery(country=(code,), sort="name", limit=100))
    return {
        "iso3": code, "name": country_name(ref, code), "profile": profile,
        "series": {"doctors": doctors, "nurses_midwives": nurses, "combined": combined,
                   "chws": chws},
        "chw_counts": chw_counts,
        "population": ref.latest(code, POPULATION),
        "cases": cases,
        "thresholds": {"sdg": SDG_THRESHOLD, "whr2006": WHR2006_THRESHOLD},
    }


def country_json(detail: dict[str, Any]) -> dict[str, Any]:
    data = detail["profile"].to_dict()
    data["name"] = detail["name"]
    data["series"] = {k: [{"year": y, "value": round(v, 4)} for y, v in pts]
                      for k, pts in detail["series"].items()}
    data["sources"] = {
        "doctors": f"{GHO_SOURCE}, {DOCTORS_DENSITY}",
        "nurses_midwives": f"{GHO_SOURCE}, {NURSES_MIDWIVES_DENSITY}",
        "chws": f"{GHO_SOURCE}, {CHW_COUNT} (count) / {WB_SOURCE} population x 10,000",
    }
    data["cases"] = [h.case.id for h in detail["cases"].hits]
    return data


def country_csv(detail: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["iso3", "series", "year", "per_10000", "source"])
    sources = {"doctors": f"{GHO_SOURCE} {DOCTORS_DENSITY}",
               "nurses_midwives": f"{GHO_SOURCE} {NURSES_MIDWIVES_DENSITY}",
               "combined": f"{GHO_SOURCE} {DOCTORS_DENSITY} + {NURSES_MIDWIVES_DENSITY}",
               "chws": f"{GHO_SOURCE} {CHW_COUNT} / {WB_SOURCE} population"}
    for name, pts in detail["series"].items():
        for y, v in pts:
            w.writerow([detail["iso3"], name, y, f"{v:.4f}", sources[name]])
    return out.getvalue()


# ----- projection --------------------------------------------------------------------------

#: Spreads drawn when draws are asked for without ranges: illustrative, chosen by HRH Lessons
#: (the same as the command line's), listed as assumptions on the page.
DEFAULT_SPREAD = {
    "attrition": (0.75, 1.25),
    "completion": (0.9, 1.1),
}


def _country_inputs(ref: CountryReference, iso3: str, cadre: str, start: int
                    ) -> dict[str, Any]:
    if iso3 not in ref:
        raise BadParams.of([("country", _("'{code}' is not a country code HRH Lessons knows; "
                                          "use a code such as MWI").format(code=iso3))])
    try:
        return country_inputs(ref, iso3, cadre, start)
    except MissingCountryData as exc:
        if exc.what == "figure":
            message = _("WHO gives no {indicator} figure for {code}; give stock, population and "
                        "population growth").format(indicator=exc.indicator, code=iso3)
        else:
            message = _("no population for {code} in {year}, the year of its CHW count; give "
                        "stock").format(code=iso3, year=exc.year)
        raise BadParams.of([("country", message)]) from exc
    except InvalidInput as exc:
        raise BadParams.of([("country", str(exc))]) from exc


def projection(ref: CountryReference, query: Any) -> dict[str, Any] | None:
    """The projection asked for by the query, or ``None`` when nothing was asked yet."""
    v = parse(PROJECT_PARAMS, query)
    asked = [p.name for p in PROJECT_PARAMS if p.name not in ("cadre", "seed")
             and v[p.name] is not None]
    if not asked:
        return None
    missing = [(n, _("{name} is required: HRH Lessons has no cited default for it").format(
        name=n)) for n in ("intake", "duration", "completion", "attrition") if v[n] is None]
    start = v["start"] if v["start"] is not None else this_year()
    end = v["end"] if v["end"] is not None else start + 15
    iso3 = (v["country"] or "").strip().upper() or None
    derivations: list[str] = []
    assumptions = [_("cohorts already in training were admitted at the start year's intake")]
    stock, population, growth = v["stock"], v["population"], v["population_growth"]
    source: dict[str, Any] | None = None
    if iso3 and None in (stock, population, growth):
        found = _country_inputs(ref, iso3, v["cadre"], start)
        source = {"indicator": found["indicator"], "year": found["source_year"],
                  "growth_years": list(found["growth_years"])}
        derivations.extend(found["notes"])
        stock = found["stock"] if stock is None else stock
        population = found["population"] if population is None else population
        growth = found["population_growth"] if growth is None else growth
    for name, value in (("stock", stock), ("population", population),
                        ("population_growth", growth)):
        if value is None:
            missing.append((name, _("{name} is required without a country").format(name=name)))
    if missing:
        raise BadParams.of(missing)
    intake_growth = v["intake_growth"]
    if intake_growth is None:
        intake_growth = 0.0
        assumptions.append(_("intake growth 0: intake held constant"))
    params = CadreParameters(
        cadre=v["cadre"], stock=stock, population=population, population_growth=growth,
        intake=v["intake"], intake_growth=intake_growth, duration=v["duration"],
        completion=v["completion"], attrition=v["attrition"], start=start, end=end,
        target_density=v["target_density"])
    found_problems = params.problems()
    if found_problems:
        raise BadParams.of([(p.field, p.message) for p in found_problems])
    result = project(params)
    needed = required_intake(params) if params.target_density is not None else None
    payload: dict[str, Any] = {
        "country": iso3, "cadre": params.cadre, "years": list(result.years),
        "stock": list(result.stock), "density": list(result.density),
        "graduates": list(result.graduates), "intake": list(result.intake),
        "population": list(result.population), "target_density": params.target_density,
        "target_year": result.target_year, "required_intake": needed,
        "parameters": {"stock": stock, "population": population, "population_growth": growth,
                       "intake": params.intake, "intake_growth": intake_growth,
                       "duration": params.duration, "completion": params.completion,
                       "attrition": params.attrition, "start": start, "end": end},
        "source": source,
    }
    if v["draws"] is not None:
        ranges, note = _ranges(v, params)
        if note:
            assumptions.append(note)
        try:
            mc = monte_carlo(params, ranges, draws=v["draws"], seed=v["seed"])
        except InvalidInput as exc:
            raise BadParams.of([(_range_param(p.field), p.message)
                                for p in exc.problems]) from exc
        payload.update(mc.to_dict())
    payload["assumptions"] = assumptions
    payload["derivations"] = derivations
    return payload


def _range_param(field: str) -> str:
    return {"attrition_range": "attrition_low", "completion_range": "completion_low"}.get(
        field, field)


def _ranges(v: dict[str, Any], p: CadreParameters) -> tuple[Ranges, str | None]:
    given: dict[str, tuple[float, float]] = {}
    problems = []
    for name in ("attrition", "completion"):
        low, high = v[f"{name}_low"], v[f"{name}_high"]
        if (low is None) != (high is None):
            problems.append((f"{name}_low" if low is None else f"{name}_high",
                             _("give both ends of the {name} range, or neither").format(
                                 name=name)))
        elif low is not None:
            given[name] = (low, high)
    if problems:
        raise BadParams.of(problems)
    if given:
        return Ranges(**given), None
    ranges = Ranges(attrition=(p.attrition * 0.75, min(p.attrition * 1.25, 0.99)),
                    completion=(p.completion * 0.9, min(p.completion * 1.1, 1.0)))
    return ranges, _("no ranges given, so illustrative spreads (not from the literature) were "
                     "drawn uniformly: attrition x 0.75 to x 1.25, completion x 0.9 to x 1.1 "
                     "(at most 1)")


PROJECTION_COLUMNS = ("years", "intake", "graduates", "stock", "population", "density",
                      "density_p2.5", "density_p10", "density_p50", "density_p90",
                      "density_p97.5")


def projection_csv(payload: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    columns = [c for c in PROJECTION_COLUMNS if c in payload]
    w.writerow(["country", "cadre", *("year" if c == "years" else c for c in columns)])
    for i in range(len(payload["years"])):
        cells = []
        for c in columns:
            value = payload[c][i]
            cells.append(str(value) if c == "years" else f"{value:.6g}")
        w.writerow([payload["country"] or "", payload["cadre"], *cells])
    return out.getvalue()
