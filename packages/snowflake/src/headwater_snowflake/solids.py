"""``snowflake_solid_for_query``: a solid that runs one SQL statement on Snowflake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater import InputDefinition, Nothing, OutputDefinition, SolidDefinition, solid
from headwater_snowflake.errors import SnowflakeQueryError

SNOWFLAKE_RESOURCE_KEY = "snowflake"
OUTPUTS = ("none", "rows", "dataframe")


def snowflake_solid_for_query(sql: str,
                              parameters: Sequence[Any] | Mapping[str, Any] | None = None,
                              name: str | None = None, output: str = "none",
                              description: str | None = None) -> SolidDefinition:
    """A solid that runs ``sql`` with the ``snowflake`` resource.

    The solid has an input ``start`` of type ``Nothing``, to order it after other solids
    without passing data, and the tags ``kind: sql`` and ``sql: <the statement>``; its
    description quotes the statement, so ``headwater pipeline print --verbose`` shows it.

    Args:
        sql: The statement.
        parameters: Values bound to its placeholders.
        name: The solid's name (default: ``snowflake_query_<hash of the statement>``).
        output: What the solid outputs: ``"none"`` (a ``Nothing`` output to order later
            solids by), ``"rows"`` (a list of tuples) or ``"dataframe"`` (a pandas
            DataFrame, upper-case column names lower-cased).
        description: Text shown before the statement in the description.

    Example:
        >>> create_orders = snowflake_solid_for_query(
        ...     "CREATE TABLE IF NOT EXISTS orders (id INT, amount FLOAT)", name="create_orders")
        >>> revenue = snowflake_solid_for_query(
        ...     "SELECT region, SUM(amount) AS revenue FROM orders GROUP BY region",
        ...     name="revenue", output="dataframe")
    """
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(OUTPUTS)}; got {output!r}.")
    if name is None:
        import hashlib

        name = f"snowflake_query_{hashlib.sha256(sql.encode()).hexdigest()[:8]}"
    solid_name = name
    output_type = {"none": Nothing, "rows": list, "dataframe": Any}[output]

    @solid(name=solid_name,
           description=f"{description or 'Runs SQL on Snowflake'}:\n\n{sql.strip()}",
           input_defs=[InputDefinition("start", Nothing)],
           output_defs=[OutputDefinition(output_type)],
           required_resource_keys={SNOWFLAKE_RESOURCE_KEY}, tags={"kind": "sql", "sql": sql})
    def _run_query(context):
        connection = getattr(context.resources, SNOWFLAKE_RESOURCE_KEY)
        try:
            result = connection.execute_query(sql, parameters, fetch_results=output != "none",
                                              use_pandas_result=output == "dataframe")
        except SnowflakeQueryError as error:
            raise SnowflakeQueryError(f'Solid "{solid_name}": {error}', error.sql, error.errno,
                                      error.sqlstate, error.server_message) from None
        return None if output == "none" else result

    return _run_query
