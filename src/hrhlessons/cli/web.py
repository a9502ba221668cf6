"""The ``serve`` command: the web site and JSON API on this machine.

Migrates the database, loads the bundled registry when the database holds no case, prints the
address and runs uvicorn (one process; the site is read-only, so one worker serves many users).
"""

from __future__ import annotations

import typer

from hrhlessons.cli.app import console, fail
from hrhlessons.cli.registry import open_registry


def serve(
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on (0.0.0.0: every network interface)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: str | None = typer.Option(None, "--db", envvar="HRH_DATABASE_URL",
                                  help="Database URL (default: SQLite file in the user data "
                                       "folder)."),
) -> None:
    """Serve the web pages and the JSON API (/api/v1, documented at /docs)."""
    try:
        import uvicorn

        from hrhlessons.web.app import create_app
    except ImportError as exc:
        fail(f"the web interface needs packages that are not installed ({exc.name}); "
             "install fastapi, uvicorn and jinja2")
    engine = open_registry(db)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"HRH Lessons at http://{shown}:{port}/  (API: /api/v1, docs: /docs; "
                  "Ctrl+C stops)")
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
