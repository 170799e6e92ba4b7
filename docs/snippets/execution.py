"""Concepts: execution."""

from headwater import (
    Backoff,
    HeadwaterEventType,
    HookExecutionResult,
    Jitter,
    ModeDefinition,
    Output,
    OutputDefinition,
    ResourceDefinition,
    RetryPolicy,
    RetryRequested,
    create_execution_plan,
    event_list_hook,
    execute_pipeline,
    execute_pipeline_iterator,
    failure_hook,
    fs_io_manager,
    pipeline,
    reexecute_pipeline,
    solid,
    success_hook,
)
from headwater.execution.selection import select_solids
from headwater.instance import instance_for_test


# [start:branching]
@solid
def a() -> int:
    return 1


@solid
def b(x: int) -> int:
    return x + 1


@solid
def c(x: int) -> int:
    return x + 2


@solid
def d(x: int, y: int) -> int:
    return x + y


@solid
def e(x: int) -> int:
    return x * 10


@pipeline
def branching():
    #      ┌─ b ─┐
    #  a ──┤     ├─ d ── e
    #      └─ c ─┘
    first = a()
    e(d(b(first), c(first)))
# [end:branching]


# [start:plan]
plan = create_execution_plan(branching)
assert plan.step_keys == ["a", "b", "c", "d", "e"]
assert plan.get_all_step_deps()["d"] == {"b", "c"}
assert plan.get_steps_to_execute_by_level() == [["a"], ["b", "c"], ["d"], ["e"]]
# [end:plan]


def selected(*clauses: str) -> list[str]:
    return sorted(select_solids(branching, list(clauses)))


# The selection table of execution.md, checked:
assert selected("d") == ["d"]
assert selected("*d") == ["a", "b", "c", "d"]
assert selected("d*") == ["d", "e"]
assert selected("+d") == ["b", "c", "d"]
assert selected("++e") == ["b", "c", "d", "e"]
assert selected("a+") == ["a", "b", "c"]
assert selected("a++") == ["a", "b", "c", "d"]
assert selected("*c+") == ["a", "c", "d"]
assert selected("b", "c") == ["b", "c"]
assert selected("b,c") == ["b", "c"]

# [start:selection]
result = execute_pipeline(
    branching,
    solid_selection=["a++"],              # a, b, c (one edge away) and d (two edges away)
)
assert sorted(result.events_by_step_key) == ["a", "b", "c", "d"]
# [end:selection]


# [start:failure]
@solid(output_defs=[OutputDefinition(int, "found", is_required=False)])
def find():
    match = None                           # e.g. a lookup that found nothing
    if match is not None:                  # "found" is optional: yield it only when there
        yield Output(match, "found")       # is a value (returning None would produce None)


@solid
def use(found: int) -> int:
    return found


@solid
def explode() -> int:
    raise ValueError("source table missing")


@solid
def after(x: int) -> int:
    return x


@solid
def independent() -> int:
    return 7


@pipeline
def outcomes():
    use(find())              # skipped: its input was not produced
    after(explode())         # explode fails; after is abandoned (never started)
    independent()            # unaffected: still runs


result = execute_pipeline(outcomes, raise_on_error=False)
assert not result.success
assert result.result_for_solid("use").skipped
assert not result.result_for_solid("explode").success
assert result.result_for_solid("after").step_events == []       # abandoned: no step events
assert result.result_for_solid("independent").success
# [end:failure]

try:
    execute_pipeline(outcomes)
except ValueError as error:                 # raise_on_error=True: the solid's own error
    assert str(error) == "source table missing"

attempts: list[int] = []


# [start:retries]
@solid(retry_policy=RetryPolicy(max_retries=3, delay=0.01, backoff=Backoff.EXPONENTIAL,
                                jitter=Jitter.PLUS_MINUS))
def flaky(context) -> str:
    attempts.append(context.retry_number)            # 0, then 1, then 2
    if context.retry_number < 2:
        raise ConnectionError("service unavailable")
    return "ok"


@solid
def polite(context) -> str:
    try:
        return call_service()
    except ConnectionError as error:
        raise RetryRequested(max_retries=2, seconds_to_wait=0.01) from error
# [end:retries]


def call_service() -> str:
    return "ok"


@pipeline
def retrying():
    flaky()
    polite()


result = execute_pipeline(retrying)
assert attempts == [0, 1, 2]
assert result.result_for_solid("flaky").retry_attempts == 2

attempts.clear()
# [start:retries-disabled]
result = execute_pipeline(retrying, raise_on_error=False, run_config={
    "execution": {"in_process": {"config": {"retries": {"disabled": {}}}}}})
assert not result.result_for_solid("flaky").success            # no second attempt
# [end:retries-disabled]
assert attempts == [0]

notes: list[str] = []


# [start:hooks]
@success_hook
def on_success(context):
    notes.append(f"{context.step_key} ok: {context.solid_output_values}")


@failure_hook(required_resource_keys={"alerts"})
def on_failure(context):
    context.resources.alerts.append(f"{context.step_key} failed: {context.solid_exception}")


@event_list_hook
def count_events(context, event_list):
    notes.append(f"{context.step_key}: {len(event_list)} events")
    return HookExecutionResult("count_events")


alerts: list[str] = []


@pipeline(
    mode_defs=[ModeDefinition(resource_defs={
        "alerts": ResourceDefinition.hardcoded_resource(alerts)})],
    hook_defs={on_failure},                     # every step of the pipeline
)
def hooked():
    after.with_hooks({on_success, count_events})(a())   # one invocation
    explode()


execute_pipeline(hooked, raise_on_error=False)
assert notes == ["after: 6 events", "after ok: {'result': 1}"]   # hooks run in name order
assert alerts == ["explode failed: source table missing"]
# [end:hooks]


# [start:events]
for event in execute_pipeline_iterator(branching, solid_selection=["a"]):
    print(event.event_type_value, event.step_key, event.message)
# [end:events]

kinds = [ev.event_type for ev in execute_pipeline_iterator(branching, solid_selection=["a"])]
assert kinds == [
    HeadwaterEventType.PIPELINE_START, HeadwaterEventType.STEP_START,
    HeadwaterEventType.STEP_OUTPUT, HeadwaterEventType.HANDLED_OUTPUT,
    HeadwaterEventType.STEP_SUCCESS, HeadwaterEventType.PIPELINE_SUCCESS]


# [start:results]
result = execute_pipeline(branching)
assert result.success
assert result.output_for_solid("e") == 50
solid_result = result.result_for_solid("d")
assert solid_result.output_value() == 5
assert solid_result.output_values == {"result": 5}
assert [ev.event_type_value for ev in solid_result.step_events][:3] == [
    "STEP_START", "LOADED_INPUT", "STEP_INPUT"]
assert result.output_values["b"] == {"result": 2}
# [end:results]

broken = {"fail": True}


# [start:reexecution]
@solid
def extract_rows() -> list[int]:
    return [1, 2, 3]


@solid
def transform_rows(rows: list[int]) -> list[int]:
    if broken["fail"]:
        raise RuntimeError("bug in transform")
    return [r * 2 for r in rows]


@solid
def load_rows(rows: list[int]) -> int:
    return len(rows)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def etl():
    load_rows(transform_rows(extract_rows()))


with instance_for_test() as instance:
    first = execute_pipeline(etl, instance=instance, raise_on_error=False)
    assert not first.success
    broken["fail"] = False                   # ... fix the bug, then:
    retry = reexecute_pipeline(etl, first.run_id, instance=instance, from_failure=True)
    assert retry.success
    assert sorted(retry.events_by_step_key) == ["load_rows", "transform_rows"]
    run = instance.get_run_by_id(retry.run_id)
    assert run.parent_run_id == run.root_run_id == first.run_id

    # Or pick steps with the selection grammar, over step keys:
    again = reexecute_pipeline(etl, retry.run_id, instance=instance,
                               step_selection=["transform_rows*"])
    assert again.output_for_solid("load_rows") == 3
# [end:reexecution]
