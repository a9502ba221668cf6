"""Benchmark: ``hrh-lessons site`` for the bundled registry.

    .venv/bin/python benchmarks/bench_site.py [--lang en] [--out DIR]

Timed, in this one run:

- :func:`hrhlessons.share.site.build_site` over the bundled registry in a fresh SQLite file
  (every page rendered by the web app in-process, links rewritten, downloads and assets
  written), for the languages asked;
- a baseline: writing the same number of files, holding the same bytes, straight to disk (what
  the build would cost if rendering and crawling were free).

The target is under 60 s for the site. Figures are printed beside the baseline and its ratio;
nothing is asserted. Importing the registry into the database is not timed.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from hrhlessons import registry
from hrhlessons.share.site import build_site

TARGET_S = 60.0


def plain_files(site: Path, out: Path) -> tuple[float, int]:
    """Write every file of ``site`` again under ``out``, as plain bytes; seconds and count."""
    blobs = [(p.relative_to(site), p.read_bytes()) for p in site.rglob("*") if p.is_file()]
    started = time.perf_counter()
    for rel, data in blobs:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return time.perf_counter() - started, len(blobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="languages, comma-separated (e.g. en,fr)")
    parser.add_argument("--out", type=Path, default=None, help="keep the site in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hrh-bench-site-"))
    try:
        engine = registry.open_database(f"sqlite:///{work / 'registry.sqlite'}", migrate=True)
        registry.import_bundled(engine)
        out = args.out or work / "site"
        result = build_site(engine, out, languages=args.lang.split(","))
        base_s, n = plain_files(out, work / "plain")
        print(f"static site ({', '.join(result.languages)}): {result.pages} pages, "
              f"{result.files} files, {result.bytes / 1e6:.1f} MB")
        print(f"  build_site:            {result.seconds:8.2f} s  (target < {TARGET_S:.0f} s: "
              f"{'met' if result.seconds < TARGET_S else 'NOT met'})")
        print(f"  baseline, {n} plain files: {base_s:8.2f} s")
        print(f"  ratio build / baseline: {result.seconds / max(base_s, 1e-9):8.1f} x")
        if result.broken:
            print(f"  broken links: {len(result.broken)}")
    finally:
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
