"""Which duties the daemon of an instance runs.

The run monitor always; the run queue when the instance's run coordinator is ``queued``;
the scheduler, the sensors and the backfills for the code of a workspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.duty import DaemonDuty
from headwater.daemon.run_monitor import RunMonitorDuty
from headwater.daemon.run_queue import RunQueueDuty
from headwater.daemon.scheduler import SchedulerDuty
from headwater.daemon.sensors import SensorDuty
from headwater.instance.run_coordinator import QueuedRunCoordinator

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import Workspace


def required_duties(instance: Instance, workspace: Workspace | None = None) -> list[DaemonDuty]:
    """The duties ``headwater daemon run`` runs for ``instance`` (and, given a workspace,
    for the schedules, sensors and backfills of its code)."""
    duties: list[DaemonDuty] = [RunMonitorDuty.for_instance(instance)]
    coordinator = instance.run_coordinator
    if isinstance(coordinator, QueuedRunCoordinator):
        duties.append(RunQueueDuty(coordinator))
    if workspace is not None:
        duties.extend([SchedulerDuty(workspace), SensorDuty(workspace),
                       BackfillDuty(workspace)])
    return duties
