"""Docs that cannot drift: every command and option has help, and docs/cli.md is current."""

from __future__ import annotations

import re
from pathlib import Path

from hrhlessons.clidocs import missing_help, render
from hrhlessons.ingest import load_fact_checks

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


def test_readme_figures_for_the_latest_spot_check_round_are_the_logged_counts() -> None:
    # The README gives the totals of spot-check round AF-AH; the per-record counts behind
    # them are in the fact-check log ("Spot-check AF: S 63, W 1 of 64"; a new record's row
    # says "checked by an independent checker (no log seen): S .., W .. of .."). The hand-typed
    # totals are held to the sums here, so a later edit of either cannot drift unnoticed.
    logged = re.compile(r"(?:Spot-check A[FGH]\b[^:]*|checked by an independent checker "
                        r"\(no log seen\)): S (\d+)(?:, W (\d+))?(?:, C (\d+))?(?:, N (\d+))? "
                        r"of (\d+)")
    counts = []
    for check in load_fact_checks():
        found = logged.search(check.note)
        if found:
            s, w, c, n, total = (int(g or 0) for g in found.groups())
            assert s + w + c + n == total, check.id
            counts.append((s, w, c, n, total))
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    stated = re.search(r"([\d,]+) of ([\d,]+) facts supported \(([\d.]+)%\), (\d+) weaker, "
                       r"(\d+) not reached, none contradicted; (\d+) of the (\d+) records "
                       r"entirely supported", readme)
    assert stated, "README.md no longer states the AF-AH totals"
    supported, facts, share, weaker, unreached, clean, records = (
        g.replace(",", "") for g in stated.groups())
    sums = [sum(col) for col in zip(*counts, strict=True)]
    assert [int(supported), int(weaker), 0, int(unreached), int(facts)] == sums
    assert float(share) == round(100 * sums[0] / sums[4], 1)
    assert (int(clean), int(records)) == (sum(1 for r in counts if r[0] == r[4]), len(counts))
