"""Benchmark: a country's policy brief (Malawi) as PDF, against two baselines from the same run.

Times, with the registry and reference data already loaded (both are read once per process):

* **brief PDF**: :func:`~hrhlessons.share.briefs.country_brief` (profile, messages, both
  figures drawn as SVG) plus :func:`~hrhlessons.share.briefs.render_brief_pdf` (WeasyPrint);
  the target is under 3 s;
* **brief HTML**: the same brief built and rendered as standalone HTML only, so the PDF's share
  of the time shows;
* **plain WeasyPrint page**: a one-page HTML document of a few paragraphs, WeasyPrint's floor.

Prints the best of ``--repeat`` runs of each and their ratios; it asserts nothing about time.
The first WeasyPrint call of a process loads fonts: a warm-up render comes before the timing.

Run: ``.venv/bin/python benchmarks/bench_brief.py [--country MWI] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import time

from weasyprint import HTML

from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.reference import load_reference
from hrhlessons.share.briefs import country_brief, render_brief_html, render_brief_pdf
from timing import best_time

ONE_PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{font-family:"
            "'DejaVu Sans';font-size:10pt}</style></head><body><h1>One page</h1>"
            + "<p>" + "A plain paragraph of text for the baseline. " * 40 + "</p>"
            + "</body></html>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="MWI")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    cases = read_paths([bundled_cases_dir()]).cases
    reference = load_reference()
    load = time.perf_counter() - start
    HTML(string=ONE_PAGE).write_pdf()  # warm-up: font loading

    def pdf() -> int:
        return render_brief_pdf(country_brief(reference, args.country, cases)).pages

    def html() -> int:
        return len(render_brief_html(country_brief(reference, args.country, cases)))

    t_pdf, pages = best_time(pdf, args.repeat, warm_up=False)
    t_html, size = best_time(html, args.repeat, warm_up=False)
    t_plain, _ = best_time(lambda: HTML(string=ONE_PAGE).write_pdf(), args.repeat, warm_up=False)

    print(f"registry and reference loaded once: {load:.2f} s ({len(cases)} cases)")
    print(f"brief PDF, {args.country}:       {t_pdf:.3f} s ({pages} pages; target < 3 s: "
          f"{'met' if t_pdf < 3 else 'NOT met'})")
    print(f"brief HTML only:           {t_html:.3f} s ({size:,} characters); "
          f"PDF / HTML = {t_pdf / t_html:.1f}x")
    print(f"plain one-page WeasyPrint: {t_plain:.3f} s; brief PDF / plain = "
          f"{t_pdf / t_plain:.1f}x")


if __name__ == "__main__":
    main()
