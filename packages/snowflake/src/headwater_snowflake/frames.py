"""pandas DataFrames to and from Snowflake: column names and column types.

Names: Snowflake keeps an unquoted identifier upper-case (``order_date`` is stored as
``ORDER_DATE``). DataFrame columns are written under their upper-case name and come back
lower-case, so a frame round-trips and SQL can name the columns without quotes.

Types: ``fetch_pandas_all`` turns an integer column with NULLs into floats and a boolean
column into objects; :func:`frame_from_cursor` reads the column types the result
describes and gives back pandas' nullable ``Int64`` and ``boolean`` where there are NULLs,
``int64`` and ``bool`` where there are none, and timestamps in nanoseconds.
"""

from __future__ import annotations

import re
from typing import Any

from headwater_snowflake.errors import SnowflakeTableMismatchError

# An identifier Snowflake accepts unquoted.
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
# Type codes of the connector's result metadata (snowflake.connector.constants).
_FIXED, _BOOLEAN = 0, 13


def stored_name(column: Any, where: str) -> str:
    """The name Snowflake stores ``column`` under (upper-case).

    Raises:
        SnowflakeTableMismatchError: The name is not a plain identifier.
    """
    if not isinstance(column, str) or not IDENTIFIER.match(column):
        raise SnowflakeTableMismatchError(
            f"Column {column!r} of the DataFrame {where} is not a plain identifier (letters, "
            "digits, _ and $, not starting with a digit). Rename it before returning the "
            "DataFrame (df.rename(columns=...)).")
    return column.upper()


def snowflake_type(series: Any, where: str) -> str:
    """The Snowflake column type a pandas column is stored as.

    Raises:
        SnowflakeTableMismatchError: The column holds values with no Snowflake type here
            (mixed types, Python objects).
    """
    import pandas as pd
    from pandas.api import types

    dtype = series.dtype
    if types.is_bool_dtype(dtype):
        return "BOOLEAN"
    if types.is_integer_dtype(dtype):
        return "NUMBER(38, 0)"
    if types.is_float_dtype(dtype):
        return "FLOAT"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "TIMESTAMP_TZ"
    if types.is_datetime64_dtype(dtype):
        return "TIMESTAMP_NTZ"
    inferred = types.infer_dtype(series, skipna=True)
    simple = {"string": "VARCHAR", "empty": "VARCHAR", "boolean": "BOOLEAN",
              "integer": "NUMBER(38, 0)", "floating": "FLOAT", "date": "DATE"}
    if inferred in simple:
        return simple[inferred]
    raise SnowflakeTableMismatchError(
        f"Column {series.name!r} of the DataFrame {where} holds {inferred} values, which "
        "have no Snowflake column type here. Convert it to strings, numbers, booleans or "
        "timestamps first.")


def frame_from_cursor(cursor: Any) -> Any:
    """The rows of an executed cursor as a DataFrame, with lower-case names for
    upper-case columns, and integer and boolean columns typed as they are in Snowflake."""
    import pandas as pd

    frame = cursor.fetch_pandas_all()
    if frame.empty and len(frame.columns) == 0:
        frame = pd.DataFrame(columns=[column.name for column in cursor.description])
    for column in cursor.description:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        has_nulls = bool(values.isna().any())
        if column.type_code == _FIXED and (column.scale or 0) == 0:
            frame[column.name] = values.astype("Int64" if has_nulls else "int64")
        elif column.type_code == _BOOLEAN:
            frame[column.name] = values.astype("boolean" if has_nulls else "bool")
        elif hasattr(values, "dt") and hasattr(values.dt, "as_unit"):
            # pandas' own unit, whatever precision the result arrived in.
            frame[column.name] = values.dt.as_unit("ns")
    return frame.rename(columns={name: name.lower() for name in frame.columns
                                 if isinstance(name, str) and name.isupper()})
