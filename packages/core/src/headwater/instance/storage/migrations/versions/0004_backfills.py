"""Backfills: requests to run a pipeline once per partition, submitted by the daemon.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "backfills",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("backfill_id", sa.String(255), nullable=False, unique=True),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("timestamp", sa.Float, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("idx_backfills_status", "backfills", ["status"])


def downgrade() -> None:
    op.drop_index("idx_backfills_status", "backfills")
    op.drop_table("backfills")
