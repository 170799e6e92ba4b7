"""Retrying steps: RetryRequested from the solid, and retry policies with delays."""

import pytest

from headwater import (
    Backoff,
    DynamicOutput,
    DynamicOutputDefinition,
    Jitter,
    Output,
    OutputDefinition,
    RetryPolicy,
    RetryRequested,
    execute_pipeline,
    execute_solid,
    pipeline,
    solid,
)

RETRIES_DISABLED = {"execution": {"in_process": {"config": {"retries": {"disabled": {}}}}}}


def step_event_types(result):
    return [e.event_type_value for e in result.step_events]


def test_retry_requested_runs_the_step_again_until_it_succeeds():
    attempts = []

    @solid
    def flaky(context):
        attempts.append(context.retry_number)
        if context.retry_number < 2:
            raise RetryRequested(max_retries=3) from ValueError("transient")
        return "ok"

    result = execute_solid(flaky)

    assert result.output_value() == "ok"
    assert attempts == [0, 1, 2]
    assert result.retry_attempts == 2
    assert step_event_types(result) == [
        "STEP_START", "STEP_UP_FOR_RETRY", "STEP_RESTARTED", "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED", "STEP_OUTPUT", "HANDLED_OUTPUT", "STEP_SUCCESS"]


def test_up_for_retry_events_carry_the_number_of_the_coming_attempt():
    @solid
    def flaky(context):
        if context.retry_number < 2:
            raise RetryRequested(max_retries=2)

    result = execute_solid(flaky)

    retries = [e.event_specific_data.retry_number for e in result.step_events
               if e.is_step_up_for_retry]
    assert retries == [1, 2]


def test_retry_requested_beyond_max_retries_fails_the_step_with_the_cause():
    attempts = []

    @solid
    def broken(context):
        attempts.append(context.retry_number)
        raise RetryRequested(max_retries=2) from ValueError("still down")

    result = execute_solid(broken, raise_on_error=False)

    assert attempts == [0, 1, 2]
    assert result.failure_data.error.message == "ValueError: still down"
    assert result.failure_data.user_failure_data.description == "Exceeded max_retries of 2"
    assert result.failure_data.retry_number == 2


def test_retry_requested_beyond_max_retries_raises_the_cause():
    @solid
    def broken():
        raise RetryRequested(max_retries=1) from ValueError("still down")

    with pytest.raises(ValueError, match="still down"):
        execute_solid(broken)


def test_retry_requested_with_retries_disabled_fails_at_once():
    attempts = []

    @solid
    def broken(context):
        attempts.append(context.retry_number)
        raise RetryRequested(max_retries=3)

    result = execute_solid(broken, run_config=RETRIES_DISABLED, raise_on_error=False)

    assert attempts == [0]
    assert result.failure_data.user_failure_data.description == (
        "RetryRequested but retries are disabled")


def test_retry_policy_retries_any_exception_up_to_max_retries():
    attempts = []

    @solid(retry_policy=RetryPolicy(max_retries=2))
    def broken(context):
        attempts.append(context.retry_number)
        raise ValueError("nope")

    result = execute_solid(broken, raise_on_error=False)

    assert attempts == [0, 1, 2]
    assert step_event_types(result) == [
        "STEP_START", "STEP_UP_FOR_RETRY", "STEP_RESTARTED", "STEP_UP_FOR_RETRY",
        "STEP_RESTARTED", "STEP_FAILURE"]


def test_retry_policy_is_ignored_when_retries_are_disabled():
    attempts = []

    @solid(retry_policy=RetryPolicy(max_retries=2))
    def broken(context):
        attempts.append(context.retry_number)
        raise ValueError("nope")

    execute_solid(broken, run_config=RETRIES_DISABLED, raise_on_error=False)

    assert attempts == [0]


@pytest.mark.parametrize(("backoff", "waits"), [
    (None, [0.002, 0.002, 0.002]),
    (Backoff.LINEAR, [0.002, 0.004, 0.006]),
    (Backoff.EXPONENTIAL, [0.002, 0.006, 0.014]),
])
def test_retry_policy_delay_grows_with_its_backoff(backoff, waits):
    @solid(retry_policy=RetryPolicy(max_retries=3, delay=0.002, backoff=backoff))
    def broken():
        raise ValueError("nope")

    result = execute_solid(broken, raise_on_error=False)

    recorded = [e.event_specific_data.seconds_to_wait for e in result.step_events
                if e.is_step_up_for_retry]
    assert recorded == pytest.approx(waits)


def test_full_jitter_waits_at_most_the_backoff_delay():
    policy = RetryPolicy(max_retries=3, delay=0.5, backoff=Backoff.LINEAR, jitter=Jitter.FULL)

    waits = [policy.calculate_delay(2) for _ in range(200)]

    assert all(0 <= wait <= 1.0 for wait in waits)
    assert len(set(waits)) > 1


def test_plus_minus_jitter_stays_within_one_delay_of_the_backoff():
    policy = RetryPolicy(max_retries=3, delay=0.5, jitter=Jitter.PLUS_MINUS)

    waits = [policy.calculate_delay(1) for _ in range(200)]

    assert all(0 <= wait <= 1.0 for wait in waits)


def test_backoff_without_delay_is_rejected():
    with pytest.raises(Exception, match="need a delay"):
        RetryPolicy(max_retries=2, backoff=Backoff.LINEAR)


def _always_failing(attempts):
    @solid
    def broken(context):
        attempts.append(context.retry_number)
        raise ValueError("nope")

    return broken


def test_solid_retry_policy_wins_over_the_pipeline_policy():
    attempts = []

    @solid(retry_policy=RetryPolicy(max_retries=1))
    def broken(context):
        attempts.append(context.retry_number)
        raise ValueError("nope")

    @pipeline(solid_retry_policy=RetryPolicy(max_retries=3))
    def retried():
        broken()

    execute_pipeline(retried, raise_on_error=False)

    assert attempts == [0, 1]


def test_pipeline_policy_applies_to_solids_without_one():
    attempts = []
    broken = _always_failing(attempts)

    @pipeline(solid_retry_policy=RetryPolicy(max_retries=2))
    def retried():
        broken()

    execute_pipeline(retried, raise_on_error=False)

    assert attempts == [0, 1, 2]


def test_invocation_retry_policy_wins_over_solid_and_pipeline_policies():
    attempts = []

    @solid(retry_policy=RetryPolicy(max_retries=1))
    def broken(context):
        attempts.append(context.retry_number)
        raise ValueError("nope")

    @pipeline(solid_retry_policy=RetryPolicy(max_retries=3))
    def retried():
        broken.with_retry_policy(RetryPolicy(max_retries=2))()

    execute_pipeline(retried, raise_on_error=False)

    assert attempts == [0, 1, 2]


def test_dynamic_step_retried_after_yielding_maps_each_key_once():
    @solid(output_defs=[DynamicOutputDefinition(int)], retry_policy=RetryPolicy(max_retries=1))
    def emit(context):
        yield DynamicOutput(1, "one")
        yield DynamicOutput(2, "two")
        if context.retry_number == 0:
            raise ValueError("failed after yielding")

    @solid
    def double(x: int) -> int:
        return x * 2

    @solid
    def total(xs: list) -> int:
        return sum(xs)

    @pipeline
    def retried_fan_out():
        total(emit().map(double).collect())

    result = execute_pipeline(retried_fan_out)

    started = [e.step_key for e in result.event_list if e.is_step_start]
    assert started == ["emit", "double[one]", "double[two]", "total"]
    assert result.result_for_solid("total").output_value() == 6


def test_optional_output_of_a_failed_attempt_does_not_feed_downstream_steps():
    @solid(output_defs=[OutputDefinition(int, is_required=False)],
           retry_policy=RetryPolicy(max_retries=1))
    def sometimes(context):
        if context.retry_number == 0:
            yield Output(1)
            raise ValueError("failed after yielding")

    @solid
    def use(x):
        return x

    @pipeline
    def retried_optional():
        use(sometimes())

    result = execute_pipeline(retried_optional)

    assert result.result_for_solid("use").skipped
