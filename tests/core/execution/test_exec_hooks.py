"""Hooks: functions run after a step, depending on how it ended."""

import pytest

from headwater import (
    ModeDefinition,
    ResourceDefinition,
    RetryPolicy,
    build_hook_context,
    execute_pipeline,
    failure_hook,
    pipeline,
    solid,
    success_hook,
)


@solid
def good():
    return 1


@solid
def bad():
    raise ValueError("bad solid")


def hook_events(result, step_key):
    return [(e.event_type_value, e.message.split('"')[1]) for e in result.event_list
            if e.step_key == step_key and e.is_hook_event]


def test_success_hook_runs_after_a_successful_step_and_sees_its_outputs():
    calls = []

    @success_hook
    def on_success(context):
        calls.append((context.step_key, context.solid_output_values))

    @pipeline(hook_defs={on_success})
    def hooked():
        good()

    result = execute_pipeline(hooked)

    assert calls == [("good", {"result": 1})]
    assert hook_events(result, "good") == [("HOOK_COMPLETED", "on_success")]


def test_success_hook_is_skipped_after_a_failed_step():
    @success_hook
    def on_success(context):
        raise AssertionError("must not run")

    @pipeline(hook_defs={on_success})
    def hooked():
        bad()

    result = execute_pipeline(hooked, raise_on_error=False)

    assert hook_events(result, "bad") == [("HOOK_SKIPPED", "on_success")]


def test_failure_hook_runs_after_a_failed_step_and_sees_its_exception():
    calls = []

    @failure_hook
    def on_failure(context):
        calls.append((context.step_key, context.solid_exception))

    @pipeline(hook_defs={on_failure})
    def hooked():
        bad()
        good()

    result = execute_pipeline(hooked, raise_on_error=False)

    ((step_key, exception),) = calls
    assert step_key == "bad"
    assert isinstance(exception, ValueError)
    assert str(exception) == "bad solid"
    assert hook_events(result, "bad") == [("HOOK_COMPLETED", "on_failure")]
    assert hook_events(result, "good") == [("HOOK_SKIPPED", "on_failure")]


def test_failure_hook_runs_before_raise_on_error_raises():
    calls = []

    @failure_hook
    def on_failure(context):
        calls.append(context.step_key)

    @pipeline(hook_defs={on_failure})
    def hooked():
        bad()

    with pytest.raises(ValueError, match="bad solid"):
        execute_pipeline(hooked)

    assert calls == ["bad"]


def test_hook_that_raises_is_recorded_and_the_run_still_succeeds():
    @success_hook
    def broken(context):
        raise RuntimeError("hook broke")

    @pipeline(hook_defs={broken})
    def hooked():
        good()

    result = execute_pipeline(hooked)

    assert result.success
    (errored,) = [e for e in result.event_list if e.event_type_value == "HOOK_ERRORED"]
    assert "hook broke" in errored.message
    assert errored.event_specific_data.error.message == "RuntimeError: hook broke"


def test_hook_gets_the_resources_it_requires():
    calls = []

    @success_hook(required_resource_keys={"slack"})
    def notify(context):
        calls.append(context.resources.slack)

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "slack": ResourceDefinition.hardcoded_resource("slack client")})], hook_defs={notify})
    def hooked():
        good()

    execute_pipeline(hooked)

    assert calls == ["slack client"]


def test_hooks_on_one_invocation_run_only_for_that_step():
    calls = []

    @success_hook
    def on_success(context):
        calls.append(context.step_key)

    @pipeline
    def hooked():
        good.alias("with_hook").with_hooks({on_success})()
        good.alias("without_hook")()

    execute_pipeline(hooked)

    assert calls == ["with_hook"]


def test_pipeline_with_hooks_applies_them_to_every_step():
    calls = []

    @success_hook
    def on_success(context):
        calls.append(context.step_key)

    @pipeline
    def plain():
        good.alias("a")()
        good.alias("b")()

    execute_pipeline(plain.with_hooks({on_success}))

    assert sorted(calls) == ["a", "b"]


def test_hooks_do_not_run_for_an_attempt_that_will_be_retried():
    calls = []

    @failure_hook
    def on_failure(context):
        calls.append(context.step_key)

    @solid(retry_policy=RetryPolicy(max_retries=1))
    def flaky():
        raise ValueError("always")

    @pipeline(hook_defs={on_failure})
    def hooked():
        flaky()

    execute_pipeline(hooked, raise_on_error=False)

    assert calls == ["flaky"]


def test_hook_function_can_be_called_directly_with_a_built_context():
    calls = []

    @success_hook(required_resource_keys={"slack"})
    def notify(context):
        calls.append(context.resources.slack)

    notify(build_hook_context(resources={"slack": "client"}))

    assert calls == ["client"]
