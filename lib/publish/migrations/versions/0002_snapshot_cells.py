"""Each snapshot's employee responses per cell (unit, month and segment values), kept beside it and never shown: a
later snapshot of the same months is refused when a cell differs from it by 1 to k − 1 responses.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshot_cells",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cell_hash", sa.String(64), primary_key=True),  # a cell's key can outgrow an index entry
        sa.Column("cell", sa.Text, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("responses", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("snapshot_cells")
