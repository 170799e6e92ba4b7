"""The daemon: its duties, one iteration at a time, and a duty of your own."""

import os
import tempfile

from headwater import PipelineRunStatus
from headwater.daemon import DaemonController, DaemonDuty, required_duties
from headwater.instance import Instance, RunsFilter

# Keep this example's instance out of the reader's own $HEADWATER_HOME.
os.environ["HEADWATER_HOME"] = tempfile.mkdtemp()

WEEK = 7 * 24 * 3600


# [start:duty]
class PruneOldRuns(DaemonDuty):
    """Deletes the runs that ended more than a week ago, once an hour."""

    name = "prune_old_runs"
    interval_seconds = 3600.0

    def run_iteration(self, instance, now):
        ended = [PipelineRunStatus.SUCCESS, PipelineRunStatus.FAILURE,
                 PipelineRunStatus.CANCELED]
        for run in instance.get_runs(RunsFilter(statuses=ended, created_before=now - WEEK)):
            instance.delete_run(run.run_id)
# [end:duty]


# [start:run-once]
with Instance.get() as instance:
    controller = DaemonController(instance, [*required_duties(instance), PruneOldRuns()])
    errors = controller.run_once()               # each duty once, in this thread
    assert all(error is None for error in errors.values())

    heartbeat = instance.get_daemon_heartbeats()["prune_old_runs"]
    assert heartbeat.daemon_id == controller.daemon_id and heartbeat.error is None

    with controller:                             # each duty in a thread of its own...
        pass                                     # ...until the block ends
# [end:run-once]
