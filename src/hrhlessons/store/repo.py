"""Writing and reading cases: import in one transaction, with history; fetch; summaries.

``import_batch`` refuses a batch that has any problem, so a bad file never half-lands; a good
batch is written in one transaction. Re-importing an id whose record changed keeps the previous
version in ``case_history``; re-importing an unchanged record changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from hrhlessons.cases.model import Case
from hrhlessons.cases.records import Batch, case_to_json
from hrhlessons.errors import InvalidInput, NotFound
from hrhlessons.store import tables as t
from hrhlessons.store.db import ensure_ready, has_fts5
from hrhlessons.store.search import facet_tokens

#: One country's facts the store needs: (name, WHO region code, income group code).
CountryRow = tuple[str, str | None, str | None]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, case ids included."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def to_dict(self) -> dict[str, object]:
        return {"added": len(self.added), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "ids": {"added": self.added,
                                                          "updated": self.updated}}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _row(case: Case, record: str, regions: Mapping[str, tuple[str | None, str | None]]
         ) -> dict[str, object]:
    return {
        "id": case.id,
        "name": case.name,
        "description": case.description,
        "factors": "\n".join([*case.success_factors, *case.failure_factors]),
        "lessons": "\n".join(case.lessons),
        "level": case.level.value,
        "domain": case.domain.value,
        "status": case.status.value,
        "trajectory": case.trajectory.value,
        "funding": case.funding.value,
        "start_year": case.start_year,
        "end_year": case.end_year,
        "status_year": case.status_year,
        "facets": facet_tokens(case, regions),
        "record": record,
    }


def _country_facts(conn: Connection) -> dict[str, tuple[str | None, str | None]]:
    rows = conn.execute(select(t.countries.c.iso3, t.countries.c.who_region,
                               t.countries.c.income_group))
    return {iso3: (region, income) for iso3, region, income in rows}


def import_batch(engine: Engine, batch: Batch, *, progress: Progress | None = None,
                 chunk: int = 500) -> ImportReport:
    """Write a fully valid batch in one transaction (see module docstring)."""
    if batch.problems:
        raise InvalidInput(batch.problems)
    ensure_ready(engine)
    fts = has_fts5(engine)
    report = ImportReport()
    now = _now()
    with engine.begin() as conn:
        regions = _country_facts(conn)
        cases = batch.cases
        for start in range(0, len(cases), chunk):
            part = cases[start:start + chunk]
            _write_chunk(conn, part, regions, fts, now, report)
            if progress:
                progress(len(part))
    return report


def _write_chunk(conn: Connection, part: Sequence[Case],
                 regions: Mapping[str, tuple[str | None, str | None]], fts: bool,
                 now: dt.datetime, report: ImportReport) -> None:
    ids = [c.id for c in part]
    existing = {
        row.id: row for row in conn.execute(
            select(t.cases.c.pk, t.cases.c.id, t.cases.c.record, t.cases.c.version)
            .where(t.cases.c.id.in_(ids)))
    }
    new_rows, changed, history = [], [], []
    for case in part:
        record = case_to_json(case)
        old = existing.get(case.id)
        row = _row(case, record, regions)
        if old is None:
            new_rows.append({**row, "version": 1, "updated_at": now})
            report.added.append(case.id)
        elif old.record == record:
            report.unchanged.append(case.id)
        else:
            history.append({"case_id": case.id, "version": old.version, "record": old.record,
                            "replaced_at": now})
            changed.append((old.pk, {**row, "version": old.version + 1, "updated_at": now}))
            report.updated.append(case.id)
    if history:
        conn.execute(insert(t.case_history), history)
    if new_rows:
        conn.execute(insert(t.cases), new_rows)
    for pk, values in changed:
        conn.execute(update(t.cases).where(t.cases.c.pk == pk).values(**values))
    unchanged = set(report.unchanged)
    touched = [c for c in part if c.id not in unchanged]
    if not touched:
        return
    pks: dict[str, int] = {
        row.id: row.pk for row in conn.execute(
            select(t.cases.c.id, t.cases.c.pk).where(t.cases.c.id.in_([c.id for c in touched])))
    }
    pk_list = list(pks.values())
    for table in (t.case_countries, t.case_interventions, t.case_blocks):
        conn.execute(delete(table).where(table.c.case_pk.in_(pk_list)))
    countries = [{"case_pk": pks[c.id], "iso3": iso3, "position": i}
                 for c in touched for i, iso3 in enumerate(c.countries)]
    tags = [{"case_pk": pks[c.id], "tag": tag.value} for c in touched for tag in c.interventions]
    blocks = [{"case_pk": pks[c.id], "block": b.value} for c in touched for b in c.building_blocks]
    for table, rows in ((t.case_countries, countries), (t.case_interventions, tags),
                        (t.case_blocks, blocks)):
        if rows:
            conn.execute(insert(table), rows)
    if fts:
        _index_fts(conn, pk_list)


def _index_fts(conn: Connection, pks: Iterable[int]) -> None:
    pk_list = list(pks)
    marks = ",".join(str(int(pk)) for pk in pk_list)
    conn.execute(text(f"DELETE FROM cases_fts WHERE rowid IN ({marks})"))
    conn.execute(text(
        "INSERT INTO cases_fts (rowid, name, description, factors, lessons, facets) "
        f"SELECT pk, name, description, factors, lessons, facets FROM cases WHERE pk IN ({marks})"
    ))


def sync_countries(engine: Engine, rows: Mapping[str, CountryRow]) -> bool:
    """Replace the country facts (name, WHO region, income group) and re-derive case facets.

    Returns whether anything changed. Every import calls this, so when the table already
    holds these rows nothing is rewritten and no record is re-read.
    """
    ensure_ready(engine)
    wanted = {iso3: tuple(row) for iso3, row in rows.items()}
    with engine.connect() as conn:
        held = {r.iso3: (r.name, r.who_region, r.income_group)
                for r in conn.execute(select(t.countries))}
    if held == wanted:
        return False
    with engine.begin() as conn:
        conn.execute(delete(t.countries))
        if rows:
            conn.execute(insert(t.countries), [
                {"iso3": iso3, "name": name, "who_region": region, "income_group": income}
                for iso3, (name, region, income) in sorted(rows.items())
            ])
        regions = {iso3: (region, income) for iso3, (_, region, income) in rows.items()}
        refresh_facets(conn, regions, fts=has_fts5(engine))
    return True


def refresh_facets(conn: Connection, regions: Mapping[str, tuple[str | None, str | None]]
                   | None = None, *, fts: bool) -> int:
    """Re-derive every case's facet tokens (and its FTS row where they changed).

    Called when country facts change and by migrations that change the tokens; ``regions``
    defaults to the country facts in the database. Returns the number of cases changed.
    """
    if regions is None:
        regions = _country_facts(conn)
    changed: list[int] = []
    for pk, record, facets in conn.execute(
            select(t.cases.c.pk, t.cases.c.record, t.cases.c.facets)).all():
        new = facet_tokens(Case.model_validate_json(record), regions)
        if new != facets:
            conn.execute(update(t.cases).where(t.cases.c.pk == pk).values(facets=new))
            changed.append(pk)
    if fts:
        for start in range(0, len(changed), 900):
            _index_fts(conn, changed[start:start + 900])
    return len(changed)


# ----- reading -----

def get_case(engine: Engine, case_id: str) -> Case:
    ensure_ready(engine)
    with engine.connect() as conn:
        record = conn.execute(select(t.cases.c.record).where(t.cases.c.id == case_id)).scalar()
    if record is None:
        raise NotFound(f"no case with id '{case_id}' in the registry; 'hrh-lessons search' "
                       "lists the ids")
    return Case.model_validate_json(record)


def all_cases(engine: Engine) -> list[Case]:
    ensure_ready(engine)
    with engine.connect() as conn:
        records = conn.execute(select(t.cases.c.record).order_by(t.cases.c.id)).scalars().all()
    return [Case.model_validate_json(r) for r in records]


def count_cases(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.cases)).scalar_one())


def history(engine: Engine, case_id: str) -> list[tuple[int, dt.datetime, Case]]:
    """Earlier versions of a case, oldest first: (version, replaced at, case)."""
    with engine.connect() as conn:
        rows = conn.execute(select(t.case_history.c.version, t.case_history.c.replaced_at,
                                   t.case_history.c.record)
                            .where(t.case_history.c.case_id == case_id)
                            .order_by(t.case_history.c.version)).all()
    return [(v, at, Case.model_validate_json(r)) for v, at, r in rows]


@dataclass(frozen=True)
class Summary:
    """What the registry holds, counted."""

    cases: int
    countries: int
    by_domain: dict[str, int]
    by_status: dict[str, int]
    by_region: dict[str, int]
    ended_share: float

    def to_dict(self) -> dict[str, object]:
        return {"cases": self.cases, "countries": self.countries, "by_domain": self.by_domain,
                "by_status": self.by_status, "by_region": self.by_region,
                "ended_share": self.ended_share}


def facet_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Cases per value of each search facet, over the whole registry (region and income group
    count a case once even when several of its countries share them)."""
    c = t.cases.c
    ci, cb, cc, co = t.case_interventions, t.case_blocks, t.case_countries, t.countries
    out: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for name in ("domain", "status", "trajectory", "funding", "level"):
            column = getattr(c, name)
            out[name] = {str(k): int(v) for k, v in conn.execute(
                select(column, func.count()).group_by(column))}
        for name, column in (("intervention", ci.c.tag), ("building_block", cb.c.block),
                             ("country", cc.c.iso3)):
            out[name] = {str(k): int(v) for k, v in conn.execute(
                select(column, func.count()).group_by(column))}
        for name, column in (("region", co.c.who_region), ("income", co.c.income_group)):
            rows = conn.execute(
                select(column, func.count(func.distinct(cc.c.case_pk)))
                .select_from(cc.join(co, co.c.iso3 == cc.c.iso3)).group_by(column))
            out[name] = {str(k): int(v) for k, v in rows if k}
    return {name: dict(sorted(counts.items())) for name, counts in out.items()}


def data_stamp(engine: Engine) -> str:
    """A short string that changes whenever a case is added or changed (count, sum of record
    versions, latest update)."""
    c = t.cases.c
    with engine.connect() as conn:
        n, versions, latest = conn.execute(
            select(func.count(), func.coalesce(func.sum(c.version), 0), func.max(c.updated_at))
        ).one()
    return f"{n}-{versions}-{latest}"


def summary(engine: Engine) -> Summary:
    ensure_ready(engine)
    counts = facet_counts(engine)
    with engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(t.cases)).scalar_one())
        ended_like = int(conn.execute(
            select(func.count()).select_from(t.cases).where(
                (t.cases.c.status.in_(["ended", "not_implemented"]))
                | (t.cases.c.trajectory.in_(["contracted", "replaced"])))).scalar_one())
    return Summary(cases=n, countries=len(counts["country"]),
                   by_domain=counts["domain"], by_status=counts["status"],
                   by_region=counts["region"],
                   ended_share=round(ended_like / n, 4) if n else 0.0)
