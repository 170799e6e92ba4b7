"""Airflow: the pipeline the snippets of to_airflow.py make a DAG of."""

from headwater import Field, ModeDefinition, fs_io_manager, mem_io_manager, pipeline, solid


@solid(config_schema={"day": Field(str)})
def extract(context) -> list:
    return [context.solid_config["day"]]


@solid
def summarize(context, rows: list) -> int:
    return len(rows)


@pipeline(mode_defs=[ModeDefinition("prod", resource_defs={"io_manager": fs_io_manager}),
                     ModeDefinition("test", resource_defs={"io_manager": mem_io_manager})])
def daily_orders():
    summarize(extract())
