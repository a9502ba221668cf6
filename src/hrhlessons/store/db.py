"""Connecting to the registry database and migrating it.

The database URL comes from ``HRH_DATABASE_URL``; by default it is a SQLite file in the user's
data directory (``platformdirs.user_data_dir("hrh-lessons")``, or ``HRH_DATA_DIR`` when set).
PostgreSQL is used by URL, for example ``postgresql+psycopg://user@host:5432/hrh``; a
``?options=-csearch_path%3Dmyschema`` parameter puts the tables in a schema of their own.

Schema changes are named Alembic migrations (``store/migrations/versions``); the database
remembers which have run in ``alembic_version``. ``hrh-lessons db upgrade`` runs the rest.
"""

from __future__ import annotations

import functools
import os
import weakref
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect

from hrhlessons.errors import DatabaseNotReady

ENV_URL = "HRH_DATABASE_URL"
ENV_DATA_DIR = "HRH_DATA_DIR"


def data_dir() -> Path:
    """Where HRH Lessons keeps the user's database and imported reference data."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else Path(platformdirs.user_data_dir("hrh-lessons"))


def database_url() -> str:
    url = os.environ.get(ENV_URL)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'hrhlessons.sqlite'}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    # A larger page cache and memory-mapped reads: full-text queries walk long doclists.
    cur.execute("PRAGMA cache_size = -65536")
    cur.execute("PRAGMA mmap_size = 268435456")
    cur.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`), with SQLite tuned for one user."""
    url = url or database_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("hrhlessons.store") / "migrations"))
    return cfg


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Run every migration not yet run. Returns (revision before, revision after)."""
    before = current_revision(engine)
    _FTS5.pop(engine, None)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, head_revision()


#: Engines already found at the newest migration: checked once, not on every query.
_READY: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_ready(engine: Engine) -> None:
    """Raise :class:`DatabaseNotReady` unless the database is at the newest migration."""
    if engine in _READY:
        return
    current = current_revision(engine)
    if current != head_revision():
        where = engine.url.render_as_string(hide_password=True)
        if current is None:
            raise DatabaseNotReady(
                f"the database {where} has no tables yet; run 'hrh-lessons import --bundled' "
                "to create it and load the bundled registry (or 'hrh-lessons db upgrade' to "
                "create it empty)"
            )
        raise DatabaseNotReady(
            f"the database {where} is at migration {current}; run 'hrh-lessons db upgrade' "
            f"to bring it to {head_revision()}"
        )
    _READY.add(engine)


_FTS5: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def has_fts5(engine: Engine) -> bool:
    """Whether the database has the SQLite FTS5 index (looked up once per engine)."""
    if engine not in _FTS5:
        _FTS5[engine] = (engine.dialect.name == "sqlite"
                         and inspect(engine).has_table("cases_fts"))
    return _FTS5[engine]
