"""``snowflake_resource``: a :class:`SnowflakeConnection` made from the run config.

Bind it in a mode by object or by the name the plugin registers::

    ModeDefinition(resource_defs={"snowflake": snowflake_resource})
    ModeDefinition(resource_defs={"snowflake": "snowflake_resource"})
"""

from __future__ import annotations

from collections.abc import Iterator

from headwater import BoolSource, Field, IntSource, StringSource, resource
from headwater_snowflake.connection import SnowflakeConnection


def _optional(kind: object, description: str) -> Field:
    return Field(kind, is_required=False, description=description)


SNOWFLAKE_CONFIG = {
    "account": Field(StringSource, description="The account identifier "
                                               "(<orgname>-<account_name>, or the locator)."),
    "user": Field(StringSource, description="The user to log in as."),
    "password": _optional(StringSource, "Their password; give it as {env: VARIABLE}."),
    "private_key": _optional(StringSource, "A PEM private key for key-pair authentication, as "
                                           "{env: VARIABLE}; instead of password."),
    "private_key_path": _optional(StringSource, "The path of a PEM private key file; instead "
                                                "of password."),
    "private_key_password": _optional(StringSource, "The passphrase of an encrypted private "
                                                    "key, as {env: VARIABLE}."),
    "authenticator": _optional(StringSource, "The connector's authenticator (snowflake, "
                                             "externalbrowser, oauth, ...)."),
    "database": _optional(StringSource, "The database unqualified names resolve in."),
    "schema": _optional(StringSource, "The schema unqualified names resolve in."),
    "role": _optional(StringSource, "The role to use."),
    "warehouse": _optional(StringSource, "The warehouse queries run on."),
    "autocommit": _optional(BoolSource, "Commit each statement (Snowflake's default); false "
                                        "commits each call's statements together."),
    "client_prefetch_threads": _optional(IntSource, "Threads that download large results "
                                                    "(connector default 4)."),
    "client_session_keep_alive": _optional(BoolSource, "Keep the session alive while idle."),
    "login_timeout": _optional(IntSource, "Seconds to wait for the login (connector default "
                                          "120)."),
    "network_timeout": _optional(IntSource, "Seconds to wait for any other request."),
    "ocsp_response_cache_filename": _optional(StringSource, "Where the OCSP response cache "
                                                            "is kept."),
    "validate_default_parameters": _optional(BoolSource, "Check that database, schema and "
                                                         "warehouse exist on connecting."),
    "paramstyle": _optional(StringSource, "How statements mark parameters: pyformat "
                                          "(default), format, qmark or numeric."),
    "timezone": _optional(StringSource, "The session's time zone (e.g. UTC)."),
    "numpy": _optional(BoolSource, "Return numpy values in fetched rows."),
    "application": _optional(StringSource, "The application name Snowflake records for the "
                                           "session."),
    "host": _optional(StringSource, "The host to connect to, instead of the one the account "
                                    "implies (a private link, a local stand-in)."),
    "port": _optional(IntSource, "Its port (default 443)."),
    "protocol": _optional(StringSource, "https (default), or http for a local stand-in."),
}


@resource(config_schema=SNOWFLAKE_CONFIG,
          description="A SnowflakeConnection: execute_query, execute_queries, "
                      "get_connection. The connection opens on first use and closes at "
                      "teardown.")
def snowflake_resource(init_context) -> Iterator[SnowflakeConnection]:
    """A SnowflakeConnection made from the resource's config, closed at teardown."""
    connection = SnowflakeConnection(init_context.resource_config, log=init_context.log)
    try:
        yield connection
    finally:
        connection.close()
