"""The Typer application and the helpers every command module shares."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from hrhlessons import __version__
from hrhlessons.errors import HRHError, InvalidInput, format_problems

app = typer.Typer(
    name="hrh-lessons",
    help="HRH Lessons: what health-workforce innovations teach, with every fact cited.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)

#: Every other module of this package is a command module with a ``register(app)`` function;
#: adding a module adds its commands.
COMMAND_MODULES: tuple[str, ...] = tuple(
    f"hrhlessons.cli.{m.name}"
    for m in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]),
                    key=lambda m: m.name)
    if m.name not in {"app", "__main__"}
)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a user-facing error and exit (2: bad input, 1: anything else)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def fail_from(exc: HRHError) -> NoReturn:
    if isinstance(exc, InvalidInput):
        err_console.print(format_problems(exc.problems), highlight=False, markup=False,
                          soft_wrap=True)
        fail(f"{len(exc.problems)} problem(s) found; nothing was written.")
    fail(str(exc))


def _version(value: bool) -> None:
    if value:
        console.print(f"hrh-lessons {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """HRH Lessons: a cited registry of health-workforce innovations and their lessons."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()
