"""The task's process on the Headwater run, while the task runs its steps.

Like ``headwater pipeline execute``, a task records its process on the run (the tags
``headwater/pid`` and ``headwater/hostname``) and writes the run's heartbeat, so that the
daemon's run monitor fails the run when the task is killed where it cannot say so (SIGKILL:
out of memory, a lost worker). Unlike a run process, a task is one of several: between two
tasks of a DAG run no process executes the run, so a task that ends forgets its process
(the tags are emptied, which the monitor reads as no process recorded) and the run, still
STARTED while the next task waits, is not taken for one whose process died.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from headwater import Instance
from headwater.integration import RunHeartbeat, RunProcess


@contextlib.contextmanager
def recorded_process(instance: Instance, run_id: str) -> Iterator[None]:
    """While on, ``run_id`` records this process and its heartbeat; at the end, the process
    is forgotten unless another task has recorded its own since (tasks running at once)."""
    with RunHeartbeat(instance, run_id):
        try:
            yield
        finally:
            _forget(instance, run_id)


def _forget(instance: Instance, run_id: str) -> None:
    me = RunProcess.current()
    run = instance.get_run_by_id(run_id)
    if run is None or RunProcess.of(run) != me:
        return
    # A dead task would leave a live-looking record: this one ended, so it says so.
    with contextlib.suppress(Exception):
        instance.add_run_tags(run_id, dict.fromkeys(me.tags, ""))
