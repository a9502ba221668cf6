"""``hrh-lessons serve``: migrates, loads the bundled registry into an empty database, prints
the address, and hands the app to uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hrhlessons.cli import app
from hrhlessons.registry import open_database
from hrhlessons.store import repo


def test_serve_loads_an_empty_database_and_runs_uvicorn(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app_, **kw: calls.append({"app": app_, **kw}))
    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    result = CliRunner().invoke(app, ["serve", "--db", url, "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8765/" in result.output
    assert "Loaded the bundled registry" in result.output
    assert calls and calls[0]["port"] == 8765 and calls[0]["host"] == "127.0.0.1"
    assert repo.count_cases(open_database(url)) > 200
    again = CliRunner().invoke(app, ["serve", "--db", url, "--port", "8765"])
    assert again.exit_code == 0 and "Loaded the bundled registry" not in again.output
