"""Datadog: every run of an instance measured, with no pipeline code (the plugin)."""

import os
import shutil

import headwater_datadog
from headwater import Instance, execute_pipeline, pipeline, solid

# The instance's headwater.yaml is plugin.yaml (next to this file).
os.makedirs(os.environ["HEADWATER_HOME"], exist_ok=True)
shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugin.yaml"),
            os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"))


# [start:run]
@solid
def extract() -> list[int]:
    return [3, 1, 2]


@solid
def load(rows: list[int]) -> int:
    return len(rows)


@pipeline
def nightly():
    load(extract())


with Instance.get() as instance:          # its headwater.yaml enables the datadog plugin
    execute_pipeline(nightly, instance=instance)
# [end:run]

# [start:flush]
assert headwater_datadog.flush(timeout=10)   # True: everything sent
# [end:flush]
