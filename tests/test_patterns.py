"""Anchored regular expressions in the package end in `\\Z`, not `$`.

`$` also matches before a final newline, so `^[A-Z]{3}$` accepts "MWI\\n": a YAML writer then
leaves such text unquoted and a validator lets it through. This scans every `re.compile`,
`re.match`, `re.fullmatch` and `re.search` call whose pattern is a literal, so a new pattern
cannot bring the trailing-newline hole back. (Patterns published for other engines, such as an
OpenAPI `pattern`, are plain strings outside these calls and keep ECMA-262's `$`.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hrhlessons"
CALLS = {"compile", "match", "fullmatch", "search"}


def dollar_anchored(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, pattern) of each literal `^...$` pattern passed to a `re` call."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in CALLS and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            pattern = node.args[0].value
            if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
                found.append((node.lineno, pattern))
    return found


def test_the_scan_finds_a_dollar_anchored_pattern() -> None:
    tree = ast.parse('import re\nA = re.compile(r"^[A-Z]{3}$")\nB = re.compile(r"^x\\Z")\n')
    assert dollar_anchored(tree) == [(2, "^[A-Z]{3}$")]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_dollar_anchored_pattern_in_the_package(path: Path) -> None:
    assert dollar_anchored(ast.parse(path.read_text(encoding="utf-8"))) == []
