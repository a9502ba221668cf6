"""Database tables of the registry (SQLAlchemy Core).

The YAML files are the source of truth; the database is an index over them. ``cases.record``
holds each case's canonical JSON, from which a :class:`~hrhlessons.cases.model.Case` is rebuilt
exactly; the other columns are copies of its facts kept for filtering and sorting.

Full-text search differs by dialect and is created by the migrations, not here:

* SQLite: an FTS5 table ``cases_fts`` (rowid = ``cases.pk``) with the text columns and a
  ``facets`` column of facet tokens (see :mod:`hrhlessons.store.search`);
* PostgreSQL: a generated ``tsvector`` column ``cases.search_doc`` with a GIN index.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(200), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("factors", Text, nullable=False, server_default=""),
    Column("lessons", Text, nullable=False, server_default=""),
    Column("level", String(32), nullable=False),
    Column("domain", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("trajectory", String(32), nullable=False),
    Column("funding", String(32), nullable=False),
    Column("start_year", Integer),
    Column("end_year", Integer),
    Column("status_year", Integer),
    Column("facets", Text, nullable=False, server_default=""),
    Column("record", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_cases_domain", cases.c.domain)
Index("ix_cases_status", cases.c.status)
Index("ix_cases_start_year", cases.c.start_year)
Index("ix_cases_name", cases.c.name)

case_countries = Table(
    "case_countries",
    metadata,
    Column("case_pk", Integer, ForeignKey("cases.pk", ondelete="CASCADE"), primary_key=True),
    Column("iso3", String(3), primary_key=True),
    Column("position", Integer, nullable=False),
)
Index("ix_case_countries_iso3", case_countries.c.iso3)

case_interventions = Table(
    "case_interventions",
    metadata,
    Column("case_pk", Integer, ForeignKey("cases.pk", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(64), primary_key=True),
)
Index("ix_case_interventions_tag", case_interventions.c.tag)

case_blocks = Table(
    "case_blocks",
    metadata,
    Column("case_pk", Integer, ForeignKey("cases.pk", ondelete="CASCADE"), primary_key=True),
    Column("block", String(64), primary_key=True),
)

case_history = Table(
    "case_history",
    metadata,
    Column("hid", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(200), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("record", Text, nullable=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
)

countries = Table(
    "countries",
    metadata,
    Column("iso3", String(3), primary_key=True),
    Column("name", Text, nullable=False),
    Column("who_region", String(8)),
    Column("income_group", String(8)),
)
