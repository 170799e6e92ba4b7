"""The first schema: runs and their tags, the event log, asset keys, schedules and ticks.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False, unique=True),
        sa.Column("pipeline_name", sa.Text),
        sa.Column("mode", sa.Text),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("run_body", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Float, nullable=False),
        sa.Column("update_timestamp", sa.Float, nullable=False),
    )
    op.create_index("idx_runs_status", "runs", ["status"])
    op.create_index("idx_runs_pipeline_name", "runs", ["pipeline_name"])
    op.create_table(
        "run_tags",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
    )
    op.create_index("idx_run_tags_key_value", "run_tags", ["key", "value"])
    op.create_index("idx_run_tags_run_id", "run_tags", ["run_id"])
    op.create_table(
        "event_logs",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("event_type", sa.String(63)),
        sa.Column("timestamp", sa.Float, nullable=False),
        sa.Column("step_key", sa.Text),
        sa.Column("asset_key", sa.Text),
        sa.Column("partition", sa.Text),
    )
    op.create_index("idx_event_logs_run_id", "event_logs", ["run_id", "id"])
    op.create_index("idx_event_logs_event_type", "event_logs", ["event_type", "id"])
    op.create_index("idx_event_logs_asset_key", "event_logs", ["asset_key", "partition"])
    op.create_table(
        "asset_keys",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("asset_key", sa.Text, nullable=False, unique=True),
        sa.Column("last_materialization", sa.Text),
        sa.Column("last_run_id", sa.String(255)),
        sa.Column("last_materialization_timestamp", sa.Float),
        sa.Column("create_timestamp", sa.Float, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("job_origin_id", sa.String(255), nullable=False, unique=True),
        sa.Column("job_type", sa.String(63), nullable=False),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("job_body", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Float, nullable=False),
        sa.Column("update_timestamp", sa.Float, nullable=False),
    )
    op.create_index("idx_jobs_job_type", "jobs", ["job_type"])
    op.create_table(
        "job_ticks",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("job_origin_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("timestamp", sa.Float, nullable=False),
        sa.Column("tick_body", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Float, nullable=False),
        sa.Column("update_timestamp", sa.Float, nullable=False),
    )
    op.create_index("idx_job_ticks_origin_timestamp", "job_ticks",
                    ["job_origin_id", "timestamp"])


def downgrade() -> None:
    for table in ("job_ticks", "jobs", "asset_keys", "event_logs", "run_tags", "runs"):
        op.drop_table(table)
