"""Legacy names that solid/pipeline code and its tests use, each doing what it did."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater import (
    HeadwaterInvalidDefinitionError,
    HeadwaterInvalidInvocationError,
    IOManager,
    LocalFileHandle,
    ModeDefinition,
    PipelineDefinition,
    PresetDefinition,
    ReconstructablePipeline,
    ResourceDefinition,
    ScheduleDefinition,
    SensorDefinition,
    SkipReason,
    build_resources,
    execute_pipeline,
    fs_io_manager,
    io_manager,
    local_file_manager,
    multiprocess_executor,
    pipeline,
    reexecute_pipeline_iterator,
    repository,
    resource,
    solid,
    success_hook,
)
from headwater.execution.executors.builtin import default_executors
from headwater.execution.recorder import InMemoryRunRecorder

HOOK_CALLS: list[str] = []


@success_hook
def note_success(context):
    HOOK_CALLS.append(context.solid.name)


@solid
def one() -> int:
    return 1


@solid
def plus_one(value: int) -> int:
    return value + 1


@note_success
@pipeline
def hooked():
    plus_one(one())


def test_a_hook_over_pipeline_runs_after_every_step():
    HOOK_CALLS.clear()
    assert isinstance(hooked, PipelineDefinition)
    assert execute_pipeline(hooked).success
    assert sorted(HOOK_CALLS) == ["one", "plus_one"]


def test_multiprocess_executor_is_the_built_in_one():
    assert multiprocess_executor in default_executors
    assert multiprocess_executor.name == "multiprocess"


def test_reexecute_pipeline_iterator_yields_the_new_run_events(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
    def persisted():
        plus_one(one())

    recorder = InMemoryRunRecorder()
    parent = execute_pipeline(persisted, instance=recorder)
    events = list(reexecute_pipeline_iterator(persisted, parent.run_id, instance=recorder,
                                              step_selection=["plus_one"]))
    started = [e.step_key for e in events if e.event_type_value == "STEP_START"]
    assert started == ["plus_one"]
    assert events[-1].event_type_value == "PIPELINE_SUCCESS"
    assert {e.pipeline_name for e in events} == {"persisted"}


def test_for_file_loads_a_pipeline_from_a_python_file(tmp_path):
    source = tmp_path / "legacy_pipelines.py"
    source.write_text(
        "from headwater import pipeline, solid\n\n"
        "@solid\ndef hello():\n    return 'hi'\n\n"
        "@pipeline\ndef hello_pipeline():\n    hello()\n")
    target = ReconstructablePipeline.for_file(str(source), "hello_pipeline")
    assert target.get_definition().name == "hello_pipeline"
    assert execute_pipeline(target).success


def test_mock_resource_records_what_a_solid_called():
    @solid(required_resource_keys={"client"})
    def call_client(context):
        context.resources.client.send("hello")
        return context.resources.client

    @pipeline(mode_defs=[ModeDefinition(
        resource_defs={"client": ResourceDefinition.mock_resource()})])
    def mocked():
        call_client()

    client = execute_pipeline(mocked).result_for_solid("call_client").output_value()
    client.send.assert_called_once_with("hello")


TEARDOWNS: list[str] = []


@resource(config_schema={"prefix": str})
def greeter(init_context):
    yield lambda name: f"{init_context.resource_config['prefix']} {name}"
    TEARDOWNS.append("greeter")


def test_build_resources_builds_configured_resources_and_tears_them_down():
    TEARDOWNS.clear()
    with build_resources({"greet": greeter, "answer": 42},
                         resource_config={"greet": {"prefix": "hi"}}) as resources:
        assert resources.greet("ada") == "hi ada"
        assert resources.answer == 42
        assert TEARDOWNS == []
    assert TEARDOWNS == ["greeter"]


def test_build_resources_refuses_config_for_an_unknown_resource():
    with pytest.raises(HeadwaterInvalidInvocationError, match=r"\['gret'\]"), \
            build_resources({"greet": greeter}, resource_config={"gret": {}}):
        pass


def test_local_file_manager_writes_and_reads_files_by_handle(tmp_path):
    with build_resources({"file_manager": local_file_manager},
                         resource_config={"file_manager": {"base_dir": str(tmp_path)}}) as r:
        handle = r.file_manager.write_data(b"a,b\n1,2\n", ext="csv")
        assert isinstance(handle, LocalFileHandle)
        assert handle.path_desc.startswith(str(tmp_path)) and handle.path.endswith(".csv")
        assert r.file_manager.read_data(handle) == b"a,b\n1,2\n"
        copy = r.file_manager.copy_handle_to_local_temp(handle)
        with open(copy, "rb") as file:
            assert file.read() == b"a,b\n1,2\n"


def test_preset_from_pkg_resources_reads_yaml_shipped_in_a_package(tmp_path, monkeypatch):
    package = tmp_path / "legacy_envs"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.yaml").write_text("solids:\n  a:\n    config: 1\n")
    (package / "prod.yaml").write_text("solids:\n  b:\n    config: 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    preset = PresetDefinition.from_pkg_resources(
        "prod", [("legacy_envs", "base.yaml"), ("legacy_envs", "prod.yaml")])
    assert preset.run_config == {"solids": {"a": {"config": 1}, "b": {"config": 2}}}


def test_preset_from_pkg_resources_names_a_missing_file():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r'"nope\.yaml" from package "headwater"'):
        PresetDefinition.from_pkg_resources("p", [("headwater", "nope.yaml")])


def test_a_repository_may_give_schedules_and_sensors_as_functions():
    def make_schedule():
        return ScheduleDefinition("every_hour", "0 * * * *", pipeline_name="hooked")

    def make_sensor():
        return SensorDefinition("never", pipeline_name="hooked",
                                evaluation_fn=lambda _context: SkipReason("no"))

    @repository
    def lazy():
        return {"pipelines": {"hooked": lambda: hooked},
                "schedules": {"every_hour": make_schedule},
                "sensors": {"never": make_sensor}}

    assert lazy.get_schedule_def("every_hour").cron_schedule == "0 * * * *"
    assert [s.name for s in lazy.sensor_defs] == ["never"]


def test_a_lazy_schedule_under_another_name_is_refused():
    def misnamed():
        return {"pipelines": {"hooked": hooked}, "schedules": {"hourly": lambda: ScheduleDefinition(
            "every_hour", "0 * * * *", pipeline_name="hooked")}}

    with pytest.raises(HeadwaterInvalidDefinitionError, match='is named "every_hour"'):
        repository(misnamed)


class _PathIOManager(IOManager):
    """Stores each output at the path its output config names."""

    def handle_output(self, context, obj):
        with open(context.config["path"], "w") as file:
            file.write(str(obj))

    def load_input(self, context):
        with open(context.upstream_output.config["path"]) as file:
            return int(file.read())


@io_manager(output_config_schema={"path": str})
def path_io_manager(_init_context):
    return _PathIOManager()


def test_output_config_reaches_the_downstream_input_upstream_output(tmp_path):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": path_io_manager})])
    def configured_paths():
        plus_one(one())

    target = str(tmp_path / "one.txt")
    result = execute_pipeline(configured_paths, run_config={
        "solids": {"one": {"outputs": {"result": {"path": target}}},
                   "plus_one": {"outputs": {"result": {"path": str(tmp_path / "two.txt")}}}}})
    assert result.result_for_solid("plus_one").output_value() == 2
    assert Path(target).read_text() == "1"
