"""Regenerate the bundled country tables (src/hrhlessons/data/countries/) from the shared
reference data: WHO GHO exports, World Bank population, CLASS.xlsx and OGHIST.xlsx.

Usage:  .venv/bin/python scripts/build_country_data.py [--source ../shared/data] [--out DIR]

Tables larger than GZIP_OVER bytes are written gzip-compressed (``.csv.gz``); the loader reads
either. Output is deterministic (sorted rows, no timestamps), so a rebuild from the same sources
gives byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from hrhlessons.countries.build import build_tables
from hrhlessons.countries.gho import parse_gho
from hrhlessons.countries.tables import dump_countries, dump_income_history, dump_observations
from hrhlessons.countries.worldbank import parse_class, parse_oghist, parse_population
from hrhlessons.errors import InvalidInput, format_problems

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "src" / "hrhlessons" / "data" / "countries"
GHO_FILES = ("medical_doctors_per10000.csv", "nursing_midwives_per10000.csv", "chw_count.csv")
GZIP_OVER = 1_000_000


def write_table(out: Path, stem: str, text: str) -> Path:
    data = text.encode("utf-8")
    plain, packed = out / f"{stem}.csv", out / f"{stem}.csv.gz"
    if len(data) > GZIP_OVER:
        packed.write_bytes(gzip.compress(data, mtime=0))
        plain.unlink(missing_ok=True)
        return packed
    plain.write_bytes(data)
    packed.unlink(missing_ok=True)
    return plain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    src: Path = args.source
    try:
        gho = [parse_gho((src / "who-gho" / f).read_bytes(), file=f"who-gho/{f}")
               for f in GHO_FILES]
        economies = parse_class((src / "world-bank" / "CLASS.xlsx").read_bytes(),
                                file="world-bank/CLASS.xlsx")
        codes = {e.iso3 for e in economies} | {r.iso3 for g in gho for r in g.records}
        population = parse_population((src / "world-bank" / "population.csv").read_bytes(),
                                      file="world-bank/population.csv", countries=codes)
        oghist = parse_oghist((src / "world-bank" / "OGHIST.xlsx").read_bytes(),
                              file="world-bank/OGHIST.xlsx")
        tables = build_tables(gho, population, economies, oghist)
    except InvalidInput as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for stem, text in (("countries", dump_countries(tables.countries)),
                       ("indicators", dump_observations(tables.observations)),
                       ("income_history", dump_income_history(tables.income_history))):
        path = write_table(out, stem, text)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown}: {text.count(chr(10)) - 1} rows, {path.stat().st_size:,} bytes")
    for g in gho:
        skipped = ", ".join(f"{n} {why}" for why, n in g.skipped.items()) or "none"
        print(f"  {g.file}: {len(g.records)} country rows; skipped: {skipped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
