"""Concepts: config."""

import enum
import os

from _output import expected_output

from headwater import (
    Array,
    BoolSource,
    Enum,
    EnumValue,
    Field,
    HeadwaterInvalidConfigError,
    IntSource,
    ModeDefinition,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    StringSource,
    execute_pipeline,
    pipeline,
    resource,
    solid,
    validate_run_config,
)
from headwater.config import describe, process_config, sample_config


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


# [start:schema]
@solid(config_schema={
    "path": str,                                          # required String
    "limit": Field(int, default_value=100,                # optional, with a default
                   description="Rows to read."),
    "columns": [str],                                     # Array(String)
    "ratio": float,                                       # an int given here becomes a float
    "dry_run": Field(bool, is_required=False),            # optional, absent when not given
    "timeout": Noneable(int),                             # None or an Int; default None
    "format": Enum("Format", [EnumValue("csv"), EnumValue("parquet")]),
    "level": Field(Enum.from_python_enum(Level), default_value="LOW"),
    "source": Selector({"local": {"dir": str}, "s3": {"bucket": str, "prefix": str}}),
    "options": Permissive({"encoding": str}),             # extra keys pass through
    "columns_or_all": ScalarUnion(str, [str]),            # "all", or a list of names
    "sink": Shape({"table": str}),                        # same as the dict {"table": str}
    "anything": Field(dict, is_required=False),           # Permissive(): any dict
})
def read_table(context) -> dict:
    return context.solid_config
# [end:schema]


@pipeline
def reading():
    read_table()


# [start:values]
config = {
    "path": "orders.csv",
    "columns": ["id", "amount"],
    "ratio": 1,
    "format": "parquet",
    "source": {"s3": {"bucket": "raw", "prefix": "orders/"}},
    "options": {"encoding": "utf-8", "delimiter": ";"},
    "columns_or_all": "all",
    "sink": {"table": "orders"},
}
result = execute_pipeline(reading, run_config={"solids": {"read_table": {"config": config}}})
processed = result.output_for_solid("read_table")
assert processed["limit"] == 100 and processed["timeout"] is None
assert processed["ratio"] == 1.0 and isinstance(processed["ratio"], float)
assert processed["level"] is Level.LOW            # enums become their Python values
assert "dry_run" not in processed
assert processed["options"]["delimiter"] == ";"
# [end:values]


# [start:errors]
try:
    validate_run_config(reading, {
        "solids": {"read_table": {"config": {**config, "limt": 5, "format": "parket"}}},
        "loggers": {"consle": {"config": {"log_level": "DEBUG"}}},
    })
except HeadwaterInvalidConfigError as error:
    print(error)
    assert [e.path_str for e in error.errors] == [
        "solids.read_table.config.format", "solids.read_table.config", "loggers"]
# [end:errors]
    shown_on_the_page = expected_output("config_errors.txt")
    assert str(error) == shown_on_the_page


# [start:env]
@resource(config_schema={
    "url": StringSource,        # "postgres://..." or {env: DATABASE_URL}
    "pool_size": IntSource,     # 5 or {env: POOL_SIZE} holding "5"
    "echo": BoolSource,         # true or {env: DB_ECHO} holding true/false/yes/no/on/off/1/0
})
def database(init_context):
    return init_context.resource_config


@solid(required_resource_keys={"db"})
def settings(context) -> dict:
    return context.resources.db


@pipeline(mode_defs=[ModeDefinition(resource_defs={"db": database})])
def connecting():
    settings()


os.environ.update({"DATABASE_URL": "postgres://db/orders", "POOL_SIZE": "5", "DB_ECHO": "false"})
result = execute_pipeline(connecting, run_config={"resources": {"db": {"config": {
    "url": {"env": "DATABASE_URL"}, "pool_size": {"env": "POOL_SIZE"},
    "echo": {"env": "DB_ECHO"}}}}})
assert result.output_for_solid("settings") == {
    "url": "postgres://db/orders", "pool_size": 5, "echo": False}
# [end:env]


# [start:inspect]
schema = {"path": Field(str, description="File to read."),
          "limit": Field(int, default_value=10)}
print(describe(schema))
assert sample_config(schema) == {"path": "..."}
checked = process_config(Field(schema), {"path": "a.csv"})
assert checked.success and checked.value == {"path": "a.csv", "limit": 10}
# [end:inspect]

assert Array(int).type_name == "[Int]"
