"""The PySpark ``DataFrame`` type: read from config as an input, written from config as an
output.

An input of type :data:`DataFrame` that no upstream output feeds is read by Spark as its
run config says, under ``solids.<solid>.inputs.<input>``; one source each::

    inputs:
      orders:
        csv: {path: data/orders.csv, header: true, schema: "id INT, amount DOUBLE"}

Sources: ``csv``, ``parquet``, ``json``, ``orc``, ``text`` (a ``path`` and Spark's reader
options), ``jdbc`` (``url``, ``dbtable`` and the JDBC options), ``table`` (``name``) and
``other`` (``format``, an optional ``path``, options). A ``schema`` (Spark's DDL,
``"id INT, amount DOUBLE"``) is checked against what the files hold before the solid runs.

Outputs are written the same way (``csv``, ``parquet``, ``json``, ``orc``, ``text``,
``jdbc``, ``saveAsTable``, ``other``) under ``solids.<solid>.outputs.<output>``, by the
``pyspark_parquet_io_manager`` (see :mod:`headwater_spark.io_managers`), with ``mode``
(``error``, ``overwrite``, ``append``, ``ignore``) and ``partitionBy``.

pyspark is imported only when a DataFrame is checked, read or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater import (
    AssetMaterialization,
    Field,
    HeadwaterType,
    Permissive,
    Selector,
    StringSource,
    headwater_type_loader,
)
from headwater_spark.errors import SparkDataFrameError

PYSPARK_RESOURCE_KEY = "pyspark"

FILE_FORMATS = ("csv", "parquet", "json", "orc", "text")
# Sources that carry their own column types (json's are only inferred: the schema given
# is applied to it, like csv's).
_TYPED_FORMATS = frozenset({"parquet", "orc", "jdbc"})

_SCHEMA_FIELD = Field(StringSource, is_required=False,
                      description='The expected columns, in Spark DDL: "id INT, amount '
                                  'DOUBLE". Checked against the data before the solid runs.')


def _file_source(fmt: str) -> Permissive:
    return Permissive({
        "path": Field(StringSource, description=f"The {fmt} file or folder (any path or URL "
                                                "Spark reads: file, hdfs://, s3a://)."),
        "schema": _SCHEMA_FIELD,
    })


LOADER_SCHEMA = Selector({
    **{fmt: _file_source(fmt) for fmt in FILE_FORMATS},
    "jdbc": Permissive({"url": Field(StringSource, description="The JDBC URL."),
                        "dbtable": Field(StringSource, description="The table or subquery."),
                        "schema": _SCHEMA_FIELD}),
    "table": Permissive({"name": Field(StringSource, description="The table in the catalog."),
                         "schema": _SCHEMA_FIELD}),
    "other": Permissive({"format": Field(StringSource, description="The data source name."),
                         "path": Field(StringSource, is_required=False),
                         "schema": _SCHEMA_FIELD}),
})
"""What the DataFrame loader reads: one of its sources, each with Spark's reader options."""


def _sink(required: dict[str, Field]) -> Permissive:
    return Permissive({
        **required,
        "mode": Field(StringSource, default_value="error",
                      description="When the data exists: error, overwrite, append, ignore."),
        "partitionBy": Field([str], is_required=False,
                             description="Columns to partition the files by."),
    })


def _path_field(fmt: str) -> Field:
    return Field(StringSource, description=f"Where the {fmt} files go.")


MATERIALIZER_SCHEMA = Selector({
    **{fmt: _sink({"path": _path_field(fmt)}) for fmt in FILE_FORMATS},
    "jdbc": _sink({"url": Field(StringSource), "dbtable": Field(StringSource)}),
    "saveAsTable": _sink({"name": Field(StringSource, description="The table to create."),
                          "format": Field(StringSource, is_required=False)}),
    "other": _sink({"format": Field(StringSource),
                    "path": Field(StringSource, is_required=False)}),
})
"""Where an output DataFrame is written: one sink, with Spark's writer options."""


@headwater_type_loader(LOADER_SCHEMA, required_resource_keys={PYSPARK_RESOURCE_KEY})
def dataframe_loader(context, config_value):
    """Read the DataFrame the input's config describes, with the ``pyspark`` resource's
    session."""
    spark = context.resources.pyspark.spark_session
    return read_dataframe(spark, config_value, "solids.<solid>.inputs.<input>")


def read_dataframe(spark: Any, config: Mapping[str, Any], config_path: str) -> Any:
    """A DataFrame read as ``config`` (a value of :data:`LOADER_SCHEMA`) says.

    Raises:
        SparkDataFrameError: The path does not exist, or the data's columns do not match
            the ``schema`` of the config.
    """
    ((source, options),) = config.items()
    options = dict(options)
    schema = options.pop("schema", None)
    place = f"{config_path}.{source}"
    if source == "table":
        frame = _reading(lambda: spark.read.table(options.pop("name")), place, None)
        if schema is not None:
            _check_schema(frame, schema, place, typed=True)
        return frame
    fmt = options.pop("format") if source == "other" else source
    path = options.pop("path", None)
    reader = spark.read.format(fmt).options(**_as_options(options))
    frame = _reading(lambda: reader.load(path) if path is not None else reader.load(),
                     place, path)
    if schema is None:
        return frame
    typed = fmt in _TYPED_FORMATS
    # Without a header row, a csv file names no columns: the schema names them by position.
    named = fmt != "csv" or str(options.get("header", "")).lower() == "true"
    _check_schema(frame, schema, place, typed=typed, named=named)
    return frame if typed else reader.schema(schema).load(path)


def _reading(read: Any, place: str, path: str | None) -> Any:
    from pyspark.errors import AnalysisException

    try:
        return read()
    except AnalysisException as error:
        if error.getCondition() == "PATH_NOT_FOUND":
            raise SparkDataFrameError(
                f"{path} does not exist ({place}.path). Check the path, or produce the data "
                "before this run.") from None
        raise SparkDataFrameError(f"Spark could not read {place}: {error}") from error


def _check_schema(frame: Any, schema: str, place: str, typed: bool,
                  named: bool = True) -> None:
    """Raise unless ``frame`` has the columns of ``schema`` (and, when the data carries
    types, those types; when it names no columns, as many)."""
    from pyspark.sql.types import StructType

    try:
        expected = StructType.fromDDL(schema)
    except Exception as error:
        raise SparkDataFrameError(
            f"{place}.schema = {schema!r} is not a Spark DDL schema ({error}). Write it as "
            '"name TYPE, name TYPE", e.g. "id INT, amount DOUBLE".') from None
    if not isinstance(expected, StructType):
        raise SparkDataFrameError(
            f'{place}.schema = {schema!r} is a single type, not columns: write "name TYPE".')
    actual = {field.name: field.dataType for field in frame.schema.fields}
    problems = []
    if not named and len(actual) != len(expected.fields):
        problems.append(f"the data has {len(actual)} columns, the schema "
                        f"{len(expected.fields)}")
    for field in expected.fields if named else ():
        if field.name not in actual:
            problems.append(f"no column {field.name!r}")
        elif typed and actual[field.name] != field.dataType:
            problems.append(f"column {field.name!r} is {actual[field.name].simpleString()}, "
                            f"not {field.dataType.simpleString()}")
    if problems:
        raise SparkDataFrameError(
            f"The data read by {place} does not match its schema ({place}.schema = "
            f"{schema!r}): {'; '.join(problems)}. Its columns are "
            f"{', '.join(f'{n} {t.simpleString()}' for n, t in actual.items()) or 'none'}. "
            "Fix the schema, or the data.")


def write_dataframe(frame: Any, config: Mapping[str, Any], config_path: str
                    ) -> AssetMaterialization:
    """Write ``frame`` as ``config`` (a value of :data:`MATERIALIZER_SCHEMA`) says.

    Returns:
        The materialization of what was written (its path or table).
    """
    ((sink, options),) = config.items()
    options = dict(options)
    writer = frame.write.mode(options.pop("mode", "error"))
    partition_by = options.pop("partitionBy", None)
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    place = f"{config_path}.{sink}"
    try:
        if sink == "saveAsTable":
            name = options.pop("name")
            fmt = options.pop("format", None)
            writer.options(**_as_options(options)).saveAsTable(name, format=fmt)
            return AssetMaterialization(asset_key=["spark", "table", name],
                                        description=f"Spark table {name}",
                                        metadata={"table": name})
        fmt = options.pop("format") if sink == "other" else sink
        path = options.pop("path", None)
        writer = writer.format(fmt).options(**_as_options(options))
        if path is None:
            writer.save()
        else:
            writer.save(path)
    except Exception as error:
        if type(error).__name__ in ("AnalysisException", "Py4JJavaError",
                                    "IllegalArgumentException"):
            raise SparkDataFrameError(f"Spark could not write {place}: {error}") from error
        raise
    target = path or options.get("dbtable") or fmt
    return AssetMaterialization(asset_key=["spark", fmt, *str(target).strip("/").split("/")],
                                description=f"{fmt} written by Spark",
                                metadata={"path" if path else "target": str(target)})


def _as_options(options: Mapping[str, Any]) -> dict[str, str]:
    # Spark's options are strings; its readers expect "true", not "True".
    return {key: ("true" if value is True else "false" if value is False else str(value))
            for key, value in options.items()}


def _is_dataframe(_context: Any, value: Any) -> bool:
    from pyspark.sql import DataFrame as SparkDataFrame

    return isinstance(value, SparkDataFrame)


DataFrame = HeadwaterType(
    _is_dataframe, name="PySparkDataFrame",
    description="A pyspark.sql.DataFrame. As an input without an upstream output, read from "
                "config (csv, parquet, json, orc, text, jdbc, table, other).",
    loader=dataframe_loader,
)
"""The type of PySpark DataFrames: ``InputDefinition("orders", DataFrame)``, or the hint
``-> DataFrame``."""
