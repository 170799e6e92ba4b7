"""Discovery of plugin distributions through the ``headwater`` entry-point group."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from headwater import (
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    ModeDefinition,
    execute_pipeline,
    in_process_executor,
    pipeline,
    solid,
)
from headwater.errors import HeadwaterInstanceConfigError
from headwater.execution.recorder import InMemoryRunRecorder
from headwater.instance import instance_for_test
from headwater.plugins import get_plugin_manager, hookimpl, reset_plugin_manager


@solid(required_resource_keys={"counter"})
def read_counter(context) -> int:
    return context.resources.counter["value"]


@solid
def double(value: int) -> int:
    return value * 2


@pipeline(mode_defs=[ModeDefinition(resource_defs={"counter": "acme_counter"})])
def counting():
    double(read_counter())


@pipeline
def doubling():
    double()


def test_plugin_is_discovered_with_its_distribution_and_version(plugin_site):
    info = get_plugin_manager().plugins["acme"]
    assert (info.status, info.distribution, info.version) == ("loaded", "acme-plugin", "0.3.1")


def test_plugin_registrations_are_listed_by_kind(plugin_site):
    manager = get_plugin_manager()
    contributions = manager.registry.contributions_of("acme")
    assert contributions == {"cli_commands": ["acme"], "executors": ["acme_exec"],
                             "resources": ["acme_counter"]}


def test_core_registers_its_own_definitions_as_a_builtin_plugin(plugin_site):
    manager = get_plugin_manager()
    assert manager.plugins["headwater"].builtin
    contributions = manager.registry.contributions_of("headwater")
    assert "in_process" in contributions["executors"]
    assert "fs_io_manager" in contributions["io_managers"]
    assert "console" in contributions["loggers"]


def test_mode_binds_a_plugin_resource_by_name_and_its_schema_validates_config(plugin_site):
    result = execute_pipeline(counting,
                              run_config={"resources": {"counter": {"config": {"start": 21}}}})
    assert result.output_for_solid("double") == 42
    with pytest.raises(HeadwaterInvalidConfigError, match="start"):
        execute_pipeline(counting, run_config={"resources": {"counter": {"config": {}}}})


def test_plugin_executor_runs_a_pipeline_selected_only_by_run_config(plugin_site, tmp_path):
    marker = tmp_path / "marker"
    result = execute_pipeline(counting, run_config={
        "resources": {"counter": {"config": {"start": 1}}},
        "execution": {"acme_exec": {"config": {"marker": str(marker)}}},
    })
    assert result.success
    assert marker.read_text() == str(os.getpid())


def test_mode_listing_its_executors_does_not_accept_plugin_executors(plugin_site, tmp_path):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"counter": "acme_counter"},
                                        executor_defs=[in_process_executor])])
    def strict():
        read_counter()

    with pytest.raises(HeadwaterInvalidConfigError, match="acme_exec"):
        execute_pipeline(strict, run_config={
            "resources": {"counter": {"config": {"start": 1}}},
            "execution": {"acme_exec": {"config": {"marker": str(tmp_path / "m")}}}})


def test_unknown_plugin_resource_names_the_package_to_install(plugin_site, monkeypatch):
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGINS", "aws")  # in case headwater-aws is here
    reset_plugin_manager()

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"s3": "s3_resource"})])
    def needs_s3():
        double.alias("noop")

    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r"headwater-aws: pip install 'headwater\[aws\]'"):
        execute_pipeline(needs_s3)


def test_a_name_no_package_of_this_repository_provides_gets_no_package_to_install(
        plugin_site):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"warehouse": "no_such_warehouse"})])
    def needs_a_warehouse():
        double.alias("noop")

    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match="Install the package that provides it") as raised:
        execute_pipeline(needs_a_warehouse)
    assert "pip install" not in str(raised.value)


def test_unknown_executor_in_run_config_names_the_package_to_install(plugin_site, monkeypatch):
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGINS", "dask")  # in case headwater-dask is here
    reset_plugin_manager()
    with pytest.raises(HeadwaterInvalidConfigError, match=r"headwater\[dask\]"):
        execute_pipeline(counting, run_config={
            "resources": {"counter": {"config": {"start": 1}}},
            "execution": {"dask": {"config": {}}}})


def test_plugin_that_fails_to_import_is_reported_by_name_and_version_and_skipped(plugin_site):
    info = get_plugin_manager().plugins["broken"]
    assert (info.status, info.distribution, info.version) == ("broken", "acme-broken", "2.0")
    assert "needs a library that is not installed" in info.error
    assert get_plugin_manager().plugins["acme"].status == "loaded"


def test_misspelled_hook_implementation_is_an_error_naming_it(plugin_site):
    info = get_plugin_manager().plugins["misspelled"]
    assert info.status == "broken"
    assert '"headwater_resorces"' in info.error
    assert 'did you mean "headwater_resources"' in info.error


def test_autoload_switch_turns_discovery_off(plugin_site, monkeypatch):
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", "1")
    reset_plugin_manager()
    assert set(get_plugin_manager().plugins) == {"headwater"}


def test_disable_switch_skips_named_plugins(plugin_site, monkeypatch):
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGINS", "acme, broken")
    reset_plugin_manager()
    plugins = get_plugin_manager().plugins
    assert plugins["acme"].status == "disabled"
    assert plugins["broken"].status == "disabled"
    assert "acme_counter" not in get_plugin_manager().registry.resources


def test_importing_headwater_loads_no_plugin(plugin_site):
    env = dict(os.environ, PYTHONPATH=str(plugin_site))
    code = ("import sys, headwater; "
            "print(sorted(m for m in sys.modules if m.startswith(('acme', 'pluggy'))))")
    completed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                               text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def _journal(tmp_path, name="journal.jsonl"):
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_lifecycle_hooks_of_a_plugin_enabled_in_headwater_yaml_see_every_step(plugin_site,
                                                                             tmp_path):
    journal = tmp_path / "configured.jsonl"
    settings = {"plugins": {"acme": {"config": {"journal": str(journal)}}}}
    with instance_for_test(overrides=settings) as instance:
        execute_pipeline(counting, instance=instance,
                         run_config={"resources": {"counter": {"config": {"start": 1}}}})
    hooks = [(r["hook"], r.get("step")) for r in _journal(tmp_path, "configured.jsonl")]
    assert hooks == [("run_started", None),
                     ("step_started", "read_counter"), ("step_succeeded", "read_counter"),
                     ("step_started", "double"), ("step_succeeded", "double"),
                     ("run_succeeded", None)]


def test_plugin_config_in_headwater_yaml_is_validated_with_its_path(plugin_site):
    with instance_for_test(overrides={"plugins": {"acme": {"config": {"jornal": "x"}}}}) \
            as instance, pytest.raises(HeadwaterInstanceConfigError) as raised:
        instance.enabled_plugins  # noqa: B018
    assert "plugins.acme.config" in str(raised.value)
    assert '"jornal"' in str(raised.value)


def test_unknown_plugin_in_headwater_yaml_is_an_error_with_a_suggestion(plugin_site):
    with instance_for_test(overrides={"plugins": {"acmee": {}}}) as instance, \
            pytest.raises(HeadwaterInstanceConfigError, match='Did you mean "acme"'):
        instance.enabled_plugins  # noqa: B018


def test_lifecycle_hooks_of_a_discovered_plugin_do_not_run_unless_enabled(plugin_site, tmp_path):
    execute_pipeline(counting, run_config={"resources": {"counter": {"config": {"start": 1}}}})
    assert _journal(tmp_path) == []


def test_lifecycle_hook_failure_is_recorded_and_never_fails_the_run():
    class Exploding:
        @hookimpl
        def headwater_step_succeeded(self, step_key):
            raise RuntimeError(f"metrics backend down for {step_key}")

    reset_plugin_manager()
    get_plugin_manager().register(Exploding(), "exploding")
    recorder = InMemoryRunRecorder()
    try:
        result = execute_pipeline(doubling, instance=recorder,
                                  run_config={"solids": {"double": {"inputs": {"value": 2}}}})
    finally:
        reset_plugin_manager()
    assert result.success
    messages = [e.user_message for e in recorder.all_logs(result.run_id)]
    assert any("headwater_step_succeeded" in m and "metrics backend down for double" in m
               for m in messages)


def test_two_plugins_registering_one_name_break_only_the_later_one():
    class First:
        @hookimpl
        def headwater_resources(self):
            return {"shared": object()}

    class Second:
        @hookimpl
        def headwater_resources(self):
            return {"shared": object(), "own": object()}

    reset_plugin_manager()
    manager = get_plugin_manager()
    first, second = First(), Second()
    manager.register(first, "first")
    manager.register(second, "second")
    try:
        registry = manager.registry
        assert registry.providers[("resources", "shared")] == "first"
        assert "own" not in registry.resources
        assert manager.plugins["second"].status == "broken"
        assert 'already registered by "first"' in manager.plugins["second"].error
    finally:
        reset_plugin_manager()


def test_plugin_types_make_python_classes_usable_in_hints():
    from headwater import PythonObjectHeadwaterType
    from headwater.types import resolve_headwater_type

    class Frame:
        pass

    frame_type = PythonObjectHeadwaterType(Frame, name="PluginFrame")

    class Types:
        @hookimpl
        def headwater_types(self):
            return [(Frame, frame_type)]

    reset_plugin_manager()
    get_plugin_manager().register(Types(), "types")
    try:
        get_plugin_manager().registry  # noqa: B018
        assert resolve_headwater_type(Frame) is frame_type
    finally:
        reset_plugin_manager()


def test_plugin_instance_component_is_selectable_by_name_in_headwater_yaml():
    from headwater.instance.compute_logs import NoOpComputeLogManager

    class QuietLogs(NoOpComputeLogManager):
        pass

    class Components:
        @hookimpl
        def headwater_instance_components(self):
            return {"compute_logs": {"quiet": QuietLogs}}

    reset_plugin_manager()
    get_plugin_manager().register(Components(), "components")
    try:
        with instance_for_test(overrides={"compute_logs": "quiet"}) as instance:
            assert type(instance.compute_log_manager) is QuietLogs
    finally:
        reset_plugin_manager()


def test_unknown_executor_hint_comes_with_every_other_config_error(plugin_site, monkeypatch):
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGINS", "dask")
    reset_plugin_manager()
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        execute_pipeline(counting, run_config={
            "resources": {"counter": {"config": {"strat": 1}}},
            "execution": {"dask": {"config": {}}}})
    messages = [str(error) for error in raised.value.errors]
    assert any("strat" in message for message in messages)
    assert any("headwater[dask]" in message for message in messages)


def test_lifecycle_hooks_run_in_pluggys_order_and_one_that_raises_does_not_stop_the_next():
    calls = []

    class Early:
        @hookimpl(tryfirst=True)
        def headwater_step_succeeded(self, step_key):
            calls.append(("early", step_key))
            raise RuntimeError("early plugin down")

    class Late:
        @hookimpl
        def headwater_step_succeeded(self, run, step_key, duration_ms):
            calls.append(("late", step_key))

    reset_plugin_manager()
    get_plugin_manager().register(Late(), "late")
    get_plugin_manager().register(Early(), "early")
    recorder = InMemoryRunRecorder()
    try:
        result = execute_pipeline(doubling, instance=recorder,
                                  run_config={"solids": {"double": {"inputs": {"value": 2}}}})
    finally:
        reset_plugin_manager()
    assert calls == [("early", "double"), ("late", "double")]
    assert any("of plugin early raised" in e.user_message
               for e in recorder.all_logs(result.run_id))


def test_a_run_no_plugin_watches_records_into_its_own_recorder():
    from headwater.execution.lifecycle import with_lifecycle_hooks
    from headwater.plugins.lifecycle import NO_LIFECYCLE_HOOKS

    recorder = InMemoryRunRecorder()
    assert with_lifecycle_hooks(recorder, None, NO_LIFECYCLE_HOOKS) is recorder


def test_core_registers_its_instance_parts_as_a_plugin(plugin_site):
    contributions = get_plugin_manager().registry.contributions_of("headwater")
    assert contributions["run_storage"] == ["in_memory", "sqlite"]
    assert contributions["compute_logs"] == ["local", "noop"]


def test_core_plugin_is_loaded_with_discovery_switched_off(plugin_site, monkeypatch):
    monkeypatch.setenv("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", "1")
    reset_plugin_manager()
    assert sorted(get_plugin_manager().plugins) == ["headwater"]
    assert "in_process" in get_plugin_manager().registry.executors
