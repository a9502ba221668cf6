"""Registry operations that touch files and the database: the layer the CLI and web call.

Each function does one job end to end (read, validate, write; or read, render, write) and
leaves formatting for people to its caller.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from hrhlessons.cases.coverage import Coverage
from hrhlessons.cases.coverage import coverage as case_coverage
from hrhlessons.cases.factcheck import FactCheck, latest_checks
from hrhlessons.cases.model import Case
from hrhlessons.cases.records import Batch
from hrhlessons.cases.tabular import cases_to_csv, cases_to_json
from hrhlessons.cases.yamlio import dump_case
from hrhlessons.errors import HRHError, UnknownCountry
from hrhlessons.files import write_atomic
from hrhlessons.ingest import bundled_cases_dir, load_fact_checks, read_paths
from hrhlessons.share import datapackage
from hrhlessons.store import repo
from hrhlessons.store.db import make_engine, upgrade

EXPORT_FORMATS = ("yaml", "json", "csv", "datapackage")


def open_database(url: str | None = None, *, migrate: bool = False, **kwargs: Any) -> Engine:
    engine = make_engine(url, **kwargs)
    if migrate:
        upgrade(engine)
    return engine


def country_rows() -> dict[str, repo.CountryRow]:
    """Name, WHO region and income group of every country, from the bundled reference data."""
    from hrhlessons.reference import load_reference

    ref = load_reference()
    return {iso3: (m.name, m.who_region, m.income_group) for iso3, m in ref.all_meta().items()}


def sync_countries(engine: Engine) -> bool:
    """Bring the database's country facts in line with the reference data (if they differ)."""
    return repo.sync_countries(engine, country_rows())


@functools.cache
def bundled_fact_checks() -> tuple[FactCheck, ...]:
    """The fact-check log shipped with HRH Lessons (package data: read once per process)."""
    return tuple(load_fact_checks())


@functools.cache
def _bundled_checks() -> dict[str, FactCheck]:
    return latest_checks(bundled_fact_checks())


def bundled_fact_check(case_id: str) -> FactCheck | None:
    """The latest check of the bundled record with this id (None for cases not in the log).

    The log describes the records shipped with HRH Lessons; callers word it that way, since a
    database may hold an edited record under the same id.
    """
    return _bundled_checks().get(case_id)


def coverage(cases: Iterable[Case], checks: Iterable[FactCheck] | None = None) -> Coverage:
    """The registry's coverage, with regions and income groups from the reference data, and
    the fact checks of its cases (default: the log shipped with the bundled registry, which
    names bundled case ids; a case id absent from the log counts as not checked)."""
    from hrhlessons.reference import load_reference

    ref = load_reference()

    def lookup(iso3: str, year: int | None) -> tuple[str | None, str | None]:
        try:
            meta = ref.meta(iso3)
        except UnknownCountry:
            return None, None
        income = ref.income_group_in(iso3, year) if year is not None else None
        return meta.who_region, income or meta.income_group

    return case_coverage(cases, lookup, bundled_fact_checks() if checks is None else checks)


def import_paths(engine: Engine, paths: Iterable[Path], *,
                 progress: Callable[[int], None] | None = None) -> tuple[Batch, repo.ImportReport]:
    """Validate everything under ``paths``, then write it in one transaction.

    Raises :class:`~hrhlessons.errors.InvalidInput` (nothing written) when any record is bad.
    """
    batch = read_paths(paths)
    report = repo.import_batch(engine, batch, progress=progress)
    return batch, report


def import_bundled(engine: Engine) -> repo.ImportReport:
    """Load the registry shipped with the package, with country facts for the facets."""
    sync_countries(engine)
    _, report = import_paths(engine, [bundled_cases_dir()])
    return report


def open_with_cases(url: str | None = None) -> tuple[Engine, repo.ImportReport | None]:
    """Open (and migrate) the database; load the bundled registry when it holds no case yet.

    Returns the engine and the import report, or ``None`` when the database already had cases.
    """
    engine = open_database(url, migrate=True)
    if repo.count_cases(engine) > 0:
        return engine, None
    return engine, import_bundled(engine)


_EXPORT_NAMES = (".yaml", ".csv", "datapackage.json")


def _check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that holds anything but an earlier export."""
    if out.is_dir() and not all(p.is_file() and p.name.endswith(_EXPORT_NAMES)
                                for p in out.iterdir()):
        raise HRHError(f"{out} already exists and holds other files than an export; "
                       "choose a new or empty folder")


def export(engine: Engine, fmt: str, out: Path) -> list[Path]:
    """Write every case in ``fmt`` to ``out`` (a file for json/csv, a folder otherwise).

    Files are first written to a temporary place and moved into position at the end, so a
    failed export leaves no half-written output.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
    cases = repo.all_cases(engine)
    if fmt in ("json", "csv"):
        text = cases_to_json(cases) if fmt == "json" else cases_to_csv(cases)
        write_atomic(out, text)
        return [out]
    files = ({f"{c.id}.yaml": dump_case(c) for c in cases} if fmt == "yaml"
             else datapackage.build(cases))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        if out.exists():
            _check_replaceable(out)
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        staging.replace(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return sorted(out / name for name in files)
