"""Plugins: every registry hook, in one plugin registered in code."""

import logging
import sys

import click
from click.testing import CliRunner

from headwater import (
    ExecutorDefinition,
    HeadwaterType,
    LoggerDefinition,
    PythonObjectHeadwaterType,
    io_manager,
    mem_io_manager,
    resource,
    solid,
)
from headwater.cli import cli
from headwater.execution.executors.in_process import create_in_process_executor
from headwater.plugins import get_plugin_manager, hookimpl


class Frame:
    """A stand-in for a library's data frame class."""


# [start:registries]
@resource(config_schema={"account": str})
def acme_warehouse(init_context):
    return {"account": init_context.resource_config["account"]}


@io_manager
def acme_parquet_io_manager(_init_context):
    return mem_io_manager.resource_fn()          # a real one would write Parquet files


acme_executor = ExecutorDefinition(
    "acme_cluster", config_schema={"retries": dict},
    executor_creation_fn=create_in_process_executor,
    description="Runs steps on the Acme cluster.")

acme_logger = LoggerDefinition(lambda init_context: logging.Logger("acme"),
                               description="Ships log lines to Acme.")


@hookimpl
def headwater_resources():
    return {"acme_warehouse": acme_warehouse}


@hookimpl
def headwater_io_managers():
    return {"acme_parquet_io_manager": acme_parquet_io_manager}


@hookimpl
def headwater_executors():
    return [acme_executor]                       # a list: each executor has its own name


@hookimpl
def headwater_loggers():
    return {"acme_logger": acme_logger}


@hookimpl
def headwater_types():
    even = HeadwaterType(lambda _context, value: value % 2 == 0, name="AcmeEven")
    return [even, (Frame, PythonObjectHeadwaterType(Frame, name="AcmeFrame"))]


@hookimpl
def headwater_solid_factories():
    def query_solid(name, sql):
        @solid(name=name, required_resource_keys={"warehouse"})
        def run_query(context) -> str:
            return f"{context.resources.warehouse['account']}: {sql}"

        return run_query

    return {"acme_query": query_solid}


@hookimpl
def headwater_cli_commands():
    @click.group(name="acme")
    def acme():
        """Acme's commands: headwater acme ..."""

    @acme.command()
    def ping():
        click.echo("pong")

    return [acme]
# [end:registries]


# A plugin is a module (or any object) with hook implementations.
get_plugin_manager().register(sys.modules[__name__], "acme")

# [start:registry]
registry = get_plugin_manager().registry
contributions = registry.contributions_of("acme")
assert contributions["executors"] == ["acme_cluster"]
assert contributions["resources"] == ["acme_warehouse"]
assert "AcmeEven" in contributions["types"]
query = registry.solid_factories["acme_query"]("daily_count", "SELECT count(*) FROM orders")
assert query.name == "daily_count"
assert CliRunner().invoke(cli, ["acme", "ping"]).output == "pong\n"
# [end:registry]
