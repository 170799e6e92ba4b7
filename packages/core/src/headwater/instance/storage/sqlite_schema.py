"""The current schema as SQLite statements: how a new SQLite database is created.

The same tables as ``schema`` (SQLAlchemy's, which PostgreSQL and the migrations use), in
the form SQLAlchemy creates them in SQLite, written out so that creating a database imports
no database library beyond ``sqlite3``. A test checks that a database made from these
statements has exactly the tables of ``schema``, at ``revisions.HEAD_REVISION``.
"""

from __future__ import annotations

# The tables Headwater creates (not the migration tool's alembic_version): a database that
# has one of these but no revision was not made by Headwater.
TABLES = ("asset_keys", "backfills", "daemon_heartbeats", "event_logs", "job_ticks", "jobs",
          "run_tags", "runs")

# In dependency order (run_tags refers to runs).
STATEMENTS = (
    """CREATE TABLE asset_keys (
        id INTEGER NOT NULL,
        asset_key TEXT NOT NULL,
        last_materialization TEXT,
        last_run_id VARCHAR(255),
        last_materialization_timestamp FLOAT,
        create_timestamp FLOAT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (asset_key))""",
    """CREATE TABLE backfills (
        id INTEGER NOT NULL,
        backfill_id VARCHAR(255) NOT NULL,
        status VARCHAR(63) NOT NULL,
        timestamp FLOAT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (backfill_id))""",
    "CREATE INDEX idx_backfills_status ON backfills (status)",
    """CREATE TABLE daemon_heartbeats (
        duty VARCHAR(255) NOT NULL,
        daemon_id VARCHAR(255) NOT NULL,
        timestamp FLOAT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (duty))""",
    """CREATE TABLE event_logs (
        id INTEGER NOT NULL,
        run_id VARCHAR(255) NOT NULL,
        event TEXT NOT NULL,
        event_type VARCHAR(63),
        timestamp FLOAT NOT NULL,
        step_key TEXT,
        asset_key TEXT,
        partition TEXT,
        PRIMARY KEY (id))""",
    "CREATE INDEX idx_event_logs_asset_key ON event_logs (asset_key, partition)",
    "CREATE INDEX idx_event_logs_event_type ON event_logs (event_type, id)",
    "CREATE INDEX idx_event_logs_run_id ON event_logs (run_id, id)",
    """CREATE TABLE job_ticks (
        id INTEGER NOT NULL,
        job_origin_id VARCHAR(255) NOT NULL,
        status VARCHAR(63) NOT NULL,
        timestamp FLOAT NOT NULL,
        tick_body TEXT NOT NULL,
        create_timestamp FLOAT NOT NULL,
        update_timestamp FLOAT NOT NULL,
        PRIMARY KEY (id))""",
    "CREATE INDEX idx_job_ticks_origin_timestamp ON job_ticks (job_origin_id, timestamp)",
    """CREATE TABLE jobs (
        id INTEGER NOT NULL,
        job_origin_id VARCHAR(255) NOT NULL,
        job_type VARCHAR(63) NOT NULL,
        status VARCHAR(63) NOT NULL,
        job_body TEXT NOT NULL,
        create_timestamp FLOAT NOT NULL,
        update_timestamp FLOAT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (job_origin_id))""",
    "CREATE INDEX idx_jobs_job_type ON jobs (job_type)",
    """CREATE TABLE runs (
        id INTEGER NOT NULL,
        run_id VARCHAR(255) NOT NULL,
        pipeline_name TEXT,
        mode TEXT,
        status VARCHAR(63) NOT NULL,
        run_body TEXT NOT NULL,
        create_timestamp FLOAT NOT NULL,
        update_timestamp FLOAT NOT NULL,
        start_time FLOAT,
        end_time FLOAT,
        heartbeat_timestamp FLOAT,
        PRIMARY KEY (id),
        UNIQUE (run_id))""",
    "CREATE INDEX idx_runs_pipeline_name ON runs (pipeline_name)",
    "CREATE INDEX idx_runs_status ON runs (status)",
    """CREATE TABLE run_tags (
        id INTEGER NOT NULL,
        run_id VARCHAR(255) NOT NULL,
        "key" TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (id),
        FOREIGN KEY(run_id) REFERENCES runs (run_id) ON DELETE CASCADE)""",
    'CREATE INDEX idx_run_tags_key_value ON run_tags ("key", value)',
    "CREATE INDEX idx_run_tags_run_id ON run_tags (run_id)",
    # The migration tool's bookkeeping, as it makes it, so that it can upgrade the database.
    """CREATE TABLE alembic_version (
        version_num VARCHAR(32) NOT NULL,
        CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))""",
)
