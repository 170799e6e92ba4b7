"""The tables of run, event-log and schedule storage, at the current schema revision.

One schema serves SQLite and PostgreSQL. Times are seconds since the epoch (floats), so
that they compare the same way in every backend and need no time zone. Bodies are JSON
written by ``headwater.serdes``; the other columns are copies of the fields that queries
filter or sort on, each backed by an index that matches the query.

A change here needs a migration in ``migrations/versions``, a new entry in
``revisions.REVISIONS`` and the same change in ``sqlite_schema`` (the SQL text that creates
a new SQLite database without this module); tests check that the migrations and that text
build exactly these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

from headwater.instance.storage.revisions import HEAD_REVISION, REVISIONS

__all__ = ["HEAD_REVISION", "REVISIONS", "alembic_version", "asset_keys", "backfills",
           "daemon_heartbeats", "event_logs", "job_ticks", "jobs", "metadata", "run_tags",
           "runs", "version_metadata"]

metadata = sa.MetaData()

# An id that is SQLite's rowid (so it is the cheapest key to append to) and a BIGSERIAL
# elsewhere.
_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(255), nullable=False, unique=True),
    sa.Column("pipeline_name", sa.Text),
    sa.Column("mode", sa.Text),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("run_body", sa.Text, nullable=False),
    sa.Column("create_timestamp", sa.Float, nullable=False),
    sa.Column("update_timestamp", sa.Float, nullable=False),
    sa.Column("start_time", sa.Float),
    sa.Column("end_time", sa.Float),
    # When the run's process last said it is alive (the run monitor's evidence).
    sa.Column("heartbeat_timestamp", sa.Float),
    sa.Index("idx_runs_status", "status"),
    sa.Index("idx_runs_pipeline_name", "pipeline_name"),
)

run_tags = sa.Table(
    "run_tags", metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(255),
              sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("value", sa.Text),
    sa.Index("idx_run_tags_key_value", "key", "value"),
    sa.Index("idx_run_tags_run_id", "run_id"),
)

event_logs = sa.Table(
    "event_logs", metadata,
    # The id is the cursor of ``logs_after``: ever increasing, in commit order.
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(255), nullable=False),
    sa.Column("event", sa.Text, nullable=False),
    sa.Column("event_type", sa.String(63)),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("step_key", sa.Text),
    sa.Column("asset_key", sa.Text),
    sa.Column("partition", sa.Text),
    sa.Index("idx_event_logs_run_id", "run_id", "id"),
    sa.Index("idx_event_logs_event_type", "event_type", "id"),
    sa.Index("idx_event_logs_asset_key", "asset_key", "partition"),
)

asset_keys = sa.Table(
    "asset_keys", metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("asset_key", sa.Text, nullable=False, unique=True),
    sa.Column("last_materialization", sa.Text),
    sa.Column("last_run_id", sa.String(255)),
    sa.Column("last_materialization_timestamp", sa.Float),
    sa.Column("create_timestamp", sa.Float, nullable=False),
)

jobs = sa.Table(
    "jobs", metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("job_origin_id", sa.String(255), nullable=False, unique=True),
    sa.Column("job_type", sa.String(63), nullable=False),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("job_body", sa.Text, nullable=False),
    sa.Column("create_timestamp", sa.Float, nullable=False),
    sa.Column("update_timestamp", sa.Float, nullable=False),
    sa.Index("idx_jobs_job_type", "job_type"),
)

job_ticks = sa.Table(
    "job_ticks", metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("job_origin_id", sa.String(255), nullable=False),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("tick_body", sa.Text, nullable=False),
    sa.Column("create_timestamp", sa.Float, nullable=False),
    sa.Column("update_timestamp", sa.Float, nullable=False),
    sa.Index("idx_job_ticks_origin_timestamp", "job_origin_id", "timestamp"),
)

# Backfills: requests to run a pipeline for many partitions, which the daemon submits.
backfills = sa.Table(
    "backfills", metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("backfill_id", sa.String(255), nullable=False, unique=True),
    sa.Column("status", sa.String(63), nullable=False),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("idx_backfills_status", "status"),
)

# The last heartbeat of each daemon duty (run queue, run monitor, schedules, ...).
daemon_heartbeats = sa.Table(
    "daemon_heartbeats", metadata,
    sa.Column("duty", sa.String(255), primary_key=True),
    sa.Column("daemon_id", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)

# Kept apart from ``metadata``: it is the migration tool's bookkeeping, in the form that
# tool writes it, so that a database created here is one the tool can upgrade later.
version_metadata = sa.MetaData()
alembic_version = sa.Table(
    "alembic_version", version_metadata,
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)
