"""Ten thousand solids deep or wide: defined, planned and run with no recursion that grows
with the size of the graph.

Each run happens in a fresh thread under a recursion limit of a few hundred frames, far
below the 10,000 a depth-proportional recursion would need; the graph code, the plan and
the executor must all be iterative for these tests to pass.
"""

import sys
import threading

from headwater import (
    DependencyDefinition,
    InputDefinition,
    List,
    MultiDependencyDefinition,
    PipelineDefinition,
    SolidInvocation,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater.execution.recorder import InMemoryRunRecorder

SIZE = 10_000
FRAME_LIMIT = 250


def run_with_small_stack(fn):
    """``fn()`` in a new thread whose recursion limit is FRAME_LIMIT; re-raise its error."""
    outcome = {}

    def target():
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(FRAME_LIMIT)
        try:
            outcome["value"] = fn()
        except BaseException as error:
            outcome["error"] = error
        finally:
            sys.setrecursionlimit(previous)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@solid
def start() -> int:
    return 0


@solid
def inc(x: int) -> int:
    return x + 1


@solid
def explode() -> int:
    raise ValueError("the head of the chain failed")


def test_frame_limit_is_low_enough_to_catch_recursion_per_solid():
    def recurse(depth):
        return depth if depth == 0 else recurse(depth - 1)

    try:
        run_with_small_stack(lambda: recurse(SIZE))
    except RecursionError:
        return
    raise AssertionError("a recursion of SIZE frames should not fit under FRAME_LIMIT")


def test_linear_chain_is_defined_planned_and_run():
    def define_and_run():
        @pipeline
        def chain():
            value = start()
            for _ in range(SIZE):
                value = inc(value)

        return execute_pipeline(chain)

    result = run_with_small_stack(define_and_run)

    assert result.success
    assert result.result_for_solid(f"inc_{SIZE}").output_value() == SIZE


def test_failure_at_the_head_of_a_linear_chain_abandons_every_step_after_it():
    def define_and_run():
        dependencies = {"explode": {}}
        previous = "explode"
        for index in range(SIZE):
            dependencies[SolidInvocation("inc", f"inc_{index}")] = {
                "x": DependencyDefinition(previous)}
            previous = f"inc_{index}"
        chain = PipelineDefinition([explode, inc], "failing_chain", dependencies=dependencies)
        return execute_pipeline(chain, raise_on_error=False, instance=recorder)

    recorder = InMemoryRunRecorder()
    result = run_with_small_stack(define_and_run)

    assert [e.step_key for e in result.event_list if e.is_step_start] == ["explode"]
    assert result.event_list[-1].is_pipeline_failure
    assert result.event_list[-1].event_specific_data.error is None
    abandoned = [entry for entry in recorder.all_logs(result.run_id)
                 if entry.user_message.endswith("Not executing.")]
    assert len(abandoned) == SIZE


def test_wide_fan_out_and_fan_in_is_defined_planned_and_run():
    @solid(input_defs=[InputDefinition("values", List[int])])
    def total(values):
        return sum(values)

    def define_and_run():
        dependencies = {"start": {}}
        for index in range(SIZE):
            dependencies[SolidInvocation("inc", f"inc_{index}")] = {
                "x": DependencyDefinition("start")}
        dependencies["total"] = {"values": MultiDependencyDefinition(
            [DependencyDefinition(f"inc_{index}") for index in range(SIZE)])}
        wide = PipelineDefinition([start, inc, total], "wide", dependencies=dependencies)
        return execute_pipeline(wide)

    result = run_with_small_stack(define_and_run)

    assert result.success
    assert result.result_for_solid("total").output_value() == SIZE
