"""Case records as YAML text: parsing with line numbers, and the canonical YAML form.

Parsing keeps PyYAML's node tree so that any problem, from a type error deep in a source list to
a rule broken between two fields, is reported at its line. It uses libyaml (``CSafeLoader``) when
the machine has it, which is several times faster than the pure-Python parser.

The writer is ours rather than ``yaml.dump`` because the files are meant to be read and edited
by people: flow style for short mappings (sources, scale, measures), a folded block for the
description, and a fixed field order. Free text is written as JSON strings, which YAML reads
back exactly, so writing and reading a case gives the same case (tested with hypothesis).
"""

from __future__ import annotations

import importlib
import json
import math
import re
import textwrap
from typing import Any, ClassVar

import yaml

from hrhlessons.cases.model import Case
from hrhlessons.cases.records import Batch, case_to_dict, parse_case
from hrhlessons.errors import NOT_YAML, Problem

_yaml_rs: Any
try:
    _yaml_rs = importlib.import_module("yaml_rs")
except ImportError:  # pragma: no cover - a dependency, but PyYAML alone still works
    _yaml_rs = None

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """libyaml's safe loader with its tag resolver memoised.

    libyaml calls back into Python's resolver for every node; case files repeat the same
    scalars (true, null, enum values) so often that remembering the answers saves a fifth of
    the parse time. The cache is keyed on everything ``resolve`` looks at.
    """

    _memo: ClassVar[dict[tuple[Any, str, tuple[bool, bool]], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (kind, value, tuple(implicit))
        tag = self._memo.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._memo) < 100_000:
                self._memo[key] = tag
        return tag


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class NodeLocator:
    """Finds the line of a field path such as ``('sources', 2, 'url')`` in a YAML node tree.

    A path that does not exist (a missing field) resolves to the nearest existing parent.
    """

    def __init__(self, root: yaml.Node | None):
        self.root = root

    def __call__(self, path: tuple[str | int, ...]) -> int | None:
        node = self.root
        if node is None:
            return None
        line = _line(node)
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = next((kv for kv in node.value if kv[0].value == str(part)), None)
                if match is None:
                    return line
                line, node = _line(match[0]), match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return line
                node = node.value[part]
                line = _line(node)
            else:
                return line
        return line


def _duplicate_keys(node: yaml.Node, path: str = "") -> list[tuple[str, int]]:
    """Keys given twice in one mapping: PyYAML would silently keep the last."""
    found: list[tuple[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            sub = f"{path}.{name}" if path else name
            if name in seen:
                found.append((sub, _line(key)))
            seen.add(name)
            if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)):
                found.extend(_duplicate_keys(value, sub))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if isinstance(item, (yaml.MappingNode, yaml.SequenceNode)):
                found.extend(_duplicate_keys(item, f"{path}.{i}" if path else str(i)))
    return found


def _compose(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_INT = re.compile(r"^[-+]?[0-9]+\Z")
_PLAIN_FLOAT = re.compile(r"^[-+]?[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")
_TRUE = frozenset({"yes", "true", "on", "y"})


class _Fallback(Exception):
    """A node the fast builder leaves to PyYAML (merge keys, custom tags, deep nesting)."""


class _DuplicateKey(_Fallback):
    """A mapping that gives a key twice (located afterwards by :func:`_duplicate_keys`)."""


def _build(node: yaml.Node, depth: int = 0) -> Any:
    """Plain Python data from a composed node, for the tags a case file uses.

    PyYAML's generic constructor spends most of a case file's parse time in bookkeeping this
    format never needs; building the few tags directly halves the cost of importing thousands
    of files. Anything unusual raises :class:`_Fallback` and PyYAML constructs the whole file.
    """
    if depth > 40:
        raise _Fallback
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _INT and _PLAIN_INT.match(value):
            return int(value)
        if tag == _FLOAT and _PLAIN_FLOAT.match(value):
            return float(value)
        if tag == _BOOL:
            return value.lower() in _TRUE
        raise _Fallback
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_build(item, depth + 1) for item in node.value]
    if isinstance(node, yaml.MappingNode) and tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node,
                                                                           yaml.ScalarNode):
                raise _Fallback
            out[_build(key_node, depth + 1)] = _build(value_node, depth + 1)
        if len(out) != len(node.value):
            raise _DuplicateKey
        return out
    raise _Fallback


def _construct(node: yaml.Node) -> tuple[Any, bool]:
    """The node's data, and whether its keys still need checking for duplicates."""
    try:
        return _build(node), False
    except _Fallback:
        loader = _Loader("")
        try:
            return loader.construct_document(node), True
        finally:
            loader.dispose()


class _LazyLocator:
    """A :class:`NodeLocator` whose node tree is composed only if a problem needs a line."""

    def __init__(self, text: str):
        self.text = text
        self._locator: NodeLocator | None = None

    def __call__(self, path: tuple[str | int, ...]) -> int | None:
        if self._locator is None:
            self._locator = NodeLocator(_compose(self.text))
        return self._locator(path)


def parse_yaml(text: str, *, file: str, today_year: int | None = None) -> Batch:
    """Parse a YAML case file: one record, or a list of records.

    A file holding one record goes through ``yaml_rs`` (a Rust YAML parser, several times
    faster than libyaml plus PyYAML's constructor, and strict about duplicate keys); its lines
    are looked up with PyYAML only when the record has a problem to report. Anything else (a
    list of records, a file yaml_rs refuses, or a machine without yaml_rs) takes the PyYAML
    path, which reports syntax errors and duplicate keys at their lines.
    """
    if _yaml_rs is not None:
        try:
            data = _yaml_rs.loads(text)
        except Exception:  # any refusal: the PyYAML path explains it with a line number
            data = None
        if isinstance(data, dict):
            batch = Batch()
            case, problems = parse_case(data, file=file, locate=_LazyLocator(text),
                                        today_year=today_year)
            batch.add(case, problems, file=file)
            return batch
    return _parse_yaml_slow(text, file=file, today_year=today_year)


def _parse_yaml_slow(text: str, *, file: str, today_year: int | None = None) -> Batch:
    batch = Batch()
    try:
        root = _compose(text)
        data, check_keys = (None, False) if root is None else _construct(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else int(mark.line) + 1
        detail = str(getattr(exc, "problem", None) or exc).strip()
        batch.problems.append(Problem(file, line, "", NOT_YAML.format(detail=detail)))
        return batch
    except ValueError as exc:  # e.g. an impossible date such as 2020-02-30
        batch.problems.append(Problem(file, None, "", NOT_YAML.format(detail=exc)))
        return batch
    if root is None:
        batch.problems.append(Problem(file, 1, "", "the file is empty: no case record in it"))
        return batch
    dups = _duplicate_keys(root) if check_keys else []
    if dups:
        for path, line in dups:
            batch.problems.append(Problem(file, line, path, "this field is given twice"))
        return batch
    if isinstance(data, list) and isinstance(root, yaml.SequenceNode):
        for item_node, item in zip(root.value, data, strict=True):
            locate = NodeLocator(item_node)
            case, problems = parse_case(item, file=file, locate=locate, today_year=today_year)
            batch.add(case, problems, file=file, line=_line(item_node))
        return batch
    case, problems = parse_case(data, file=file, locate=NodeLocator(root), today_year=today_year)
    batch.add(case, problems, file=file)
    return batch


# ----- writing -----

# `\Z`, not `$`, in anchored patterns: `$` also matches before a final newline ("A\n").
_PLAIN = re.compile(r"^[a-z0-9_][a-z0-9_-]*\Z", re.IGNORECASE)
_YAML_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exp = text.split("e")
            text = f"{mantissa}.0e{exp}"
        return text
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_SPECIAL and not _looks_numeric(text):
        return text
    return _text(text)


def _looks_numeric(text: str) -> bool:
    return bool(re.match(r"^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?\Z", text)) or text[0].isdigit()


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def _flow_list(items: list[Any]) -> str:
    return "[" + ", ".join(_scalar(v) for v in items) + "]"


# Characters YAML does not allow raw in a file (outside its printable set); written as escapes.
_NOT_YAML_PRINTABLE = re.compile(r"[\x7f-\x9f\ufffe\uffff]")


def _text(value: str) -> str:
    """A double-quoted scalar: JSON escapes, which YAML reads the same, plus YAML's own limits."""
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                   json.dumps(value, ensure_ascii=False))


def _folded(text: str, indent: str = "  ", width: int = 88) -> str:
    """A ``>-`` block when the text folds back exactly, else a JSON string."""
    foldable = (
        text
        and text == text.strip()
        and "\n" not in text
        and "  " not in text
        and "\t" not in text
        and all(ch.isprintable() for ch in text)
    )
    if not foldable:
        return _text(text)
    lines = textwrap.wrap(text, width=width - len(indent), break_long_words=False,
                          break_on_hyphens=False)
    return ">-\n" + "\n".join(indent + line for line in lines)


def dump_case(case: Case) -> str:
    """The canonical YAML text of one case."""
    d = case_to_dict(case)
    out: list[str] = []
    add = out.append
    add(f"id: {_scalar(d['id'])}")
    add(f"name: {_text(d['name'])}")
    add(f"countries: {_flow_list(d['countries'])}")
    for name in ("level", "domain"):
        add(f"{name}: {_scalar(d[name])}")
    add(f"interventions: {_flow_list(d['interventions'])}")
    add("cadres: [" + ", ".join(_text(c) for c in d["cadres"]) + "]")
    add(f"description: {_folded(d['description'])}")
    for name in ("start_year", "end_year", "status", "status_year", "trajectory", "funding"):
        add(f"{name}: {_scalar(d[name])}")
    _block_list(add, "scale", [_flow(s) for s in d["scale"]])
    add("conditions:")
    for key, value in d["conditions"].items():
        add(f"  {key}: {_scalar(value)}")
    if d["outcomes"]:
        add("outcomes:")
        for o in d["outcomes"]:
            add(f"  - building_block: {_scalar(o['building_block'])}")
            add(f"    indicator: {_text(o['indicator'])}")
            for m in ("baseline", "followup"):
                value = o[m]
                add(f"    {m}: {'null' if value is None else _flow(value)}")
            for name in ("direction", "evidence", "source"):
                add(f"    {name}: {_scalar(o[name])}")
    else:
        add("outcomes: []")
    for name in ("success_factors", "failure_factors", "lessons"):
        _block_list(add, name, [_text(t) for t in d[name]])
    _block_list(add, "sources", [
        "{" + ", ".join(
            f"{k}: {_text(v) if isinstance(v, str) else _scalar(v)}" for k, v in s.items()
        ) + "}"
        for s in d["sources"]
    ])
    add("provenance:")
    for key, value in d["provenance"].items():
        add(f"  {key}: {_flow_list(value)}")
    return "\n".join(out) + "\n"


def _block_list(add: Any, name: str, items: list[str]) -> None:
    if not items:
        add(f"{name}: []")
        return
    add(f"{name}:")
    for item in items:
        add(f"  - {item}")
