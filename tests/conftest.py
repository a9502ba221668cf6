"""Shared fixtures: a fresh database per test, on SQLite and (marked) on PostgreSQL.

PostgreSQL tests use ``HRH_TEST_POSTGRES_URL`` (CI sets it to the server on 127.0.0.1:5432,
database ``test``); each test gets a schema of its own, dropped afterwards. Without a server
they are skipped, except when ``HRH_REQUIRE_SERVICES=1`` (as in CI), where a missing server is
a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from hrhlessons.store.db import make_engine, upgrade

PG_URL = os.environ.get("HRH_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE = os.environ.get("HRH_REQUIRE_SERVICES") == "1"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real data folder or database."""
    home = tmp_path_factory.mktemp("hrh-data")
    monkeypatch.setenv("HRH_DATA_DIR", str(home))
    monkeypatch.delenv("HRH_DATABASE_URL", raising=False)


def _pg_available() -> str | None:
    try:
        eng = create_engine(PG_URL)
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as exc:  # any connection failure means: no server here
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    reason = _pg_available()
    if reason:
        if REQUIRE:
            pytest.fail(f"PostgreSQL is required (HRH_REQUIRE_SERVICES=1) but {PG_URL} "
                        f"answered: {reason}")
        pytest.skip(f"no PostgreSQL at {PG_URL}: {reason}")
    return PG_URL


@pytest.fixture
def pg_url(pg_base_url: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_base_url else "?"
    try:
        yield f"{pg_base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def bundled_batch():  # type: ignore[no-untyped-def]
    from hrhlessons.ingest import bundled_cases_dir, read_paths

    return read_paths([bundled_cases_dir()])
