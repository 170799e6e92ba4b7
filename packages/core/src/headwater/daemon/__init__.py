"""The daemon: the duties that run in the background for an instance.

``headwater daemon run`` runs them: the run monitor (runs whose process died end FAILURE),
with the queued run coordinator the run queue, and for the code of a workspace the
scheduler, the sensors and the backfills. Each duty runs in a thread of its own
and records a heartbeat in the instance after every iteration; ``headwater daemon status``
shows them. See :class:`DaemonDuty` to add a duty.
"""

from headwater.daemon.backfills import BackfillDuty
from headwater.daemon.controller import DaemonController
from headwater.daemon.duties import required_duties
from headwater.daemon.duty import DaemonDuty
from headwater.daemon.run_monitor import RunMonitorDuty
from headwater.daemon.run_queue import RunQueueDuty
from headwater.daemon.scheduler import SchedulerDuty
from headwater.daemon.sensors import SensorDuty

__all__ = ["BackfillDuty", "DaemonController", "DaemonDuty", "RunMonitorDuty", "RunQueueDuty",
           "SchedulerDuty", "SensorDuty", "required_duties"]
