"""Pipelines the PagerDuty tests run. ``nightly`` fails while the environment variable
NIGHTLY_SHOULD_FAIL is set, so that one pipeline can fail and then succeed."""

from __future__ import annotations

import os

from headwater import ModeDefinition, RetryPolicy, pipeline, resource, solid


@solid
def load() -> int:
    if os.environ.get("NIGHTLY_SHOULD_FAIL"):
        raise ValueError("the source table is missing")
    return 3


@solid
def publish(rows: int) -> int:
    return rows


@pipeline
def nightly():
    publish(load())


@solid(retry_policy=RetryPolicy(max_retries=2))
def flaky(context) -> int:
    if context.retry_number == 0:
        raise ConnectionError("the service timed out")
    return 1


@pipeline
def retrying():
    publish(flaky())


@solid(retry_policy=RetryPolicy(max_retries=1))
def always_down() -> int:
    raise ConnectionError("the service is down")


@pipeline
def exhausting():
    publish(always_down())


@resource
def broken_warehouse(_init_context):
    raise RuntimeError("the warehouse refused the connection")


@solid(required_resource_keys={"warehouse"})
def query(context) -> int:
    return 1



@pipeline(mode_defs=[ModeDefinition(resource_defs={"warehouse": broken_warehouse})])
def unreachable_warehouse():
    query()
