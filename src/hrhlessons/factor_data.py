"""Loading the factor vocabulary and the phrase mapping shipped in ``data/factors``.

The I/O edge of :mod:`hrhlessons.synthesis.factors`: it reads ``vocabulary.yaml`` and
``mapping.csv`` (or files given by path) and hands plain records to the pure constructors there.
Problems are reported with file, line and field (:class:`hrhlessons.errors.InvalidInput`).
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import yaml

from hrhlessons.errors import InvalidInput, Problem
from hrhlessons.synthesis.factors import FactorMapping, MappingRow, Vocabulary

MAPPING_COLUMNS: tuple[str, ...] = ("case_id", "kind", "text", "factor_ids", "method")


def factors_dir() -> Path:
    """The folder of factor data shipped inside the package."""
    return Path(str(resources.files("hrhlessons") / "data" / "factors"))


def vocabulary_path() -> Path:
    return factors_dir() / "vocabulary.yaml"


def mapping_path() -> Path:
    return factors_dir() / "mapping.csv"


def parse_vocabulary(text: str, *, file: str = "vocabulary.yaml") -> Vocabulary:
    """A vocabulary from the text of a ``vocabulary.yaml`` file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InvalidInput([Problem(file, line, "", f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("factors"), list) \
            or not isinstance(data.get("themes"), dict):
        raise InvalidInput([Problem(file, None, "", "a vocabulary file holds 'themes' (a "
                                                    "mapping) and 'factors' (a list)")])
    themes = {str(k): str(v) for k, v in data["themes"].items()}
    return Vocabulary.from_records(themes, data["factors"], file=file)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The controlled vocabulary (default: the one shipped with HRH Lessons)."""
    target = path or vocabulary_path()
    return parse_vocabulary(target.read_text(encoding="utf-8"), file=str(target))


def parse_mapping(text: str, *, file: str = "mapping.csv") -> FactorMapping:
    """A mapping from the text of a ``mapping.csv`` file (columns :data:`MAPPING_COLUMNS`)."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != MAPPING_COLUMNS:
        raise InvalidInput([Problem(file, 1, "", f"the header must be "
                                                 f"{','.join(MAPPING_COLUMNS)}")])
    rows: list[MappingRow] = []
    problems: list[Problem] = []
    for row in reader:
        if None in row or any(row.get(c) is None for c in MAPPING_COLUMNS):
            problems.append(Problem(file, reader.line_num, "",
                                    f"a row needs exactly {len(MAPPING_COLUMNS)} columns"))
            continue
        ids = tuple(i.strip() for i in row["factor_ids"].split(";") if i.strip())
        rows.append(MappingRow(row["case_id"].strip(), row["kind"].strip(), row["text"], ids,
                               row["method"].strip()))
    if problems:
        raise InvalidInput(problems)
    return FactorMapping(tuple(rows))


def load_mapping(path: Path | None = None, vocabulary: Vocabulary | None = None
                 ) -> FactorMapping:
    """The phrase mapping (default: the shipped one), checked against ``vocabulary``."""
    target = path or mapping_path()
    mapping = parse_mapping(target.read_text(encoding="utf-8"), file=str(target))
    if vocabulary is not None:
        problems = mapping.check(vocabulary, file=str(target))
        if problems:
            raise InvalidInput(problems)
    return mapping


def format_mapping(mapping: FactorMapping) -> str:
    """The CSV text of a mapping, one row per phrase."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(MAPPING_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in mapping.rows:
        writer.writerow(row.to_dict())
    return out.getvalue()


def write_mapping(mapping: FactorMapping, path: Path | None = None) -> Path:
    target = path or mapping_path()
    target.write_text(format_mapping(mapping), encoding="utf-8")
    return target
