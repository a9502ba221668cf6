"""Full-text search with facets over the registry.

Ranking: BM25 on SQLite (FTS5's ``bm25()``, name weighted 10, description 4, factors and lessons
2), ``ts_rank`` over a weighted ``tsvector`` on PostgreSQL (name A, description B, factors and
lessons C). Both stem English words, so *retain* finds *retention*.

Facets: domain, intervention, country, WHO region, income group, status, trajectory, funding,
level, building block, and a start-year range. Values within one facet are OR-ed; facets are
AND-ed. On SQLite the facets of a case are also indexed as tokens in the FTS5 table (one token
per value, such as ``fstatended``), so a text query with facets is a single FTS5 match that
intersects posting lists instead of joining tables: this is what keeps a search over 100,000
cases within a few milliseconds. Without text, facets are SQL filters on the index tables.

Pair tokens. FTS5's ``bm25()`` reads the whole posting list of every phrase in the query to
count the documents that hold it (its IDF), and a common facet value (status *active*, level
*national*) is held by a quarter of the registry or more: with two such facets, most of a
search's time went to counting them. So the broad single-valued facets (:data:`PAIRED`) are
also indexed two at a time, as one token per pair of values (``fstatendedxflevnational``,
held only by the cases that have both); a query with two of them matches one short posting
list instead of two long ones. The result is the same set of cases (tested); the pair tokens
add a fixed number of tokens to every case, so BM25's length normalisation is unchanged in
effect (every case's length grows by the same amount, bar multi-country cases).

Query text: words are AND-ed (all must occur, in any form the stemmer joins); "a phrase in
quotes" must occur as written. When an all-words query finds nothing, the words are OR-ed
instead and the result says so (``relaxed``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

from sqlalchemy import Engine, and_, exists, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from hrhlessons.cases.model import Case
from hrhlessons.store import tables as t
from hrhlessons.store.db import ensure_ready, has_fts5

SORTS = ("relevance", "name", "start_year", "-start_year")


@dataclass(frozen=True)
class SearchQuery:
    """A search: optional text, facet filters, sort and page."""

    text: str = ""
    domain: tuple[str, ...] = ()
    intervention: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    income: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    trajectory: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    building_block: tuple[str, ...] = ()
    from_year: int | None = None
    to_year: int | None = None
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0

    def facet_items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)
                if f.name in FACET_PREFIX and getattr(self, f.name)]

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v)
                for f in fields(self)}


#: Facet name -> prefix of its FTS token.
FACET_PREFIX: dict[str, str] = {
    "domain": "fdom", "intervention": "fiv", "country": "fctry", "region": "freg",
    "income": "finc", "status": "fstat", "trajectory": "ftraj", "funding": "ffund",
    "level": "flev", "building_block": "fbb",
}


#: Facets also indexed in pairs (see the module docstring), in the order pairs are formed.
PAIRED: tuple[str, ...] = ("domain", "status", "trajectory", "funding", "level", "region",
                           "income")

#: Most value combinations one pair of facets may expand to before single tokens are used.
MAX_PAIR_TERMS = 16


def _token(facet: str, value: str) -> str:
    return FACET_PREFIX[facet] + re.sub(r"[^a-z0-9]", "", value.lower())


def _pair_token(first: str, a: str, second: str, b: str) -> str:
    # "x" joins the two tokens: the tokenizer keeps only letters and digits, and a value
    # token never contains the next facet's prefix, so the pair reads back one way only.
    return _token(first, a) + "x" + _token(second, b)


def facet_tokens(case: Case, regions: Mapping[str, tuple[str | None, str | None]]) -> str:
    """The facet tokens of a case, as indexed in the FTS5 ``facets`` column."""
    values: dict[str, list[str]] = {
        "domain": [case.domain.value],
        "intervention": [i.value for i in case.interventions],
        "country": list(case.countries),
        "region": sorted({r for c in case.countries if (r := regions.get(c, (None, None))[0])}),
        "income": sorted({g for c in case.countries if (g := regions.get(c, (None, None))[1])}),
        "status": [case.status.value],
        "trajectory": [case.trajectory.value],
        "funding": [case.funding.value],
        "level": [case.level.value],
        "building_block": [b.value for b in case.building_blocks],
    }
    singles = [_token(name, v) for name, vs in values.items() for v in vs]
    pairs = [_pair_token(f1, a, f2, b)
             for i, f1 in enumerate(PAIRED) for f2 in PAIRED[i + 1:]
             for a in values[f1] for b in values[f2]]
    return " ".join(singles + pairs)


@dataclass(frozen=True)
class Hit:
    """One search result: the stored record and its score (higher is better).

    The record is kept as the canonical JSON the store holds and turned into a :class:`Case`
    on first use, so a search costs no validation for results nobody looks at.
    """

    record: str
    score: float | None

    @cached_property
    def case(self) -> Case:
        return Case.model_validate_json(self.record)

    def to_dict(self) -> dict[str, Any]:
        c = self.case
        return {
            "id": c.id, "name": c.name, "countries": list(c.countries), "domain": c.domain.value,
            "level": c.level.value, "status": c.status.value, "status_year": c.status_year,
            "start_year": c.start_year, "end_year": c.end_year,
            "trajectory": c.trajectory.value, "funding": c.funding.value,
            "interventions": [i.value for i in c.interventions],
            "score": None if self.score is None else round(self.score, 6),
            "provenance": {"start_year": c.source_numbers("start_year"),
                           "end_year": c.source_numbers("end_year"),
                           "status": c.source_numbers("status")},
            "sources": [{"n": i + 1, "title": s.title, "url": s.url}
                        for i, s in enumerate(c.sources)],
        }


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    total: int
    hits: list[Hit] = field(default_factory=list)
    relaxed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query.to_dict(), "total": self.total, "relaxed": self.relaxed,
                "count": len(self.hits), "results": [h.to_dict() for h in self.hits]}


# ----- query text -----

_PHRASE = re.compile(r'"([^"]*)"|(\S+)')


def _terms(query: str) -> list[tuple[str, bool]]:
    """(term, is_phrase) pairs; words lose punctuation that FTS syntax would misread."""
    out: list[tuple[str, bool]] = []
    for phrase, word in _PHRASE.findall(query):
        if phrase.strip():
            out.append((" ".join(re.findall(r"\w+", phrase)), True))
        elif word:
            out.extend((w, False) for w in re.findall(r"\w+", word))
    return [(term, is_phrase) for term, is_phrase in out if term]


def _fts_text(terms: Sequence[tuple[str, bool]], joiner: str) -> str:
    # No column filter: a column filter makes FTS5 read every candidate's position list (a
    # fifth of a search's time), and it is not needed, because the only other column holds
    # facet tokens ("fstatended"), which no text word equals. Those tokens weigh 0 in bm25.
    return "(" + f" {joiner} ".join(f'"{term}"' for term, _ in terms) + ")"


def _fts_facets(q: SearchQuery) -> str:
    """The facet part of an FTS5 query: paired facets two at a time, the others one by one."""
    items = dict(q.facet_items())
    groups = []
    paired = [f for f in PAIRED if f in items]
    while len(paired) >= 2:
        f1, f2 = paired[0], paired[1]
        if len(items[f1]) * len(items[f2]) > MAX_PAIR_TERMS:
            paired = paired[1:]  # too many combinations: f1 stays a single token
            continue
        first, second = items.pop(f1), items.pop(f2)
        groups.append("(" + " OR ".join(_pair_token(f1, a, f2, b)
                                        for a in first for b in second) + ")")
        paired = paired[2:]
    for name, values in items.items():
        groups.append("(" + " OR ".join(_token(name, v) for v in values) + ")")
    return "facets : (" + " AND ".join(groups) + ")" if groups else ""


# ----- SQL filters -----

def _sql_filters(q: SearchQuery) -> list[ColumnElement[bool]]:
    c = t.cases.c
    conds: list[ColumnElement[bool]] = []
    direct = {"domain": c.domain, "status": c.status, "trajectory": c.trajectory,
              "funding": c.funding, "level": c.level}
    for name, values in q.facet_items():
        if name in direct:
            conds.append(direct[name].in_(values))
        elif name == "intervention":
            ci = t.case_interventions
            conds.append(exists().where(and_(ci.c.case_pk == c.pk, ci.c.tag.in_(values))))
        elif name == "building_block":
            cb = t.case_blocks
            conds.append(exists().where(and_(cb.c.case_pk == c.pk, cb.c.block.in_(values))))
        elif name == "country":
            cc = t.case_countries
            conds.append(exists().where(and_(cc.c.case_pk == c.pk,
                                             cc.c.iso3.in_([v.upper() for v in values]))))
        else:
            cc, co = t.case_countries, t.countries
            column = co.c.who_region if name == "region" else co.c.income_group
            conds.append(exists().where(and_(cc.c.case_pk == c.pk, co.c.iso3 == cc.c.iso3,
                                             column.in_([v.upper() for v in values]))))
    if q.from_year is not None:
        conds.append(c.start_year >= q.from_year)
    if q.to_year is not None:
        conds.append(c.start_year <= q.to_year)
    return conds


def _order(q: SearchQuery) -> list[Any]:
    c = t.cases.c
    if q.sort == "start_year":
        return [c.start_year.is_(None), c.start_year, c.id]
    if q.sort == "-start_year":
        return [c.start_year.is_(None), c.start_year.desc(), c.id]
    return [c.name, c.id]


def search(engine: Engine, q: SearchQuery) -> SearchResult:
    """Run a search; see the module docstring for the semantics."""
    if q.sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    ensure_ready(engine)
    terms = _terms(q.text)
    if not terms:
        return _run_sql(engine, q, None, relaxed=False)
    result = _run_text(engine, q, terms, "AND")
    if result.total == 0 and len(terms) > 1:
        result = replace(_run_text(engine, q, terms, "OR"), relaxed=True)
    return result


def _run_text(engine: Engine, q: SearchQuery, terms: list[tuple[str, bool]],
              joiner: str) -> SearchResult:
    if has_fts5(engine):
        return _run_fts5(engine, q, terms, joiner)
    if engine.dialect.name == "postgresql":
        words = [term if not phrase else " <-> ".join(term.split()) for term, phrase in terms]
        tsq = func.to_tsquery("english", f" {'&' if joiner == 'AND' else '|'} ".join(
            f"({w})" if " <-> " in w else w for w in words))
        doc: ColumnElement[Any] = literal_column("cases.search_doc")
        # Normalisation 1 divides by 1 + log(length), so long records do not win by size alone.
        rank = func.ts_rank(doc, tsq, 1)
        return _run_sql(engine, q, (doc.op("@@")(tsq), rank), relaxed=False)
    # Any other database: a plain substring filter, unranked.
    c = t.cases.c
    hay = c.name + " " + c.description + " " + c.factors + " " + c.lessons
    likes = [func.lower(hay).contains(term.lower()) for term, _ in terms]
    match = and_(*likes) if joiner == "AND" else or_(*likes)
    return _run_sql(engine, q, (match, None), relaxed=False)


def _run_fts5(engine: Engine, q: SearchQuery, terms: list[tuple[str, bool]],
              joiner: str) -> SearchResult:
    expr = _fts_text(terms, joiner)
    facets = _fts_facets(q)
    match = f"({expr}) AND {facets}" if facets else expr
    years = []
    params: dict[str, Any] = {"match": match, "limit": q.limit, "offset": q.offset}
    if q.from_year is not None:
        years.append("c.start_year >= :from_year")
        params["from_year"] = q.from_year
    if q.to_year is not None:
        years.append("c.start_year <= :to_year")
        params["to_year"] = q.to_year
    where = " AND ".join(["cases_fts MATCH :match", *years])
    joined = "JOIN cases c ON c.pk = cases_fts.rowid " if years else ""
    # Every match is scored inside FTS5 (bm25 cannot leave it); the total comes from a window
    # over those scored rows, so one scan of the index yields both the page and the count.
    # Only the page's records are read from the cases table.
    matches = (f"SELECT cases_fts.rowid AS pk, bm25(cases_fts, 10.0, 4.0, 2.0, 2.0, 0.0) "
               f"AS score FROM cases_fts {joined}WHERE {where}")
    if q.sort == "relevance":
        page = (f"SELECT pk, score, count(*) OVER () AS total FROM ({matches}) "
                "ORDER BY score, pk LIMIT :limit OFFSET :offset")
        rows_sql = (f"SELECT c.record, p.score, p.total FROM ({page}) p "
                    "JOIN cases c ON c.pk = p.pk ORDER BY p.score, p.pk")
    else:
        order = {
            "name": "c.name, c.id",
            "start_year": "c.start_year IS NULL, c.start_year, c.id",
            "-start_year": "c.start_year IS NULL, c.start_year DESC, c.id",
        }[q.sort]
        rows_sql = (f"SELECT c.record, m.score, count(*) OVER () AS total FROM ({matches}) m "
                    f"JOIN cases c ON c.pk = m.pk ORDER BY {order} LIMIT :limit OFFSET :offset")
    # Plain SQL strings go straight to the driver (no statement compilation on each search).
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(rows_sql, params).all()
        if rows:
            total = int(rows[0][2])
        else:  # an empty page (no match, or an offset past the end) carries no count
            total = int(conn.exec_driver_sql(f"SELECT count(*) FROM cases_fts {joined}"
                                             f"WHERE {where}", params).scalar_one())
    # bm25() is lower for better matches; report higher-is-better scores.
    hits = [Hit(r, -float(s)) for r, s, _ in rows]
    return SearchResult(q, total, hits)


def _run_sql(engine: Engine, q: SearchQuery,
             text_match: tuple[ColumnElement[bool], Any] | None, *, relaxed: bool) -> SearchResult:
    c = t.cases.c
    conds = _sql_filters(q)
    score = None
    if text_match is not None:
        conds.append(text_match[0])
        score = text_match[1]
    where = and_(*conds) if conds else None
    count = select(func.count()).select_from(t.cases)
    cols: list[Any] = [c.record]
    if score is not None:
        cols.append(score.label("score"))
    rows_q = select(*cols)
    if where is not None:
        count = count.where(where)
        rows_q = rows_q.where(where)
    if score is not None and q.sort == "relevance":
        rows_q = rows_q.order_by(score.desc(), c.id)
    else:
        rows_q = rows_q.order_by(*_order(q))
    rows_q = rows_q.limit(q.limit).offset(q.offset)
    with engine.connect() as conn:
        total = int(conn.execute(count).scalar_one())
        rows = conn.execute(rows_q).all()
    hits = [Hit(r[0], float(r[1]) if score is not None else None)
            for r in rows]
    return SearchResult(q, total, hits, relaxed)
