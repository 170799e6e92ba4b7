"""Schema migrations, applied from code: no ``alembic.ini`` is needed at run time.

The migration scripts live in ``migrations/versions``, one per revision listed in
``schema.REVISIONS``. Imported only to upgrade a database, since the migration tool is slow
to import.
"""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")


def migration_config(connection: Connection | None = None) -> Config:
    """The migration tool's config: our scripts, run on ``connection``."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection, revision: str = "head") -> None:
    """Apply every migration after the database's revision, in ``connection``'s transaction."""
    command.upgrade(migration_config(connection), revision)


def script_revisions() -> list[str]:
    """The revisions of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(migration_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]
