"""PagerDuty: which runs page, by pipeline, run tag and severity."""

import os
import shutil

import headwater_pagerduty
from headwater import Instance, execute_pipeline, pipeline, solid

os.makedirs(os.environ["HEADWATER_HOME"], exist_ok=True)
shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "filters.yaml"),
            os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"))


@solid
def charge() -> int:
    raise ConnectionError("the payment provider is down")


@pipeline
def billing():
    charge()


# [start:run]
with Instance.get() as instance:
    execute_pipeline(billing, instance=instance, raise_on_error=False,
                     tags={"env": "staging"})                        # not prod: no page
    execute_pipeline(billing, instance=instance, raise_on_error=False,
                     tags={"env": "prod"})                           # warning: no page
    execute_pipeline(billing, instance=instance, raise_on_error=False,
                     tags={"env": "prod", "pagerduty/severity": "critical"})   # pages
# [end:run]

assert headwater_pagerduty.flush(timeout=30)
