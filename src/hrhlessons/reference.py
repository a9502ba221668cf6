"""Loading the country reference tables: the bundled ones, and the user's own imports.

The bundled tables live in the package (``hrhlessons/data/countries/``, see its README for
sources and licences). A user can add newer WHO GHO exports with ``hrh-lessons countries
import-gho``; their rows are kept in ``<data dir>/countries/indicators.csv``, where the data dir
is ``$HRH_DATA_DIR`` if set, else ``platformdirs.user_data_dir("hrh-lessons")``.

:func:`load_reference` reads the bundled tables and lays the user's rows over them: a user row
replaces the bundled row of the same country, indicator and year, and adds any new one. The
result is cached per table file and modification time, so an import is seen at the next call.
Delete the user file to go back to the bundled data.
"""

from __future__ import annotations

import functools
import gzip
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from hrhlessons.countries.gho import GhoImport, parse_gho
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.tables import (
    dump_observations,
    gho_observations,
    load_countries,
    load_income_history,
    load_observations,
    merge_observations,
)
from hrhlessons.errors import InvalidInput, Problem
from hrhlessons.files import write_atomic

DATA_DIR_ENV = "HRH_DATA_DIR"
USER_INDICATORS = Path("countries") / "indicators.csv"


def bundled_dir() -> Path:
    """The folder of bundled country tables inside the package."""
    return Path(str(resources.files("hrhlessons") / "data" / "countries"))


def user_data_dir() -> Path:
    """``$HRH_DATA_DIR``, else the platform's user data folder for hrh-lessons."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir as platform_dir

    return Path(platform_dir("hrh-lessons"))


def user_indicators_path() -> Path:
    return user_data_dir() / USER_INDICATORS


def _table_path(folder: Path, stem: str) -> Path:
    """``stem.csv``, or ``stem.csv.gz`` if the table is shipped compressed."""
    plain = folder / f"{stem}.csv"
    return plain if plain.exists() else folder / f"{stem}.csv.gz"


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _stamp(path: Path) -> tuple[str, int, int] | None:
    if not path.exists():
        return None
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def load_reference() -> CountryReference:
    """The country reference: bundled tables with the user's imported rows laid over them.

    Cached; a later import (a new modification time of the user table) is picked up.
    Raises InvalidInput if a table cannot be read (every problem named by file and line).
    """
    folder = bundled_dir()
    paths = tuple(_table_path(folder, s) for s in ("countries", "indicators", "income_history"))
    user = user_indicators_path()
    return _load(tuple(_stamp(p) or (str(p), 0, 0) for p in paths), _stamp(user))


def clear_cache() -> None:
    """Forget loaded tables (the next :func:`load_reference` reads the files again)."""
    _load.cache_clear()


@functools.lru_cache(maxsize=4)
def _load(
    bundled: tuple[tuple[str, int, int], ...], user: tuple[str, int, int] | None
) -> CountryReference:
    countries_path, indicators_path, income_path = (stamp[0] for stamp in bundled)
    meta = load_countries(_read_text(Path(countries_path)), file=countries_path)
    observations = load_observations(_read_text(Path(indicators_path)), file=indicators_path)
    income = load_income_history(_read_text(Path(income_path)), file=income_path)
    if user is not None:
        extra = load_observations(_read_text(Path(user[0])), file=user[0])
        observations = merge_observations(observations, extra)
    return CountryReference(meta, observations, income)


@dataclass(frozen=True)
class ImportSummary:
    """What ``import-gho`` did: the files read, rows kept and skipped, and where it wrote."""

    imports: tuple[GhoImport, ...]
    path: Path
    added: int
    replaced: int
    unchanged: int
    total_user_rows: int


def read_gho_files(paths: Sequence[Path]) -> list[GhoImport]:
    """Parse GHO exports; all problems of all files are raised together as InvalidInput."""
    imports: list[GhoImport] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(path), None, "", f"cannot read the file: {exc.strerror}"))
            continue
        try:
            imports.append(parse_gho(data, file=str(path)))
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return imports


def import_gho(paths: Iterable[Path]) -> ImportSummary:
    """Read GHO exports and merge their country rows into the user's indicator table.

    Every file is validated before anything is written; the table is then replaced in one
    atomic rename. Files are applied in order, so a later file wins for the same country,
    indicator and year. Raises InvalidInput (nothing written) if any file has a problem.
    """
    imports = read_gho_files(list(paths))
    reference = load_reference()
    target = user_indicators_path()
    existing = (load_observations(_read_text(target), file=str(target))
                if target.exists() else [])
    new = [o for part in imports for o in gho_observations(part.records)]
    merged = merge_observations(existing, new)
    latest = {(o.iso3, o.indicator, o.year): o.value for o in new}  # a later file wins
    before = {key: reference.value(*key) if key[0] in reference else None for key in latest}
    added = sum(1 for key in latest if before[key] is None)
    unchanged = sum(1 for key, value in latest.items() if before[key] == value)
    write_atomic(target, dump_observations(merged))
    clear_cache()
    return ImportSummary(tuple(imports), target, added, len(latest) - added - unchanged,
                         unchanged, len(merged))


