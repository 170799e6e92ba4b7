"""The instance: recording runs and querying them."""

import os
import shutil
import tempfile

from headwater import (
    AssetMaterialization,
    Output,
    PipelineRunStatus,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater.instance import Instance, RunsFilter

# Keep this example's instance out of the reader's own $HEADWATER_HOME.
home = tempfile.mkdtemp()
os.environ["HEADWATER_HOME"] = home
os.environ["HEADWATER_ARTIFACTS"] = os.path.join(home, "artifacts")
shutil.copy(os.path.join(os.path.dirname(__file__), "config", "headwater.yaml"), home)


@solid
def publish(context):
    context.log.info("publishing")
    yield AssetMaterialization(asset_key=["reports", "daily"])
    yield Output(1)


@pipeline(tags={"team": "finance"})
def reporting():
    publish()


# [start:record]
with Instance.get() as instance:                  # $HEADWATER_HOME, or ~/.headwater
    result = execute_pipeline(reporting, instance=instance)

    run = instance.get_run_by_id(result.run_id)
    assert run.status == PipelineRunStatus.SUCCESS
    for entry in instance.all_logs(result.run_id):
        print(entry.level, entry.step_key, entry.user_message)

    failed = instance.get_runs(RunsFilter(pipeline_name="reporting",
                                          statuses=[PipelineRunStatus.FAILURE]), limit=10)
    tagged = instance.get_runs(RunsFilter(tags={"team": "finance"}))
    assert failed == [] and [r.run_id for r in tagged] == [result.run_id]

    stats = instance.get_run_stats(result.run_id)
    assert (stats.steps_succeeded, stats.materializations) == (1, 1)
    [step] = instance.get_run_step_stats(result.run_id)
    assert step.step_key == "publish"

    assert instance.all_asset_keys()[0].path == ("reports", "daily")
    latest = instance.get_latest_materialization(["reports", "daily"])
    assert latest.run_id == result.run_id
# [end:record]

assert os.path.exists(os.path.join(home, "history", "headwater.db"))

# [start:ephemeral]
with Instance.ephemeral() as instance:          # in memory: gone with the process
    execute_pipeline(reporting, instance=instance)
    assert instance.get_runs_count() == 1
# [end:ephemeral]
