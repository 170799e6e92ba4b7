"""Resources in a run: config, dependencies between them, teardown, lazy initialisation,
and the ways to make one (configured, make_values_resource, the ready-made ones)."""

import contextlib
import logging

import pytest

from headwater import (
    Field,
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    ModeDefinition,
    ResourceDefinition,
    configured,
    execute_pipeline,
    make_values_resource,
    pipeline,
    resource,
    solid,
)
from headwater.execution.recorder import InMemoryRunRecorder


@solid(required_resource_keys={"db"})
def read_db(context):
    return context.resources.db


def run_with(db_def, run_config=None, **kwargs):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": db_def})])
    def uses_db():
        read_db()

    return execute_pipeline(uses_db, run_config=run_config, **kwargs)


def db_value(db_def, run_config=None):
    return run_with(db_def, run_config).result_for_solid("read_db").output_value()


@resource(config_schema={"url": str})
def database(init_context):
    return f"connection to {init_context.resource_config['url']}"


def test_resource_config_comes_from_run_config():
    assert db_value(database, {"resources": {"db": {"config": {"url": "db.local"}}}}) == (
        "connection to db.local")


def test_resource_config_errors_name_the_config_path():
    with pytest.raises(HeadwaterInvalidConfigError, match=r"resources\.db\.config"):
        run_with(database, {"resources": {"db": {"config": {"url": 5}}}})


def test_resource_without_context_parameter_is_called_without_one():
    @resource
    def constant():
        return "constant"

    assert db_value(constant) == "constant"


def test_resource_sees_the_resources_it_requires_and_they_are_built_first():
    order = []

    @resource
    def base():
        order.append("base")
        return "base"

    @resource(required_resource_keys={"base"})
    def derived(init_context):
        order.append("derived")
        return f"derived from {init_context.resources.base}"

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": derived, "base": base})])
    def layered():
        read_db()

    result = execute_pipeline(layered)

    assert result.result_for_solid("read_db").output_value() == "derived from base"
    assert order == ["base", "derived"]


def test_resources_depending_on_each_other_in_a_cycle_are_rejected():
    @resource(required_resource_keys={"b"})
    def a(init_context):
        return 1

    @resource(required_resource_keys={"a"})
    def b(init_context):
        return 2

    with pytest.raises(HeadwaterInvalidDefinitionError, match="cycle"):
        ModeDefinition(resource_defs={"a": a, "b": b})


def test_resource_requiring_a_key_the_mode_lacks_is_rejected():
    @resource(required_resource_keys={"missing"})
    def needy(init_context):
        return 1

    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"requires resource\(s\) \['missing'\]"):
        ModeDefinition(resource_defs={"needy": needy})


def test_generator_resource_is_torn_down_even_when_a_step_fails():
    calls = []

    @resource
    def tracked():
        calls.append("open")
        yield "handle"
        calls.append("close")

    @solid(required_resource_keys={"db"})
    def explode(context):
        calls.append("compute")
        raise ValueError("boom")

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": tracked})])
    def failing():
        explode()

    result = execute_pipeline(failing, raise_on_error=False)

    assert not result.success
    assert calls == ["open", "compute", "close"]


def test_generator_resource_is_torn_down_before_raise_on_error_raises():
    calls = []

    @resource
    def tracked():
        yield "handle"
        calls.append("close")

    @solid(required_resource_keys={"db"})
    def explode(context):
        raise ValueError("boom")

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": tracked})])
    def failing():
        explode()

    with pytest.raises(ValueError, match="boom"):
        execute_pipeline(failing)

    assert calls == ["close"]


def test_only_resources_the_selected_solids_need_are_built():
    built = []

    @resource
    def cheap():
        built.append("cheap")
        return 1

    @resource
    def unreachable():
        raise ConnectionError("not in this test")

    @solid(required_resource_keys={"unreachable"})
    def remote(context):
        return context.resources.unreachable

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": cheap,
                                                       "unreachable": unreachable})])
    def mixed():
        read_db()
        remote()

    result = execute_pipeline(mixed, solid_selection=["read_db"])

    assert result.success
    assert built == ["cheap"]


def test_resource_that_no_solid_needs_is_not_built():
    @resource
    def unreachable():
        raise ConnectionError("never needed")

    mode = ModeDefinition(resource_defs={"db": ResourceDefinition.hardcoded_resource(1),
                                         "spare": unreachable})

    @pipeline(mode_defs=[mode])
    def spare_resource():
        read_db()

    assert execute_pipeline(spare_resource).success


@resource
def refusing():
    raise ConnectionError("database refused the connection")


def test_resource_init_failure_fails_the_run_with_the_error_on_the_failure_event():
    result = run_with(refusing, raise_on_error=False)

    assert not result.success
    failure = result.event_list[-1]
    assert failure.is_pipeline_failure
    error = failure.event_specific_data.error
    assert error.message == "ConnectionError: database refused the connection"
    assert any("in refusing" in frame for frame in error.stack)
    assert not any(e.is_step_event for e in result.event_list)


def test_resource_init_failure_raises_the_users_exception():
    with pytest.raises(ConnectionError, match="refused"):
        run_with(refusing)


def test_configured_resource_with_a_fixed_config_needs_no_run_config():
    assert db_value(database.configured({"url": "fixed.local"})) == "connection to fixed.local"


def test_configured_resource_with_a_fixed_config_is_checked_at_definition():
    with pytest.raises(HeadwaterInvalidConfigError, match="url"):
        database.configured({"url": 5})


def test_configured_resource_with_a_function_maps_a_new_schema():
    per_env = database.configured(lambda config: {"url": f"{config['env']}.db"},
                                  config_schema={"env": str})

    assert db_value(per_env, {"resources": {"db": {"config": {"env": "prod"}}}}) == (
        "connection to prod.db")


def test_configured_decorator_maps_the_outer_config_to_the_inner():
    @configured(database, config_schema={"host": str})
    def by_host(config):
        return {"url": f"{config['host']}:5432"}

    assert db_value(by_host, {"resources": {"db": {"config": {"host": "h"}}}}) == (
        "connection to h:5432")


def test_configured_mapping_that_produces_bad_config_is_reported_against_the_inner_schema():
    broken = database.configured(lambda config: {"url": 1}, config_schema={"env": str})

    with pytest.raises(HeadwaterInvalidConfigError, match="configured"):
        run_with(broken, {"resources": {"db": {"config": {"env": "prod"}}}})


def test_values_resource_returns_its_config_with_defaults():
    values = make_values_resource(date=str, limit=Field(int, default_value=10))

    assert db_value(values, {"resources": {"db": {"config": {"date": "2024-01-01"}}}}) == {
        "date": "2024-01-01", "limit": 10}


def test_values_resource_without_a_schema_accepts_any_config():
    assert db_value(make_values_resource(),
                    {"resources": {"db": {"config": {"anything": [1, 2]}}}}) == {
        "anything": [1, 2]}


def test_hardcoded_resource_is_its_value():
    assert db_value(ResourceDefinition.hardcoded_resource({"fake": True})) == {"fake": True}


def test_none_resource_is_none():
    assert db_value(ResourceDefinition.none_resource()) is None


def test_string_resource_is_its_string_config():
    assert db_value(ResourceDefinition.string_resource(),
                    {"resources": {"db": {"config": "a string"}}}) == "a string"


def test_resource_values_are_shared_by_every_step_of_a_run():
    @resource
    def counter():
        return object()

    @solid(required_resource_keys={"db"})
    def identity(context):
        return id(context.resources.db)

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": counter})])
    def twice():
        identity()
        identity()

    result = execute_pipeline(twice)

    assert (result.result_for_solid("identity").output_value()
            == result.result_for_solid("identity_2").output_value())


def test_context_manager_resource_is_entered_and_exited_with_the_run():
    calls = []

    @resource
    @contextlib.contextmanager
    def managed():
        calls.append("enter")
        yield "managed value"
        calls.append("exit")

    assert db_value(managed) == "managed value"
    assert calls == ["enter", "exit"]


def test_teardown_that_raises_is_logged_and_does_not_fail_the_run():
    @resource
    def sloppy():
        yield "value"
        raise RuntimeError("could not close")

    recorder = InMemoryRunRecorder()
    result = run_with(sloppy, instance=recorder)

    assert result.success
    errors = [entry.user_message for entry in recorder.all_logs(result.run_id)
              if entry.level == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith("Teardown of resource \"db\" raised RuntimeError('could not close')")


def test_resource_not_needed_by_the_selection_needs_no_config_even_when_mapped():
    per_env = database.configured(lambda config: {"url": f"{config['env']}.db"},
                                  config_schema={"env": str})

    @solid
    def offline():
        return "ran"

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": per_env})])
    def partly_online():
        read_db()
        offline()

    result = execute_pipeline(partly_online, solid_selection=["offline"])

    assert result.result_for_solid("offline").output_value() == "ran"
