"""Run launchers: how a run gets a process of its own.

``run_launcher`` in ``headwater.yaml`` chooses one; the built-in ``default`` starts, for
each run, a new process on this host::

    python -m headwater api execute-run --run-id RUN_ID --instance-ref ...

which loads the run from the instance, loads its pipeline from the run's pointer, and
executes it (see :mod:`headwater.instance.run_process`). What that process prints outside
its steps' compute logs goes to ``<storage>/<run_id>/process.log``.
"""

from __future__ import annotations

import abc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.definitions.events import normalize_metadata
from headwater.definitions.files import make_private_dirs, open_private
from headwater.errors import HeadwaterInstanceError
from headwater.execution.events import EngineEventData, HeadwaterEventType
from headwater.execution.run import PipelineRun
from headwater.instance.components import ComponentContext
from headwater.instance.run_process import RunProcess

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

PROCESS_LOG_FILE = "process.log"


class RunLauncher(abc.ABC):
    """Starts runs, each in a process (or a container, a job, ...) of its own."""

    @abc.abstractmethod
    def launch_run(self, instance: Instance, run: PipelineRun) -> PipelineRun:
        """Start executing a recorded run elsewhere; returns the run as it now stands
        (STARTING). A run that cannot be started is marked FAILURE, with the reason."""

    @abc.abstractmethod
    def terminate(self, instance: Instance, run: PipelineRun) -> bool:
        """Ask the run's process to stop (it then ends the run CANCELED); False when there is
        no process this launcher can reach."""


def process_log_path(instance: Instance, run_id: str) -> str:
    """Where the default launcher sends what a run's process prints outside its steps."""
    return os.path.join(instance.storage_directory(), run_id, PROCESS_LOG_FILE)


def execute_run_command(run_id: str, instance_ref: str) -> list[str]:
    """The command line of a run's process (``instance_ref`` serialized)."""
    return [sys.executable, "-m", "headwater", "api", "execute-run", "--run-id", run_id,
            "--instance-ref", instance_ref]


class DefaultRunLauncher(RunLauncher):
    """Starts each run in a new ``headwater api execute-run`` process on this host.

    The process runs in a session of its own, so that Ctrl-C in the terminal that launched
    it (or stopping the daemon) does not stop the run; ``headwater run cancel`` does.
    """

    def __init__(self) -> None:
        # The processes started here, until they are seen to end: polling them reaps them.
        self._children: dict[int, subprocess.Popen[bytes]] = {}

    def launch_run(self, instance: Instance, run: PipelineRun) -> PipelineRun:
        from headwater.serdes import serialize

        if not instance.is_persistent:
            raise HeadwaterInstanceError(
                f'Cannot launch run "{run.run_id}": the instance keeps runs in memory, where '
                "the run's own process cannot reach them. Use a persistent instance "
                "(Instance.get(), or instance_for_test() in tests).")
        if not run.pipeline_origin:
            raise HeadwaterInstanceError(
                f'Cannot launch run "{run.run_id}" of "{run.pipeline_name}": it records no '
                "pointer to its pipeline's code, so another process cannot load it. Create "
                "the run from a pipeline loaded from a file or module (-f/-m on the command "
                "line, reconstructable(...) in Python).")
        self._reap()
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_STARTING,
                                  f"Launching run {run.run_id} in a new process.")
        log_path = process_log_path(instance, run.run_id)
        command = execute_run_command(run.run_id, serialize(instance.get_ref()))
        try:
            make_private_dirs(os.path.dirname(log_path))
            with open_private(log_path, "ab") as log:
                child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as error:
            instance.report_run_failed(
                run, f"Could not start the process of run {run.run_id}: {error}", error)
            return instance.get_run_by_id(run.run_id) or run
        self._children[child.pid] = child
        process = RunProcess.local(child.pid)
        instance.add_run_tags(run.run_id, process.tags)
        instance.record_run_heartbeat(run.run_id, time.time())
        instance.report_engine_event(
            f"Started the process of run {run.run_id} ({process.describe()}); its output "
            f"outside steps goes to {log_path}.", run,
            EngineEventData(metadata=normalize_metadata(
                {"pid": process.pid, "hostname": process.hostname, "process log": log_path},
                "the launch event")))
        return instance.get_run_by_id(run.run_id) or run

    def terminate(self, instance: Instance, run: PipelineRun) -> bool:
        process = RunProcess.of(run)
        if process is None or not process.is_local:
            return False
        return process.signal(signal.SIGTERM)

    def _reap(self) -> None:
        for pid, child in list(self._children.items()):
            if child.poll() is not None:
                del self._children[pid]

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> DefaultRunLauncher:
        return cls()

