"""The config of PostgreSQL storage: a URL, or the parts of one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater import Field, IntSource, Permissive, Selector, StringSource

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DRIVER = "postgresql+psycopg"


def pg_config_schema() -> Selector:
    """Exactly one of ``postgres_url`` or ``postgres_db``."""
    return Selector({
        "postgres_url": Field(StringSource, description="postgresql://user:password@host/db"),
        "postgres_db": Field({
            "username": StringSource,
            "password": StringSource,
            "hostname": StringSource,
            "db_name": StringSource,
            "port": Field(IntSource, default_value=5432),
            "params": Field(Permissive(), is_required=False,
                            description="Extra connection parameters, e.g. sslmode."),
        }, description="The parts of the URL."),
    }, description="Where the database is: exactly one of postgres_url or postgres_db.")


def postgres_url(config: Mapping[str, Any]) -> URL:
    """The SQLAlchemy URL (psycopg 3 driver) of processed ``pg_config_schema`` config.

    Example:
        >>> postgres_url({"postgres_url": "postgresql://hw@localhost/runs"}).drivername
        'postgresql+psycopg'
    """
    # Imported here: the plugin's classes load with every instance (to be found by name),
    # and SQLAlchemy is slow to import; only an instance that uses PostgreSQL needs it.
    from sqlalchemy.engine import URL, make_url

    if "postgres_url" in config:
        url = make_url(config["postgres_url"])
        if url.drivername in ("postgres", "postgresql"):
            url = url.set(drivername=DRIVER)
        return url
    db = config["postgres_db"]
    return URL.create(DRIVER, username=db["username"], password=db["password"],
                      host=db["hostname"], port=db["port"], database=db["db_name"],
                      query={key: str(value) for key, value in (db.get("params") or {}).items()})
