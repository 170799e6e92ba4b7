"""Every error headwater-snowflake raises.

The connector reports a failed statement as a ``ProgrammingError`` with Snowflake's error
code and message, and a failed login as a ``DatabaseError``; neither says which Headwater
setting to fix. The errors here name what was being done (the solid, the output, the
table), the config path of the settings involved, and the fix. No message contains a
password, a private key or its passphrase.
"""

from __future__ import annotations

from headwater import HeadwaterError


class HeadwaterSnowflakeError(HeadwaterError):
    """Base class of the errors headwater-snowflake raises."""


class SnowflakeConnectionError(HeadwaterSnowflakeError):
    """Snowflake could not be reached, or did not accept the credentials."""


class SnowflakeConfigError(HeadwaterSnowflakeError):
    """Settings that cannot make a connection (no credential, an unreadable private key)."""


class SnowflakeQueryError(HeadwaterSnowflakeError):
    """Snowflake refused a statement.

    Attributes:
        sql: The statement.
        errno: Snowflake's error number (e.g. 2003 for an object that does not exist).
        sqlstate: The SQLSTATE Snowflake gave.
        server_message: Snowflake's own message.
    """

    def __init__(self, message: str, sql: str, errno: int | None, sqlstate: str | None,
                 server_message: str) -> None:
        super().__init__(message)
        self.sql = sql
        self.errno = errno
        self.sqlstate = sqlstate
        self.server_message = server_message


class SnowflakeTableMismatchError(HeadwaterSnowflakeError):
    """A DataFrame does not fit the table it is written to (columns missing or extra, or
    rows outside the partition being replaced). Nothing was written."""


class SnowflakeTableNotFoundError(HeadwaterSnowflakeError):
    """A table an input is loaded from does not exist."""
