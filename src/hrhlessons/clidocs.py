"""The CLI reference (docs/cli.md), generated from the commands themselves so it cannot drift.

``python -m hrhlessons.clidocs > docs/cli.md`` regenerates it; a test fails when the file and the
code disagree, or when a command or option has no help text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from hrhlessons.cli.app import app


def root_command() -> Any:
    return typer.main.get_command(app)


# Typer ships its own copy of click, so commands are recognised by shape, not by class.
def walk(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command with its path, depth first, in name order."""
    yield path, cmd
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            yield from walk(cmd.commands[name], (*path, name))


def _is_option(p: Any) -> bool:
    return getattr(p, "param_type_name", "") == "option"


def _param_line(p: Any) -> str:
    if _is_option(p):
        names = ", ".join(f"`{o}`" for o in p.opts + p.secondary_opts)
        help_text = (p.help or "").strip()
        default = ""
        if p.default not in (None, (), [], False) and not p.is_flag:
            shown = p.default.value if hasattr(p.default, "value") else p.default
            default = f" (default: `{shown}`)"
        return f"- {names}: {help_text}{default}"
    arg = (p.name or "").upper()
    help_text = getattr(p, "help", None) or ""
    return f"- `{arg}` (argument): {help_text}".rstrip()


def render() -> str:
    lines = ["# hrh-lessons command reference", "",
             "Generated from the code by `python -m hrhlessons.clidocs`; do not edit by hand.", ""]
    for path, cmd in walk(root_command()):
        if not path:
            continue
        title = " ".join(("hrh-lessons", *path))
        lines += [f"## `{title}`", "", (cmd.help or "").strip(), ""]
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            lines += [_param_line(p) for p in params]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def missing_help() -> list[str]:
    """Commands and options with no help text (each one a documentation bug)."""
    out: list[str] = []
    for path, cmd in walk(root_command()):
        label = " ".join(path) or "hrh-lessons"
        if not (cmd.help or "").strip():
            out.append(f"command '{label}'")
        for p in cmd.params:
            if _is_option(p) and p.name != "help" and not (p.help or "").strip():
                out.append(f"option {p.opts[0]} of '{label}'")
            if not _is_option(p) and not (getattr(p, "help", None) or "").strip():
                out.append(f"argument {p.name} of '{label}'")
    return out


if __name__ == "__main__":
    print(render(), end="")
