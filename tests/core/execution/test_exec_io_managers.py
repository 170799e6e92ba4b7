"""IO managers: where step outputs are stored and how downstream inputs load them."""

import pickle

from headwater import (
    AssetMaterialization,
    InputDefinition,
    IOManager,
    IOManagerDefinition,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    io_manager,
    mem_io_manager,
    pipeline,
    root_input_manager,
    solid,
)


@solid
def one() -> int:
    return 1


@solid
def inc(x: int) -> int:
    return x + 1


def chain_in_mode(resource_defs):
    @pipeline(mode_defs=[ModeDefinition(resource_defs=resource_defs)])
    def chain():
        inc(one())

    return chain


def test_mode_without_an_io_manager_keeps_outputs_in_memory():
    assert ModeDefinition().resource_defs["io_manager"] is mem_io_manager
    result = execute_pipeline(chain_in_mode({}))

    handled = [e for e in result.event_list if e.is_handled_output]
    assert [e.event_specific_data.manager_key for e in handled] == ["io_manager", "io_manager"]
    assert result.result_for_solid("inc").output_value() == 2


def test_fs_io_manager_pickles_outputs_under_run_id_step_key_and_output(tmp_path):
    result = execute_pipeline(chain_in_mode({"io_manager": fs_io_manager}), run_config={
        "resources": {"io_manager": {"config": {"base_dir": str(tmp_path)}}}})

    stored = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert stored == [f"{result.run_id}/inc/result", f"{result.run_id}/one/result"]
    assert pickle.loads((tmp_path / result.run_id / "inc" / "result").read_bytes()) == 2


class RecordingIOManager(IOManager):
    def __init__(self, calls):
        self.calls = calls
        self.values = {}

    def handle_output(self, context, obj):
        self.calls.append(("handle", context.step_key, context.name, context.metadata,
                           context.config))
        self.values[(context.step_key, context.name)] = obj

    def load_input(self, context):
        upstream = context.upstream_output
        self.calls.append(("load", context.name, upstream.step_key, upstream.name))
        return self.values[(upstream.step_key, upstream.name)]


def test_custom_io_manager_stores_and_loads_through_its_contexts():
    calls = []

    @io_manager
    def recording(_init_context):
        return RecordingIOManager(calls)

    @solid(output_defs=[OutputDefinition(int, io_manager_key="recorder",
                                         metadata={"table": "numbers"})])
    def produce():
        return 5

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"recorder": recording})])
    def custom():
        inc(produce())

    result = execute_pipeline(custom)

    assert result.result_for_solid("inc").output_value() == 6
    assert calls == [("handle", "produce", "result", {"table": "numbers"}, None),
                     ("load", "x", "produce", "result")]


def test_output_config_schema_puts_per_output_config_on_the_output_context():
    calls = []

    @io_manager(output_config_schema={"table": str})
    def recording(_init_context):
        return RecordingIOManager(calls)

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": recording})])
    def configured_outputs():
        one()

    execute_pipeline(configured_outputs, run_config={
        "solids": {"one": {"outputs": {"result": {"table": "ones"}}}}})

    assert calls == [("handle", "one", "result", {}, {"table": "ones"})]


def test_io_manager_config_comes_from_its_resource_config():
    seen = []

    @io_manager(config_schema={"prefix": str})
    def prefixed(init_context):
        seen.append(init_context.resource_config["prefix"])
        return RecordingIOManager([])

    execute_pipeline(chain_in_mode({"io_manager": prefixed}),
                     run_config={"resources": {"io_manager": {"config": {"prefix": "p"}}}})

    assert seen == ["p"]


def test_root_input_manager_loads_an_unconnected_input_with_its_config():
    @root_input_manager(input_config_schema={"table": str})
    def table_loader(context):
        return f"rows of {context.config['table']}"

    @solid(input_defs=[InputDefinition("rows", root_manager_key="loader")])
    def count(rows):
        return rows

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"loader": table_loader})])
    def rooted():
        count()

    result = execute_pipeline(rooted, run_config={
        "solids": {"count": {"inputs": {"rows": {"table": "orders"}}}}})

    assert result.result_for_solid("count").output_value() == "rows of orders"
    loaded = [e for e in result.event_list if e.is_loaded_input]
    assert [e.event_specific_data.manager_key for e in loaded] == ["loader"]


class FailingIOManager(IOManager):
    def handle_output(self, context, obj):
        raise OSError("disk full")

    def load_input(self, context):
        raise AssertionError("never loaded")


def test_io_manager_failure_fails_the_step_with_the_managers_traceback():
    failing = IOManagerDefinition.hardcoded_io_manager(FailingIOManager())

    result = execute_pipeline(chain_in_mode({"io_manager": failing}), raise_on_error=False)

    one_result = result.result_for_solid("one")
    assert not one_result.success
    error = one_result.failure_data.error
    assert error.message == "OSError: disk full"
    assert "in handle_output" in error.stack[-1]
    assert one_result.compute_step_failure_event.message == (
        'Execution of step "one" failed while storing output "result": OSError: disk full')
    assert result.result_for_solid("inc").step_events == []


class MaterializingIOManager(IOManager):
    def handle_output(self, context, obj):
        return AssetMaterialization(["store", context.step_key], metadata={"value": obj})

    def load_input(self, context):
        raise AssertionError("never loaded")


def test_materializations_returned_by_handle_output_are_recorded():
    materializing = IOManagerDefinition.hardcoded_io_manager(MaterializingIOManager())

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": materializing})])
    def stored():
        one()

    result = execute_pipeline(stored).result_for_solid("one")

    (materialization,) = result.materializations_during_compute
    assert materialization.asset_key.path == ("store", "one")
    assert materialization.metadata["value"].value == 1
