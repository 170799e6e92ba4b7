"""Concepts: IO managers."""

import json
import os
import tempfile

from headwater import (
    AssetMaterialization,
    InputDefinition,
    IOManager,
    ModeDefinition,
    OutputDefinition,
    build_input_context,
    build_output_context,
    custom_path_fs_io_manager,
    execute_pipeline,
    fs_io_manager,
    io_manager,
    pipeline,
    root_input_manager,
    solid,
)

storage = tempfile.mkdtemp()


@solid
def numbers() -> list[int]:
    return [1, 2, 3]


@solid
def total(values: list[int]) -> int:
    return sum(values)


# [start:fs]
@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def on_disk():
    total(numbers())


result = execute_pipeline(on_disk, run_config={
    "resources": {"io_manager": {"config": {"base_dir": storage}}}})
# <base_dir>/<run_id>/<step_key>/<output_name>
assert os.path.exists(os.path.join(storage, result.run_id, "numbers", "result"))
# [end:fs]


# [start:custom]
class JsonIOManager(IOManager):
    """Stores each output as a JSON file under a root directory."""

    def __init__(self, root: str) -> None:
        self.root = root

    def _path(self, context) -> str:
        # run id, step key, output name (and mapping key): unique per output value
        return os.path.join(self.root, *context.get_output_identifier()) + ".json"

    def handle_output(self, context, obj):
        path = context.config.get("path") if context.config else None
        path = path or self._path(context)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as file:
            json.dump(obj, file)
        yield AssetMaterialization.file(path, description=f"output {context.name}")

    def load_input(self, context):
        with open(self._path(context.upstream_output)) as file:
            return json.load(file)


@io_manager(config_schema={"root": str}, output_config_schema={"path": str})
def json_io_manager(init_context):
    return JsonIOManager(init_context.resource_config["root"])
# [end:custom]


# [start:per-output]
@solid(output_defs=[OutputDefinition(list, io_manager_key="json")])
def report_rows() -> list:
    return [{"day": "2024-01-01", "revenue": 42.5}]


@solid
def check(rows: list) -> int:
    return len(rows)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"json": json_io_manager})])
def reporting():
    check(report_rows())    # report_rows is stored as JSON; check loads it from there


result = execute_pipeline(reporting, run_config={
    "resources": {"json": {"config": {"root": storage}}}})
assert result.output_for_solid("check") == 1
assert result.result_for_solid("report_rows").materializations_during_compute
# [end:per-output]


# [start:root-input]
@root_input_manager(input_config_schema={"table": str})
def table_loader(context):
    return [f"row of {context.config['table']}"]


@solid(input_defs=[InputDefinition("rows", list, root_manager_key="tables")])
def count(rows) -> int:
    return len(rows)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"tables": table_loader})])
def from_tables():
    count()


result = execute_pipeline(from_tables, run_config={
    "solids": {"count": {"inputs": {"rows": {"table": "orders"}}}}})
assert result.output_for_solid("count") == 1
# [end:root-input]


# [start:custom-path]
@solid(output_defs=[OutputDefinition(list, metadata={"path": "exports/numbers.pickle"})])
def export() -> list:
    return [1, 2]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": custom_path_fs_io_manager})])
def exporting():
    export()


execute_pipeline(exporting, run_config={
    "resources": {"io_manager": {"config": {"base_dir": storage}}}})
assert os.path.exists(os.path.join(storage, "exports", "numbers.pickle"))
# [end:custom-path]


# [start:test]
manager = JsonIOManager(storage)
out = build_output_context(step_key="numbers", name="result", run_id="run-1")
list(manager.handle_output(out, [1, 2]))
assert manager.load_input(build_input_context(upstream_output=out)) == [1, 2]
# [end:test]


# [start:output-config]
target = os.path.join(storage, "daily_report.json")
execute_pipeline(reporting, run_config={
    "resources": {"json": {"config": {"root": storage}}},
    "solids": {"report_rows": {"outputs": {"result": {"path": target}}}},
}, solid_selection=["report_rows"])
with open(target) as written:
    assert json.load(written) == [{"day": "2024-01-01", "revenue": 42.5}]
# [end:output-config]
