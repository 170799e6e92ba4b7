"""PagerDuty: a failed run opens its pipeline's incident, the next success resolves it."""

import os
import shutil

import headwater_pagerduty
from headwater import Field, Instance, execute_pipeline, pipeline, solid

# The instance's headwater.yaml is plugin.yaml (next to this file).
os.makedirs(os.environ["HEADWATER_HOME"], exist_ok=True)
shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugin.yaml"),
            os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"))


# [start:run]
@solid(config_schema={"table_exists": Field(bool, default_value=True)})
def load(context) -> int:
    if not context.solid_config["table_exists"]:
        raise ValueError("the source table is missing")
    return 3


@pipeline
def nightly():
    load()


missing = {"solids": {"load": {"config": {"table_exists": False}}}}
with Instance.get() as instance:          # its headwater.yaml enables the pagerduty plugin
    execute_pipeline(nightly, instance=instance, run_config=missing,
                     raise_on_error=False)                 # triggers "headwater/nightly"
    execute_pipeline(nightly, instance=instance)           # resolves it
# [end:run]

assert headwater_pagerduty.flush(timeout=30)
