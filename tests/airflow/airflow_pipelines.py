"""Pipelines the Airflow tests turn into DAGs. Each solid appends its name to the file
named by $HEADWATER_AIRFLOW_TEST_CALLS, so tests can tell which steps ran (and how often)."""

from __future__ import annotations

import os
import time

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    fs_io_manager,
    mem_io_manager,
    pipeline,
    solid,
)


def _called(name: str) -> None:
    path = os.environ.get("HEADWATER_AIRFLOW_TEST_CALLS")
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(name + "\n")


def _calls() -> list[str]:
    path = os.environ.get("HEADWATER_AIRFLOW_TEST_CALLS")
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        return file.read().split()


@solid(config_schema={"day": Field(str, default_value="none")})
def extract(context) -> list:
    _called("extract")
    context.log.info(f"extracting day {context.solid_config['day']}")
    return [1, 2, 3, context.solid_config["day"]]


@solid(config_schema={"fail_first_attempts": Field(int, default_value=0),
                      "sleep": Field(float, default_value=0.0),
                      "hang_first_attempts": Field(int, default_value=0)})
def transform(context, rows: list) -> int:
    _called("transform")
    failures = context.solid_config["fail_first_attempts"]
    if failures and _calls().count("transform") <= failures:
        raise RuntimeError("transform failed on purpose")
    if _calls().count("transform") <= context.solid_config["hang_first_attempts"]:
        # Until its task is killed: the tests stop it (a bound, so that nothing hangs).
        time.sleep(120)
    time.sleep(context.solid_config["sleep"])
    return sum(r for r in rows if isinstance(r, int))


@solid
def load(context, total: int) -> str:
    _called("load")
    return f"total={total}"


@solid
def audit(context, rows: list) -> int:
    _called("audit")
    return len(rows)


PERSISTENT = ModeDefinition("default", resource_defs={"io_manager": fs_io_manager})
IN_MEMORY = ModeDefinition("in_memory", resource_defs={"io_manager": mem_io_manager})


@pipeline(mode_defs=[PERSISTENT])
def etl():
    rows = extract()
    load(transform(rows))
    audit(rows)


@pipeline(mode_defs=[PERSISTENT, IN_MEMORY])
def two_modes():
    load(transform(extract()))


@solid(output_defs=[DynamicOutputDefinition(int)])
def split(context):
    _called("split")
    for index in range(3):
        yield DynamicOutput(index, mapping_key=f"part{index}")


@solid
def square(context, value: int) -> int:
    _called(f"square{value}")
    return value * value


@solid
def add_up(context, values: list) -> int:
    _called(f"add_up={sum(values)}")
    return sum(values)


@pipeline(mode_defs=[PERSISTENT])
def fanned():
    add_up(split().map(square).collect())
