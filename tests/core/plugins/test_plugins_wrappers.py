"""Wrapper hooks: a plugin surrounds a run and each step (``@hookimpl(wrapper=True)``)."""

from __future__ import annotations

import pytest

from headwater import execute_pipeline, pipeline, solid
from headwater.errors import HeadwaterExecutionInterruptedError
from headwater.execution.recorder import InMemoryRunRecorder
from headwater.plugins import get_plugin_manager, hookimpl, reset_plugin_manager

CALLS: list[object] = []


@pytest.fixture(autouse=True)
def fresh_plugins():
    CALLS.clear()
    reset_plugin_manager()
    yield
    reset_plugin_manager()


@solid
def emit() -> int:
    CALLS.append("emit ran")
    return 1


@solid
def add_one(value: int) -> int:
    CALLS.append("add_one ran")
    return value + 1


@pipeline
def two_steps():
    add_one(emit())


@solid
def interrupted() -> None:
    raise HeadwaterExecutionInterruptedError("stop requested during the step")


@pipeline
def stops():
    interrupted()


class Tracer:
    """Marks where it enters and leaves, around runs, steps and the run's own hooks."""

    def __init__(self, name: str = "tracer") -> None:
        self.name = name

    @hookimpl(wrapper=True)
    def headwater_run_wrapper(self, run):
        CALLS.append(f"{self.name} enters run {run.pipeline_name}")
        result = yield
        CALLS.append(f"{self.name} leaves run {run.pipeline_name}")
        return result

    @hookimpl(wrapper=True)
    def headwater_step_wrapper(self, step_key):
        CALLS.append(f"{self.name} enters {step_key}")
        result = yield
        CALLS.append(f"{self.name} leaves {step_key}")
        return result

    @hookimpl
    def headwater_run_started(self):
        CALLS.append("run started")

    @hookimpl
    def headwater_run_succeeded(self):
        CALLS.append("run succeeded")


def _run(pipeline_def, recorder=None):
    return execute_pipeline(pipeline_def, instance=recorder or InMemoryRunRecorder(),
                            raise_on_error=False)


def test_run_wrapper_surrounds_the_whole_run_and_step_wrapper_each_step():
    get_plugin_manager().register(Tracer(), "tracer")
    assert _run(two_steps).success
    assert CALLS == [
        "tracer enters run two_steps", "run started",
        "tracer enters emit", "emit ran", "tracer leaves emit",
        "tracer enters add_one", "add_one ran", "tracer leaves add_one",
        "run succeeded", "tracer leaves run two_steps"]


def test_tryfirst_wrapper_is_outermost_and_trylast_innermost():
    class First:
        @hookimpl(wrapper=True, tryfirst=True)
        def headwater_step_wrapper(self, step_key):
            CALLS.append(f"first enters {step_key}")
            yield
            CALLS.append(f"first leaves {step_key}")

    class Last:
        @hookimpl(wrapper=True, trylast=True)
        def headwater_step_wrapper(self, step_key):
            CALLS.append(f"last enters {step_key}")
            yield
            CALLS.append(f"last leaves {step_key}")

    manager = get_plugin_manager()
    manager.register(Last(), "last")        # registration order is not what decides
    manager.register(Tracer("middle"), "middle")
    manager.register(First(), "first")
    _run(two_steps)
    emit_calls = CALLS[CALLS.index("first enters emit"):CALLS.index("first leaves emit") + 1]
    assert emit_calls == ["first enters emit", "middle enters emit", "last enters emit",
                          "emit ran", "last leaves emit", "middle leaves emit",
                          "first leaves emit"]


def test_wrappers_see_the_exception_that_escaped_the_step_and_the_run():
    class Watcher:
        @hookimpl(wrapper=True)
        def headwater_run_wrapper(self):
            try:
                return (yield)
            except BaseException as error:
                CALLS.append(("run saw", type(error).__name__))
                raise

        @hookimpl(wrapper=True)
        def headwater_step_wrapper(self, step_key):
            try:
                return (yield)
            except BaseException as error:
                CALLS.append((f"{step_key} saw", type(error).__name__))
                raise

    get_plugin_manager().register(Watcher(), "watcher")
    with pytest.raises(HeadwaterExecutionInterruptedError):
        execute_pipeline(stops, instance=InMemoryRunRecorder())
    assert CALLS == [("interrupted saw", "HeadwaterExecutionInterruptedError"),
                     ("run saw", "HeadwaterExecutionInterruptedError")]


def test_a_wrapper_that_raises_before_yielding_is_recorded_and_the_step_still_runs_wrapped():
    class Broken:
        @hookimpl(wrapper=True, tryfirst=True)
        def headwater_step_wrapper(self, step_key):
            raise RuntimeError("tracing backend down")
            yield  # pragma: no cover - makes this a generator

    manager = get_plugin_manager()
    manager.register(Tracer(), "tracer")
    manager.register(Broken(), "broken")
    recorder = InMemoryRunRecorder()
    result = _run(two_steps, recorder)
    assert result.success
    assert result.output_for_solid("add_one") == 2
    assert "tracer enters emit" in CALLS and "tracer leaves add_one" in CALLS
    failures = [entry for entry in recorder.all_logs(result.run_id)
                if "headwater_step_wrapper of plugin broken raised" in entry.user_message]
    assert [entry.step_key for entry in failures] == ["emit", "add_one"]
    assert all(entry.headwater_event.event_type_value == "ENGINE_EVENT" for entry in failures)


def test_a_run_wrapper_that_raises_after_the_run_does_not_change_its_outcome():
    class FailsOnExit:
        @hookimpl(wrapper=True)
        def headwater_run_wrapper(self):
            yield
            raise RuntimeError("could not flush spans")

    get_plugin_manager().register(FailsOnExit(), "flaky")
    recorder = InMemoryRunRecorder()
    result = _run(two_steps, recorder)
    assert result.success
    assert any("headwater_run_wrapper of plugin flaky raised RuntimeError('could not flush "
               "spans')" in entry.user_message for entry in recorder.all_logs(result.run_id))


def test_a_wrapper_cannot_swallow_the_exception_of_the_run():
    class Swallower:
        @hookimpl(wrapper=True)
        def headwater_run_wrapper(self):
            try:
                yield
            except BaseException:
                return None

    get_plugin_manager().register(Swallower(), "swallower")
    with pytest.raises(HeadwaterExecutionInterruptedError):
        execute_pipeline(stops, instance=InMemoryRunRecorder())


def test_a_plain_function_implementing_a_wrapper_hook_makes_the_plugin_broken():
    class Plain:
        @hookimpl
        def headwater_step_wrapper(self, step_key):
            return None

    info = get_plugin_manager().register(Plain(), "plain")
    assert info.status == "broken"
    assert 'implements "headwater_step_wrapper" without @hookimpl(wrapper=True)' in info.error


def test_wrappers_of_a_discovered_plugin_not_enabled_for_the_instance_are_not_called():
    get_plugin_manager().register(Tracer(), "tracer", from_entry_point=True)
    assert _run(two_steps).success
    assert CALLS == ["emit ran", "add_one ran"]


def test_wrappers_run_the_step_events_through_to_the_caller():
    get_plugin_manager().register(Tracer(), "tracer")
    result = _run(two_steps)
    step_events = [(event.step_key, event.event_type_value) for event in result.event_list
                   if event.event_type_value in ("STEP_START", "STEP_SUCCESS")]
    assert step_events == [("emit", "STEP_START"), ("emit", "STEP_SUCCESS"),
                           ("add_one", "STEP_START"), ("add_one", "STEP_SUCCESS")]
