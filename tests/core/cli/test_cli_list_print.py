"""``headwater pipeline list`` and ``headwater pipeline print``: what is in some code, and
how one pipeline is built."""

from __future__ import annotations

import re

PIPELINES = """
from headwater import (DependencyDefinition, Field, ModeDefinition, PipelineDefinition,
                       PresetDefinition, composite_solid, pipeline, repository, resource, solid)

@resource(config_schema={"url": str}, description="The orders database.")
def database(init_context):
    return init_context.resource_config["url"]

@solid(config_schema={"limit": Field(int, default_value=10, description="Rows to read.")},
       required_resource_keys={"database"})
def load(context) -> list[int]:
    return list(range(context.solid_config["limit"]))

@solid
def double(context, rows: list[int]) -> list[int]:
    return [row * 2 for row in rows]

@solid
def total(context, rows: list[int], bonus: int = 5) -> int:
    return sum(rows) + bonus

@composite_solid
def prepare(rows: list[int]) -> list[int]:
    return double(rows)

# The solids are given in the reverse of the order they run, to show that print orders them.
orders = PipelineDefinition(
    [total, prepare, load], "orders",
    description="Daily order totals.\\nSecond line of the description.",
    dependencies={"prepare": {"rows": DependencyDefinition("load")},
                  "total": {"rows": DependencyDefinition("prepare")}},
    mode_defs=[ModeDefinition("test", resource_defs={"database": database}),
               ModeDefinition("prod", resource_defs={"database": database})],
    preset_defs=[PresetDefinition("nightly", mode="prod")],
)

@solid
def ping(context) -> None:
    pass

@pipeline
def health():
    ping()

@repository
def everything():
    return [orders, health]
"""


def lines_of(result):
    return result.stdout.splitlines()


# -- list ----------------------------------------------------------------------------------


def test_list_shows_each_pipeline_with_description_modes_presets_and_solid_count(invoke,
                                                                                 write):
    result = invoke("pipeline", "list", "-f", write("pipelines.py", PIPELINES))
    assert result.exit_code == 0
    header, *rows = lines_of(result)
    assert header.split() == ["Pipeline", "Description", "Modes", "Presets", "Solids"]
    assert [re.split(r"\s{2,}", row.strip()) for row in rows] == [
        ["orders", "Daily order totals.", "test, prod", "nightly", "3"],
        ["health", "-", "default", "-", "1"],
    ]


def test_list_of_a_repository_attribute_shows_its_pipelines(invoke, write):
    result = invoke("pipeline", "list", "-f", write("pipelines.py", PIPELINES),
                    "-a", "everything")
    assert [row.split()[0] for row in lines_of(result)[1:]] == ["orders", "health"]


def test_list_of_code_that_does_not_load_exits_2(invoke, write):
    result = invoke("pipeline", "list", "-f", write("broken.py", "import no_such_module_x\n"))
    assert result.exit_code == 2
    assert "ModuleNotFoundError: No module named 'no_such_module_x'" in result.stderr


# -- print ---------------------------------------------------------------------------------


def test_print_shows_the_pipeline_its_modes_and_presets(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders")
    assert lines_of(result)[:5] == [
        "Pipeline orders",
        "  Daily order totals.",
        "  Second line of the description.",
        "  modes: test, prod",
        "  presets: nightly",
    ]


def test_print_lists_the_solids_in_the_order_they_run(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders")
    solids = result.stdout.split("Solids, in the order they run:\n", 1)[1].splitlines()
    top_level = [line.split()[0] for line in solids if re.match(r"  \w", line)]
    assert top_level == ["load", "prepare", "total"]


def test_print_shows_inputs_with_their_types_and_sources_and_outputs_with_types(invoke,
                                                                              write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders")
    output = result.stdout
    assert "  total\n    in   rows: List[Int]  ← prepare\n" \
           "    in   bonus: Int  ← default 5\n    out  result: Int\n" in output
    assert "  load\n    out  result: List[Int]\n    resources: database\n" in output


def test_print_shows_a_composites_children_indented_under_it(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders")
    assert "  prepare (composite)\n    in   rows: List[Int]  ← load\n" \
           "    out  result: List[Int]\n" \
           "    double\n      in   rows: List[Int]  ← composite input rows\n" in result.stdout


def test_print_shows_no_config_schema_without_verbose(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders")
    assert "config:" not in result.stdout
    assert "Modes:" not in result.stdout


def test_print_verbose_adds_each_solids_config_schema(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders", "--verbose")
    assert "    config:\n      # Rows to read.\n      limit: Int (optional, default: 10)\n" \
        in result.stdout


def test_print_verbose_adds_the_modes_with_their_resources(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES), "-p",
                    "orders", "--verbose")
    modes = result.stdout.split("Modes:\n", 1)[1]
    assert modes.startswith("  test\n    resources:\n      database  The orders database.\n"
                            "        url: String (required)\n      io_manager  ")
    assert "\n  prod\n" in modes
    assert "    executors: in_process" in modes


def test_print_of_several_pipelines_needs_p(invoke, write):
    result = invoke("pipeline", "print", "-f", write("pipelines.py", PIPELINES))
    assert result.exit_code == 2
    assert "has several pipelines: orders, health" in result.stderr
