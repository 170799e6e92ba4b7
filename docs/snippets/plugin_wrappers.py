"""Plugins: wrappers that surround a run and each step (timing, tracing)."""

import time

from headwater import execute_pipeline, pipeline, solid
from headwater.integration import hookimpl
from headwater.plugins import get_plugin_manager


# [start:wrappers]
class Timer:
    """Times each run and each step: CPU time, which the time spent waiting does not blur."""

    def __init__(self) -> None:
        self.cpu_seconds: dict[str, float] = {}

    @hookimpl(wrapper=True)
    def headwater_run_wrapper(self, run):
        started = time.process_time()
        try:
            return (yield)                      # the run executes here
        finally:
            self.cpu_seconds[run.pipeline_name] = time.process_time() - started

    @hookimpl(wrapper=True, tryfirst=True)      # outermost: its time includes other wrappers
    def headwater_step_wrapper(self, step_key):
        started = time.process_time()
        try:
            return (yield)                      # the step executes here
        finally:
            self.cpu_seconds[step_key] = time.process_time() - started


timer = Timer()
get_plugin_manager().register(timer, "timer")
# [end:wrappers]


@solid
def fetch() -> list[int]:
    return list(range(10))


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


@pipeline
def totals():
    total(fetch())


# [start:run]
result = execute_pipeline(totals)
assert result.output_for_solid("total") == 45
assert sorted(timer.cpu_seconds) == ["fetch", "total", "totals"]
# [end:run]
