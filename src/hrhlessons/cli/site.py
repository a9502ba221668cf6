"""The ``site`` command: the whole observatory as static HTML files for offline sharing.

Calls :func:`hrhlessons.share.site.build_site` over the registry database and shows its progress.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hrhlessons.cli.app import console, fail
from hrhlessons.cli.registry import open_registry


def site_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the site into (created; "
                                                    "files already there are overwritten).")],
    db: Annotated[str | None, typer.Option(
        "--db", envvar="HRH_DATABASE_URL",
        help="Database URL (default: SQLite file in the user data folder; the bundled registry "
             "is loaded when it holds no case).")] = None,
    lang: Annotated[str, typer.Option(
        "--lang", help="Languages to write, comma-separated; the first at the top of the "
                       "folder, the others under <lang>/ (e.g. en,fr).")] = "en",
) -> None:
    """Write the observatory as static HTML: home, every case, every country with cases or data,
    the synthesis, the data page and its downloads, the style sheet. Links are relative, so the
    site works opened from disk (file://) and on any static host; search, projection and the
    adaptation wizard say they need the live app."""
    try:
        from hrhlessons.share.site import build_site
    except ImportError as exc:
        fail(f"the static site needs the web packages, which are not installed ({exc.name}); "
             "install fastapi, jinja2 and httpx")
    languages = [part.strip() for part in lang.split(",") if part.strip()]
    engine = open_registry(db)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.fields[url]}"), console=console,
                  transient=False) as bar:
        task = bar.add_task("Writing the site", total=None, url="")

        def progress(done: int, known: int, url: str) -> None:
            bar.update(task, completed=done, total=known, url=url[:60])

        try:
            result = build_site(engine, out, languages=languages, progress=progress)
        except ValueError as exc:
            fail(f"--lang: {exc}")
    console.print(result.summary(), highlight=False)
    if result.broken:
        for page, link, status in result.broken[:20]:
            console.print(f"  broken link on {page}: {link} ({status})", highlight=False)
        raise typer.Exit(1)
    console.print(f"Open {out / 'index.html'} in a browser, or copy the folder to any web host.",
                  highlight=False)


def register(app: typer.Typer) -> None:
    app.command("site")(site_command)
