"""Alembic environment: runs migrations on the connection HRH Lessons hands it."""

from __future__ import annotations

from alembic import context

from hrhlessons.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through hrhlessons.store.db.upgrade
    raise RuntimeError("run migrations through 'hrh-lessons db upgrade'")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table_schema=context.config.attributes.get("schema"),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
