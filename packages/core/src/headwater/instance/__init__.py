"""The instance: where runs, their events, schedules, compute logs and outputs are kept.

``Instance.get()`` opens the one of ``$HEADWATER_HOME`` (``~/.headwater``), configured by
its ``headwater.yaml``; ``Instance.ephemeral()`` keeps everything in memory;
``instance_for_test()`` gives a test its own. Importing this package imports no database
library: storage modules load when an instance is opened.
"""

from headwater.instance.instance import Instance
from headwater.instance.records import (
    EventLogRecord,
    RunRecord,
    RunsFilter,
    RunStats,
    RunStepStats,
    StepEventStatus,
)
from headwater.instance.ref import InstanceRef
from headwater.instance.testing import instance_for_test

__all__ = [
    "EventLogRecord",
    "Instance",
    "InstanceRef",
    "RunRecord",
    "RunStats",
    "RunStepStats",
    "RunsFilter",
    "StepEventStatus",
    "instance_for_test",
]
