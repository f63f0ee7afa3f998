"""The snapshot store's first tables: snapshots, their parts, and the access list.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.Column("published_by", sa.String(320), nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="published"),
        sa.Column("format", sa.Integer, nullable=False),
    )
    op.create_table(
        "snapshot_parts",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("part", sa.String(40), primary_key=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "access",
        sa.Column("principal", sa.String(320), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("units", sa.Text, nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    op.drop_table("access")
    op.drop_table("snapshot_parts")
    op.drop_table("snapshots")
