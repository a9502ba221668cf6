"""The case registry: cases, their countries, interventions and building blocks, history,
country metadata, and full-text search (FTS5 on SQLite, tsvector on PostgreSQL).

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("factors", sa.Text, nullable=False, server_default=""),
        sa.Column("lessons", sa.Text, nullable=False, server_default=""),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("domain", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("trajectory", sa.String(32), nullable=False),
        sa.Column("funding", sa.String(32), nullable=False),
        sa.Column("start_year", sa.Integer),
        sa.Column("end_year", sa.Integer),
        sa.Column("status_year", sa.Integer),
        sa.Column("facets", sa.Text, nullable=False, server_default=""),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_domain", "cases", ["domain"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_cases_start_year", "cases", ["start_year"])
    op.create_index("ix_cases_name", "cases", ["name"])
    for name, col, width in (("case_countries", "iso3", 3), ("case_interventions", "tag", 64),
                             ("case_blocks", "block", 64)):
        extra = ([sa.Column("position", sa.Integer, nullable=False)]
                 if name == "case_countries" else [])
        op.create_table(
            name,
            sa.Column("case_pk", sa.Integer, sa.ForeignKey("cases.pk", ondelete="CASCADE"),
                      primary_key=True),
            sa.Column(col, sa.String(width), primary_key=True),
            *extra,
        )
        if name != "case_blocks":
            op.create_index(f"ix_{name}_{col}", name, [col])
    op.create_table(
        "case_history",
        sa.Column("hid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(200), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "countries",
        sa.Column("iso3", sa.String(3), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("who_region", sa.String(8)),
        sa.Column("income_group", sa.String(8)),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # Porter stemming so 'retain' finds 'retention'; facets hold one token per facet value
        # (see hrhlessons.store.search) so that text and facets are matched in one FTS query.
        op.execute(
            "CREATE VIRTUAL TABLE cases_fts USING fts5("
            "name, description, factors, lessons, facets, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE cases ADD COLUMN search_doc tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(description, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(factors, '')), 'C') || "
            "setweight(to_tsvector('english', coalesce(lessons, '')), 'C')) STORED"
        )
        op.execute("CREATE INDEX ix_cases_search_doc ON cases USING gin (search_doc)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS cases_fts")
    for name in ("countries", "case_history", "case_blocks", "case_interventions",
                 "case_countries", "cases"):
        op.drop_table(name)
