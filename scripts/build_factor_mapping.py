"""Regenerate data/factors/mapping.csv from the vocabulary's rules.

Every factor phrase of the bundled cases (or of the case files given) gets a row: rows a reviewer
marked ``manual`` are kept as they are; every other phrase is (re-)matched by the rules in
vocabulary.yaml. Rows whose phrase no longer exists in any case are dropped and listed.

    .venv/bin/python scripts/build_factor_mapping.py            # bundled registry
    .venv/bin/python scripts/build_factor_mapping.py --check    # exit 1 if mapping.csv is stale
    .venv/bin/python scripts/build_factor_mapping.py --carry-reworded   # after rewording a factor

With --carry-reworded, a reworded factor keeps its reviewed codes: where a case's factors of
one kind lost one manual row and gained one new phrase, the new phrase takes that row's
factors (listed as "carried"); review the list before committing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrhlessons.factor_data import (
    format_mapping,
    load_mapping,
    load_vocabulary,
    mapping_path,
    write_mapping,
)
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.synthesis.factors import FactorMapping, build_mapping, carry_reworded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="case files or folders (default: the bundled registry)")
    parser.add_argument("--mapping", type=Path, default=None,
                        help="mapping CSV to update (default: the shipped mapping.csv)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the mapping would change")
    parser.add_argument("--carry-reworded", action="store_true",
                        help="give a reworded phrase the codes of the manual row it replaces")
    args = parser.parse_args(argv)

    batch = read_paths(args.paths or [bundled_cases_dir()])
    if batch.problems:
        for p in batch.problems:
            print(p, file=sys.stderr)
        print("the case files have problems; fix them first", file=sys.stderr)
        return 2
    vocabulary = load_vocabulary()
    target = args.mapping or mapping_path()
    existing = load_mapping(target, vocabulary) if target.exists() else FactorMapping(())
    built = build_mapping(batch.cases, vocabulary, existing)
    carried, pairs = carry_reworded(built)
    update = carried if args.carry_reworded else built
    for old_row, new_row in pairs:
        said = (f"carried ({';'.join(old_row.factor_ids)})" if args.carry_reworded
                else "reworded? (run with --carry-reworded to keep its codes)")
        print(f"{said}: {old_row.case_id} [{old_row.kind}] {old_row.text!r} -> "
              f"{new_row.text!r}", file=sys.stderr)
    for row in update.stale:
        print(f"dropped ({row.method}): {row.case_id} [{row.kind}] {row.text}", file=sys.stderr)
    print(update.summary())
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    if args.check:
        return 0 if format_mapping(update.mapping) == old else 1
    write_mapping(update.mapping, target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
