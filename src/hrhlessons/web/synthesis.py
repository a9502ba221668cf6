"""The data of the synthesis page and of the adaptation wizard, built once per request shape.

The synthesis page shows one :class:`~hrhlessons.synthesis.report.SynthesisReport` (the same
object ``hrh-lessons synthesize`` writes and the synthesis brief summarises) for the cases the
page's facet filters select. Building it runs every analysis (survival, factors, configurations,
outcomes, gap map) and takes a second or more, so reports are memoised per registry state and
selection (:func:`report_for`).

The adaptation wizard parses the readiness answers from the query string with the library's own
answers parser (:func:`answers_from_query`) and ranks the innovations
(:func:`hrhlessons.adapt.transfer.rank_innovations`) or makes a pilot plan
(:func:`hrhlessons.adapt.pilot.pilot_plan`).

Nothing here formats HTML; the routes render what these functions return.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from starlette.datastructures import QueryParams

from hrhlessons.adapt.pilot import PilotPlan, pilot_plan
from hrhlessons.adapt.questions import (
    ANSWER_STATES,
    COMPONENT_SCORES,
    Answers,
    Questionnaire,
    bundled_questionnaire,
    parse_answers,
)
from hrhlessons.adapt.transfer import TransferRanking, rank_innovations
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import (
    KNOWN_DOMAINS,
    BuildingBlock,
    Domain,
    Funding,
    Intervention,
    Status,
    known_domain,
)
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.peers import PeerSpace, peer_space
from hrhlessons.countries.vocab import ISO3_PATTERN
from hrhlessons.errors import InvalidInput
from hrhlessons.store import repo
from hrhlessons.store.search import SearchQuery, search
from hrhlessons.synthesis.factors import FactorOptions
from hrhlessons.synthesis.report import LIFETIME_FIELDS, ReportOptions, SynthesisReport
from hrhlessons.synthesis.survival import BASE_GROUPINGS
from hrhlessons.web import params, stats
from hrhlessons.web.i18n import gettext as _
from hrhlessons.web.problems import BadParams

log = logging.getLogger(__name__)

#: Largest number of cases one selection may hold (the registry has a few hundred).
SELECTION_MAX = 10_000
#: Reports kept in memory (each a few hundred kB).
REPORT_CACHE = 16
#: Innovations the wizard ranks on one page, by default and at most.
ADAPT_LIMIT = 10
ADAPT_MAX = 50
#: Query parameters of the wizard other than the answers.
ADAPT_PARAMS = ("country", "domain", "limit", "lang")

#: The facets a selection may use: the case browser's, without paging and order.
SELECTION_PARAMS = tuple(p for p in params.SEARCH_PARAMS
                         if p.name not in ("sort", "limit", "offset"))


# ----- the synthesis report of a selection ------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """The cases the synthesis page's filters chose, and the filters in words."""

    query: SearchQuery
    pairs: tuple[tuple[str, str], ...]
    cases: tuple[Case, ...]

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        return self.pairs

    @property
    def domain(self) -> Domain | None:
        """The one domain chosen, if exactly one was."""
        return Domain(self.query.domain[0]) if len(self.query.domain) == 1 else None

    def facets(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        grouped: dict[str, list[str]] = {}
        for k, v in self.pairs:
            grouped.setdefault(k, []).append(v)
        return tuple((k, tuple(v)) for k, v in grouped.items())


def selection(engine: Engine, query: QueryParams | Mapping[str, Any]) -> Selection:
    """The cases matching the case browser's filters in ``query`` (every case without one)."""
    q = params.search_query(query)
    full = dataclasses.replace(q, limit=SELECTION_MAX, offset=0, sort="name")
    pairs = tuple(params.search_params(full, sort="relevance", limit=20, offset=0))
    result = search(engine, full)
    return Selection(q, pairs, tuple(h.case for h in result.hits))


@functools.cache
def _factor_data() -> tuple[Any, Any]:
    from hrhlessons.factor_data import load_mapping, load_vocabulary

    vocabulary = load_vocabulary()
    return vocabulary, load_mapping(vocabulary=vocabulary)


def report_options(sel: Selection) -> ReportOptions:
    """The report of the web: the grouping facets only (conditions are compared in the CLI's
    full report), factors rated for the one domain chosen."""
    return ReportOptions(
        selection=sel.facets(), groupings=BASE_GROUPINGS,
        factors=FactorOptions(relevant_domain=sel.domain))


def build(sel: Selection) -> SynthesisReport | None:
    """The synthesis report of a selection; None when it holds no case."""
    from hrhlessons.synthesis.report import build_report

    if not sel.cases:
        return None
    vocabulary, mapping = _factor_data()
    region_of, income_of = lookups()
    return build_report(sel.cases, report_options(sel), region_of=region_of,
                        income_of=income_of, vocabulary=vocabulary, mapping=mapping)


def lookups() -> tuple[Any, Any]:
    """WHO region and income-group lookups of the bundled reference (as the CLI uses)."""
    try:
        from hrhlessons.share.report import reference_lookups
    except ImportError:  # pragma: no cover - share.report ships with the package
        return None, None
    return reference_lookups()


_lock = threading.Lock()
_reports: OrderedDict[tuple[Any, ...], SynthesisReport | None] = OrderedDict()


def report_for(engine: Engine, sel: Selection) -> SynthesisReport | None:
    """:func:`build`, memoised per engine, registry state and selection."""
    key = (id(engine), stats.data_stamp(engine), sel.key)
    with _lock:
        if key in _reports:
            _reports.move_to_end(key)
            return _reports[key]
    report = build(sel)
    with _lock:
        _reports[key] = report
        while len(_reports) > REPORT_CACHE:
            _reports.popitem(last=False)
    return report


def report_fragment(report: SynthesisReport) -> tuple[str | None, str | None]:
    """The report's own HTML fragment (:func:`hrhlessons.share.report.render_fragment`), each
    case linking to its page; or None and the reason it cannot be drawn."""
    try:
        from hrhlessons.share.report import render_fragment
    except ImportError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    try:
        return render_fragment(report, case_url=lambda case_id: f"/cases/{case_id}"), None
    except Exception as exc:  # a renderer still being written must not take the page down
        log.exception("the synthesis report fragment failed")
        return None, f"{type(exc).__name__}: {exc}"


def report_css() -> str | None:
    """The report's own stylesheet (its rules are scoped to ``.hrh-report``)."""
    try:
        from hrhlessons.share.report import css
    except ImportError:
        return None
    try:
        return str(css()).replace("</", "<\\/")
    except Exception:  # a stylesheet being rewritten must not take the page down
        log.exception("the synthesis report stylesheet failed")
        return None


def lifetime_sources(case: Case) -> tuple[int, ...]:
    """The sources of a case's start, end and status: what a factor claim about it rests on."""
    return tuple(sorted({n for f in LIFETIME_FIELDS for n in case.source_numbers(f)}))


def outcome_sources(case: Case, block: BuildingBlock | None = None) -> tuple[int, ...]:
    """The sources of a case's outcomes (in one building block)."""
    return tuple(sorted({o.source + 1 for o in case.outcomes
                         if block is None or o.building_block is block}))


def crosstab(sel: Selection) -> dict[str, dict[str, int]]:
    """Cases of the selection by main funder and status."""
    cells = {f.value: {s.value: 0 for s in Status} for f in Funding}
    for c in sel.cases:
        cells[c.funding.value][c.status.value] += 1
    return cells


def gap_levels(report: SynthesisReport) -> tuple[int, ...]:
    """Upper bounds of the heat map's four shades, from the busiest cell."""
    top = max((c.cell.n_cases for c in report.gaps.cells), default=0)
    if top <= 4:
        return tuple(range(1, max(top, 1) + 1))
    step = top / 4
    return tuple(sorted({max(1, round(step * i)) for i in range(1, 5)}))


def gap_rows(report: SynthesisReport) -> list[tuple[Intervention, list[tuple[BuildingBlock,
                                                                              Any]]]]:
    """Every intervention tag with a cell per building block (None for a gap)."""
    return [(tag, [(block, report.gaps.get(tag, block)) for block in BuildingBlock])
            for tag in Intervention]


# ----- the adaptation wizard ---------------------------------------------------------------

@functools.cache
def space() -> PeerSpace:
    from hrhlessons.reference import load_reference

    return peer_space(load_reference())


def questionnaire() -> Questionnaire:
    return bundled_questionnaire()


def answers_from_query(query: QueryParams, iso3: str) -> Answers:
    """The readiness answers in a query string (question id = yes/partly/no/unknown, component
    id = 1-4 or unknown; empty means unknown), checked by the library's answers parser; a bad
    parameter raises BadParams naming it."""
    q = questionnaire()
    answers: dict[str, str] = {}
    components: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    known = set(ADAPT_PARAMS)
    for name, raw in query.multi_items():
        value = raw.strip()
        if name in known:
            continue
        if name in q.question_ids:
            if value:
                answers[name] = value.lower()
        elif name in q.component_ids:
            if value and value.lower() != "unknown":
                try:
                    components[name] = int(value)
                except ValueError:
                    problems.append((name, _("'{value}' is not a score; use 1, 2, 3 or 4").format(
                        value=value)))
        else:
            problems.append((name, _("'{name}' is not a question of the readiness "
                                     "questionnaire").format(name=name)))
    if problems:
        raise BadParams.of(problems)
    text = json.dumps({"country": iso3, "answers": answers, "chw_functionality": components})
    try:
        parsed = parse_answers(text, q, file="form", expected_country=iso3)
    except InvalidInput as exc:
        raise BadParams.of([(p.field.split(".")[-1] or "answers", p.message)
                            for p in exc.problems]) from exc
    return dataclasses.replace(parsed, source=_("answered in the form"))


def answer_pairs(answers: Answers) -> list[tuple[str, str]]:
    """The answers as query-string pairs (unknown left out), to carry them to a pilot plan."""
    pairs = [(k, v) for k, v in answers.questions.items() if v != "unknown"]
    pairs += [(k, str(v)) for k, v in answers.components.items() if v is not None]
    return pairs


def country_code(ref: CountryReference, raw: str | None) -> str | None:
    """The ISO3 code of the wizard's country field; None when empty."""
    code = (raw or "").strip().upper()
    if not code:
        return None
    if not ISO3_PATTERN.match(code) or code not in ref:
        raise BadParams.of([("country", _("'{code}' is not a country code HRH Lessons knows; "
                                          "use a code such as MWI").format(code=raw))])
    try:
        ref.meta(code)
    except Exception as exc:
        raise BadParams.of([("country", _("'{code}' has indicator data but no country "
                                          "metadata; choose another country").format(
            code=code))]) from exc
    return code


def adapt_options(query: QueryParams) -> tuple[tuple[Domain, ...], int]:
    """The domains to rank and how many innovations to show."""
    domains: list[Domain] = []
    problems: list[tuple[str, str]] = []
    for raw in query.getlist("domain"):
        if not raw.strip():
            continue
        try:
            domains.append(known_domain(raw))
        except ValueError:
            problems.append(("domain", _("'{value}' is not one of: {choices}").format(
                value=raw, choices=", ".join(d.value for d in KNOWN_DOMAINS))))
    limit = ADAPT_LIMIT
    raw_limit = (query.get("limit") or "").strip()
    if raw_limit:
        try:
            limit = int(raw_limit)
        except ValueError:
            limit = -1
        if not 1 <= limit <= ADAPT_MAX:
            problems.append(("limit", _("limit must be a whole number from 1 to {max}").format(
                max=ADAPT_MAX)))
    if problems:
        raise BadParams.of(problems)
    return tuple(dict.fromkeys(domains)), limit


def ranking(engine: Engine, ref: CountryReference, iso3: str, answers: Answers,
            domains: Sequence[Domain], limit: int) -> tuple[TransferRanking, dict[str, Case]]:
    cases = repo.all_cases(engine)
    result = rank_innovations(cases, ref, iso3, answers, questionnaire(), domains=domains,
                              detail=limit, space=space())
    return result, {c.id: c for c in cases}


def plan(engine: Engine, ref: CountryReference, iso3: str, case_id: str,
         answers: Answers) -> tuple[PilotPlan, Case]:
    cases = repo.all_cases(engine)
    case = repo.get_case(engine, case_id)  # NotFound names the id
    result = pilot_plan(case, cases, ref, iso3, answers, questionnaire(),
                        start=dt.date.today().year, space=space())
    return result, case


def answer_choices() -> tuple[str, ...]:
    return tuple(ANSWER_STATES)


def component_scores() -> tuple[int, ...]:
    return COMPONENT_SCORES
