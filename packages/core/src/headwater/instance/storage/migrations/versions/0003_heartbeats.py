"""Heartbeats: of each run's process (a column of runs) and of each daemon duty (a table).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("heartbeat_timestamp", sa.Float))
    op.create_table(
        "daemon_heartbeats",
        sa.Column("duty", sa.String(255), primary_key=True),
        sa.Column("daemon_id", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daemon_heartbeats")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("heartbeat_timestamp")
