"""Facet pair tokens: re-derive every case's facet tokens so that the broad single-valued
facets are also indexed two at a time (see hrhlessons.store.search, "Pair tokens").

No table changes: the ``facets`` column and, on SQLite, the FTS5 rows are rewritten for every
case. Downgrading leaves the extra tokens in place; the older search code ignores them.

Revision ID: 0002_facet_pairs
Revises: 0001_initial
"""

from __future__ import annotations

from alembic import op

from hrhlessons.store.repo import refresh_facets

revision = "0002_facet_pairs"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    refresh_facets(conn, fts=conn.dialect.name == "sqlite")


def downgrade() -> None:
    """Nothing to undo: the tables are unchanged."""
