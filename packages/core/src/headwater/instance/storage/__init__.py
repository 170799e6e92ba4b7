"""Run, event-log and schedule storage: the interfaces, and their SQL implementations.

Importing this package imports no database library; ``headwater.instance.storage.sqlite``
and the modules it uses do.
"""

from headwater.instance.storage.base import EventLogStorage, RunStorage, ScheduleStorage

__all__ = ["EventLogStorage", "RunStorage", "ScheduleStorage"]
