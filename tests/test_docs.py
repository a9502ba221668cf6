"""Docs that cannot drift: every command and option has help, and docs/cli.md is current."""

from __future__ import annotations

from pathlib import Path

from hrhlessons.clidocs import missing_help, render

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_and_option_has_help_text() -> None:
    assert missing_help() == []


def test_cli_reference_is_generated_from_the_code() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is out of date: run 'python -m hrhlessons.clidocs > docs/cli.md'")


def test_readme_shows_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
