"""Which duties the daemon of an instance runs.

The run monitor always; the run queue when the instance's run coordinator is ``queued``.
Duties of other features (schedules, sensors) are added here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.daemon.duty import DaemonDuty
from headwater.daemon.run_monitor import RunMonitorDuty
from headwater.daemon.run_queue import RunQueueDuty
from headwater.instance.run_coordinator import QueuedRunCoordinator

if TYPE_CHECKING:
    from headwater.instance import Instance


def required_duties(instance: Instance) -> list[DaemonDuty]:
    """The duties ``headwater daemon run`` runs for ``instance``."""
    duties: list[DaemonDuty] = [RunMonitorDuty.for_instance(instance)]
    coordinator = instance.run_coordinator
    if isinstance(coordinator, QueuedRunCoordinator):
        duties.append(RunQueueDuty(coordinator))
    return duties
