"""One daemon at a time: two ``headwater daemon run`` processes on one instance, the second
a standby that takes over when the first is killed; queued runs launched exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.cli import cli
from headwater.execution.reconstruct import ReconstructablePipeline
from headwater.instance import Instance

LEASE_SECONDS = 1.5
TINY = '''
from headwater import pipeline, solid


@solid
def one():
    return 1


@pipeline
def tiny():
    one()
'''


@pytest.fixture
def shared_home(headwater_home):
    Path(headwater_home, "headwater.yaml").write_text(
        f"daemon: {{lease_seconds: {LEASE_SECONDS}}}\n"
        "run_coordinator: {name: queued, config: {dequeue_interval_seconds: 0.2}}\n"
        "run_monitoring: {poll_interval_seconds: 0.2, heartbeat_interval_seconds: 0.5, "
        "heartbeat_timeout_seconds: 5}\n")
    return headwater_home


@pytest.fixture
def daemons():
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        process = subprocess.Popen([sys.executable, "-m", "headwater", "daemon", "run"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.communicate(timeout=30)


def _wait(check, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _holder(instance):
    lease = instance.get_daemon_lease()
    if lease is None or time.time() - lease.renewed > LEASE_SECONDS:
        return None
    return lease


def test_a_second_daemon_waits_and_takes_over_when_the_first_is_killed(shared_home, daemons):
    first = daemons()
    with Instance.get() as instance:
        held = _wait(lambda: _holder(instance), 30, "the first daemon to take the lease")
        assert held.pid == first.pid
        second = daemons()
        time.sleep(LEASE_SECONDS * 2)
        assert _holder(instance).pid == first.pid
        working = {h.daemon_id for h in instance.get_daemon_heartbeats().values()}
        assert working == {held.daemon_id}

        status = CliRunner().invoke(cli, ["daemon", "status"]).stdout
        assert f"Lease: daemon {held.daemon_id} (pid {first.pid}" in status

        os.kill(first.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        taken = _wait(lambda: (lambda lease: lease if lease and lease.pid == second.pid
                               else None)(_holder(instance)),
                      30, "the standby to take the lease over")
        # Bounded: the lease runs out, then the standby's next try (every sixth of it) wins.
        assert time.monotonic() - killed_at < LEASE_SECONDS * 3 + 5
        _wait(lambda: any(h.daemon_id == taken.daemon_id
                          for h in instance.get_daemon_heartbeats().values()),
              30, "the new daemon's duties to run")


def test_two_daemons_on_one_instance_launch_each_queued_run_exactly_once(
        shared_home, daemons, tmp_path):
    code = tmp_path / "tiny_pipelines.py"
    code.write_text(TINY)
    pointer = ReconstructablePipeline({"python_file": str(code), "pipeline_name": "tiny"})
    with Instance.get() as instance:
        run_ids = []
        for _ in range(6):
            run = instance.create_run_for_pipeline(pointer)
            instance.submit_run(run.run_id)
            run_ids.append(run.run_id)
        daemons(), daemons()

        def all_finished():
            return all(instance.get_run_by_id(run_id).is_finished for run_id in run_ids)

        _wait(all_finished, 120, "every queued run to finish")
        for run_id in run_ids:
            assert instance.get_run_by_id(run_id).status.value == "SUCCESS"
            assert len(instance.all_logs(run_id, of_type="PIPELINE_STARTING")) == 1
            assert len(instance.all_logs(run_id, of_type="PIPELINE_START")) == 1


def test_daemon_run_once_does_nothing_while_another_daemon_holds_the_lease(shared_home,
                                                                         daemons):
    first = daemons()
    with Instance.get() as instance:
        _wait(lambda: _holder(instance), 30, "the daemon to take the lease")
    result = CliRunner().invoke(cli, ["daemon", "run", "--once"])
    assert result.exit_code == 0
    assert f"(pid {first.pid} on" in result.stdout and "--once did nothing" in result.stdout
