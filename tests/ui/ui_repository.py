"""The code the UI tests show: a pipeline with required config and live log lines, one
that fails until a marker file exists (for re-execution from failure), a composite, a
dynamic fan-out, and a schedule."""

import os
import time

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    PartitionSetDefinition,
    PresetDefinition,
    composite_solid,
    fs_io_manager,
    pipeline,
    repository,
    schedule,
    solid,
    static_partitions,
)


@solid(config_schema={"name": Field(str, description="Who to greet."),
                      "pause": Field(float, default_value=0.0,
                                     description="Seconds between log lines.")})
def get_name(context) -> str:
    """Read the name <b>to greet</b> from config."""
    for index in range(3):
        context.log.info(f"Thinking about the name ({index + 1}/3)")
        time.sleep(context.solid_config["pause"])
    return context.solid_config["name"]


@solid
def greet(context, name: str) -> str:
    """Make the greeting; log a line that looks like markup."""
    context.log.info("<script>window.injected = true</script> is only text")
    print(f"printed greeting for {name}")
    return f"Hello, {name}!"


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})],
          preset_defs=[PresetDefinition("ada", run_config={
              "solids": {"get_name": {"config": {"name": "Ada"}}}})])
def greetings():
    """Greet someone."""
    greet(get_name())


@solid
def extract(context) -> int:
    """Always works."""
    return 21


@solid
def transform(context, value: int) -> int:
    """Fails until the file named by $HEADWATER_UI_TEST_MARKER exists."""
    marker = os.environ.get("HEADWATER_UI_TEST_MARKER", "")
    if not marker or not os.path.exists(marker):
        raise RuntimeError("the marker file is missing")
    return value * 2


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def flaky():
    """Extract, then a transform that fails until fixed."""
    transform(extract())


@solid
def add_one(context, value: int) -> int:
    return value + 1


@composite_solid
def plus_two(value: int) -> int:
    return add_one.alias("again")(add_one(value))


@solid(output_defs=[DynamicOutputDefinition(int)])
def fan_out(context):
    for index in range(3):
        yield DynamicOutput(index, mapping_key=str(index))


@solid
def gather(context, values: list[int]) -> int:
    return sum(values)


@pipeline
def shapes():
    """A composite and a dynamic fan-out."""
    gather(fan_out().map(plus_two).collect())


@schedule(cron_schedule="0 * * * *", pipeline_name="greetings")
def hourly_greetings(context):
    """Greet Ada every hour."""
    return {"solids": {"get_name": {"config": {"name": "Ada"}}}}


regions = PartitionSetDefinition(
    "regions", "greetings", partition_fn=static_partitions(["eu", "us", "apac"]),
    run_config_fn_for_partition=lambda partition: {
        "solids": {"get_name": {"config": {"name": partition.name}}}})


@repository
def ui_repo():
    return [greetings, flaky, shapes, hourly_greetings, regions]
