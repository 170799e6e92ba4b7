"""Pipelines the Datadog tests run: one that succeeds, one that fails, one that retries."""

from __future__ import annotations

from headwater import ModeDefinition, RetryPolicy, fs_io_manager, pipeline, resource, solid


@solid
def extract() -> int:
    return 3


@solid
def double(number: int) -> int:
    return number * 2


@pipeline
def doubling():
    double(extract())


@solid
def broken() -> int:
    raise ValueError("the source table is missing")


@pipeline
def breaking():
    double(broken())


@solid(retry_policy=RetryPolicy(max_retries=2))
def flaky(context) -> int:
    if context.retry_number == 0:
        raise ConnectionError("the service timed out")
    return 1


@pipeline
def retrying():
    double(flaky())


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def doubling_in_processes():
    double(extract())


@resource
def broken_warehouse(_init_context):
    raise RuntimeError("the warehouse refused the connection")


@solid(required_resource_keys={"warehouse"})
def query(context) -> int:
    return 1


@pipeline(mode_defs=[ModeDefinition(resource_defs={"warehouse": broken_warehouse})])
def unreachable_warehouse():
    query()
