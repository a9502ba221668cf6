"""Reading case files from disk into one validated :class:`Batch`.

This is the I/O edge of the case registry: it finds files, decodes them strictly as UTF-8 and
hands the text to the pure parsers in :mod:`hrhlessons.cases`. Nothing is written anywhere; the
store writes a batch only when it has no problems (see :func:`hrhlessons.store.repo.import_batch`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from hrhlessons.cases.factcheck import FactCheck, parse_fact_checks
from hrhlessons.cases.records import Batch
from hrhlessons.cases.tabular import parse_csv, parse_json
from hrhlessons.cases.yamlio import parse_yaml
from hrhlessons.errors import NOT_UTF8, TOO_LARGE, UNSUPPORTED_FILE, Problem

#: A single YAML case file is a few kilobytes; anything over this is not a case record.
MAX_YAML_BYTES = 1024 * 1024
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def bundled_cases_dir() -> Path:
    """The folder of case files shipped inside the package (the embedded default registry)."""
    return Path(str(resources.files("hrhlessons") / "data" / "cases"))


def fact_checks_path() -> Path:
    """The fact-check log shipped beside the bundled registry (see :mod:`~.cases.factcheck`)."""
    return Path(str(resources.files("hrhlessons") / "data" / "review" / "fact-checks.csv"))


def load_fact_checks(path: Path | None = None) -> list[FactCheck]:
    """The checks in a fact-check log (default: the one shipped with HRH Lessons)."""
    target = path or fact_checks_path()
    return parse_fact_checks(target.read_text(encoding="utf-8"), file=str(target))


def case_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand folders into the case files they hold, in a stable order."""
    for path in paths:
        if path.is_dir():
            package = path / "datapackage.json"
            if package.exists():
                yield package
                continue
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in YAML_SUFFIXES)
        else:
            yield path


def _decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        detail = f"byte 0x{data[exc.start]:02x} at position {exc.start}"
        return None, [Problem(file, line, "", NOT_UTF8.format(detail=detail))]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(file, line, "", "the file holds NUL bytes: it is binary, not text")]
    return text, []


def read_file(path: Path, *, today_year: int | None = None) -> Batch:
    """Read and validate one file of any supported format."""
    file = str(path)
    batch = Batch()
    if not path.exists():
        batch.problems.append(Problem(file, None, "", "no such file or folder"))
        return batch
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES | {".json", ".csv"}:
        batch.problems.append(Problem(file, None, "", UNSUPPORTED_FILE))
        return batch
    size = path.stat().st_size
    if suffix in YAML_SUFFIXES and size > MAX_YAML_BYTES:
        batch.problems.append(Problem(file, None, "", TOO_LARGE.format(size=size,
                                                                       limit=MAX_YAML_BYTES)))
        return batch
    text, problems = _decode(path.read_bytes(), file)
    if text is None:
        batch.problems.extend(problems)
        return batch
    if suffix in YAML_SUFFIXES:
        return parse_yaml(text, file=file, today_year=today_year)
    if path.name == "datapackage.json":
        return _read_datapackage(path, text, today_year=today_year)
    if suffix == ".json":
        return parse_json(text, file=file, today_year=today_year)
    return parse_csv(text, file=file, today_year=today_year)


def _read_datapackage(path: Path, text: str, *, today_year: int | None) -> Batch:
    batch = Batch()
    try:
        descriptor = json.loads(text)
        resource = next(r for r in descriptor["resources"] if r.get("name") == "cases")
        target = path.parent / resource["path"]
    except (json.JSONDecodeError, KeyError, StopIteration, TypeError) as exc:
        batch.problems.append(Problem(str(path), None, "resources",
                                      f"not an HRH Lessons data package (no 'cases' resource): "
                                      f"{exc}"))
        return batch
    return read_file(target, today_year=today_year)


def read_paths(paths: Iterable[Path], *, today_year: int | None = None) -> Batch:
    """Read every case file under ``paths`` into one batch; ids must be unique across all."""
    batch = Batch()
    found = False
    for file in case_files(paths):
        found = True
        batch.extend(read_file(file, today_year=today_year))
    if not found:
        batch.problems.append(Problem(", ".join(str(p) for p in paths), None, "",
                                      "no case files found (.yaml, .yml, .json, .csv)"))
    return batch
