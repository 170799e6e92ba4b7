"""The schema revisions, in order: the last is the one this version of Headwater uses.

Kept apart from the table definitions (``schema``) so that checking a database's
revision imports no database library.
"""

from __future__ import annotations

# A change of the tables needs a migration in ``migrations/versions`` and a new entry
# here; tests check that the migrations build exactly the tables of ``schema`` and that a
# new SQLite database (``sqlite_schema``) has them too.
REVISIONS = ("0001", "0002", "0003", "0004")
HEAD_REVISION = REVISIONS[-1]


def check_revision(revision: str, description: str, upgrade: bool) -> None:
    """Refuse a database at ``revision`` (not the current one) that this version cannot use.

    Returns when ``upgrade`` is asked and the migrations can bring it to the current one.

    Raises:
        HeadwaterInstanceError: a newer Headwater wrote it.
        HeadwaterInstanceSchemaOutdated: it is older, and no upgrade was asked.
    """
    from headwater.errors import HeadwaterInstanceError, HeadwaterInstanceSchemaOutdated

    if revision not in REVISIONS:
        raise HeadwaterInstanceError(
            f"The database {description} is at schema revision {revision!r}, which this "
            f"version of Headwater does not know (it knows {', '.join(REVISIONS)}): a newer "
            "version of Headwater wrote it. Upgrade Headwater to use it.")
    if not upgrade:
        raise HeadwaterInstanceSchemaOutdated(
            f"The database {description} is at schema revision {revision}, older than the "
            f"revision {HEAD_REVISION} this version of Headwater uses. Run `headwater "
            "instance migrate` to upgrade it (back it up first); Instance.upgrade() does the "
            "same from Python.")


def foreign_tables_error(description: str, existing: set[str]) -> Exception:
    """The error for a database with tables named like Headwater's but no revision."""
    from headwater.errors import HeadwaterInstanceError

    return HeadwaterInstanceError(
        f"The database {description} has tables named like Headwater's "
        f"({', '.join(sorted(existing))}) but no schema revision, so Headwater did not "
        "create it. Point the instance at an empty database (or another base_dir) in "
        "headwater.yaml.")
