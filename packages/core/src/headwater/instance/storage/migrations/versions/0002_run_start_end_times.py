"""Runs keep when they started and ended, so that run lists need not read the event log.

Existing runs get their times from the PIPELINE_START and final events of the event log
(when the event log is in the same database).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("start_time", sa.Float))
    op.add_column("runs", sa.Column("end_time", sa.Float))
    op.execute(
        "UPDATE runs SET "
        "start_time = (SELECT MIN(e.timestamp) FROM event_logs e WHERE e.run_id = runs.run_id"
        " AND e.event_type = 'PIPELINE_START'), "
        "end_time = (SELECT MAX(e.timestamp) FROM event_logs e WHERE e.run_id = runs.run_id"
        " AND e.event_type IN ('PIPELINE_SUCCESS', 'PIPELINE_FAILURE', 'PIPELINE_CANCELED'))"
    )


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("end_time")
        batch.drop_column("start_time")
