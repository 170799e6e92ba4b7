"""Launching runs: each in a process of its own, through the run coordinator; canceling."""

import os
import shutil
import tempfile
import time

from headwater import (
    Field,
    ModeDefinition,
    PipelineRunStatus,
    fs_io_manager,
    pipeline,
    reconstructable,
    solid,
)
from headwater.daemon import DaemonController, required_duties
from headwater.instance import Instance


@solid(config_schema={"seconds": Field(float, default_value=0.0)})
def extract(context) -> int:
    time.sleep(context.solid_config["seconds"])
    return 42


@solid
def load(context, rows: int) -> None:
    context.log.info(f"loaded {rows} rows")


# Each step's output goes to disk, where the run's own process finds it.
@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def nightly():
    load(extract())


def wait_for(instance, run_id, *statuses):
    deadline = time.monotonic() + 60
    while (run := instance.get_run_by_id(run_id)).status not in statuses:
        assert time.monotonic() < deadline, f"run {run_id} is still {run.status}"
        time.sleep(0.1)
    return run


ENDED = (PipelineRunStatus.SUCCESS, PipelineRunStatus.FAILURE, PipelineRunStatus.CANCELED)

# The launched process loads this file to find the pipeline: only its own run starts runs.
if __name__ == "__main__":
    # Keep this example's runs out of the reader's own $HEADWATER_HOME.
    os.environ["HEADWATER_HOME"] = tempfile.mkdtemp()

    # [start:launch]
    with Instance.get() as instance:
        run = instance.create_run_for_pipeline(reconstructable(nightly))  # checks the config
        run = instance.submit_run(run.run_id)     # the default coordinator launches it now
        assert run.status == PipelineRunStatus.STARTING

        run = wait_for(instance, run.run_id, *ENDED)
        assert run.status == PipelineRunStatus.SUCCESS
        assert run.tags["headwater/pid"] != str(os.getpid())   # it ran in its own process
    # [end:launch]

    # [start:cancel]
    with Instance.get() as instance:
        slow = instance.create_run_for_pipeline(
            reconstructable(nightly), run_config={"solids": {"extract": {"config": {
                "seconds": 60}}}})
        instance.submit_run(slow.run_id)
        wait_for(instance, slow.run_id, PipelineRunStatus.STARTED)

        run = instance.cancel_run(slow.run_id, grace_seconds=10)   # SIGTERM, then SIGKILL
        assert run.status == PipelineRunStatus.CANCELED
    # [end:cancel]

    queued_home = tempfile.mkdtemp()
    shutil.copy(os.path.join(os.path.dirname(__file__), "config", "headwater_queued.yaml"),
                os.path.join(queued_home, "headwater.yaml"))
    # [start:queue]
    with Instance.from_config(queued_home) as instance:   # run_coordinator: queued
        run = instance.create_run_for_pipeline(reconstructable(nightly),
                                               tags={"headwater/priority": "5"})
        assert instance.submit_run(run.run_id).status == PipelineRunStatus.QUEUED

        # What `headwater daemon run` does every dequeue_interval_seconds:
        DaemonController(instance, required_duties(instance)).run_once()
        assert wait_for(instance, run.run_id, *ENDED).status == PipelineRunStatus.SUCCESS
        kinds = [entry.event_type.value for entry in instance.all_logs(run.run_id)
                 if entry.event_type is not None and entry.step_key is None][:3]
        assert kinds == ["PIPELINE_ENQUEUED", "PIPELINE_DEQUEUED", "PIPELINE_STARTING"]
    # [end:queue]
