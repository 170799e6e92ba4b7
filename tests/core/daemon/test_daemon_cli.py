"""``headwater daemon run`` and ``headwater daemon status``."""

import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from headwater.cli import cli
from headwater.execution.events import SerializableErrorInfo
from headwater.instance import Instance
from headwater.instance.records import DaemonHeartbeat


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_daemon_run_refuses_an_instance_that_keeps_runs_in_memory(headwater_home):
    with open(os.path.join(headwater_home, "headwater.yaml"), "w") as settings:
        settings.write("run_storage: in_memory\nevent_log_storage: in_memory\n")
    result = invoke("daemon", "run", "--once")
    assert result.exit_code == 2
    assert "The daemon cannot run on the instance" in result.stderr
    assert "keeps runs in memory" in result.stderr


def test_daemon_run_once_does_each_duty_once_and_status_shows_its_heartbeat():
    assert invoke("daemon", "run", "--once").exit_code == 0
    result = invoke("daemon", "status")
    assert result.exit_code == 0
    [row] = [line for line in result.stdout.splitlines() if line.startswith("run_monitor")]
    assert row.split()[1] == "ok"


def test_daemon_status_shows_duties_that_never_ran_and_the_last_error_of_a_failing_one():
    with Instance.get() as instance:
        error = SerializableErrorInfo("RuntimeError: the warehouse is down", [], "RuntimeError")
        instance.add_daemon_heartbeat(DaemonHeartbeat("run_monitor", "d-1", time.time(), error))
    with open(os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"), "w") as settings:
        settings.write("run_coordinator: queued\n")
    lines = invoke("daemon", "status").stdout.splitlines()
    [monitor] = [line for line in lines if line.startswith("run_monitor")]
    [queue] = [line for line in lines if line.startswith("run_queue")]
    assert "failing" in monitor and "RuntimeError: the warehouse is down" in monitor
    assert "not running" in queue and "never" in queue


def test_daemon_run_runs_its_duties_until_sigterm():
    process = subprocess.Popen([sys.executable, "-m", "headwater", "daemon", "run"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        with Instance.get() as instance:
            while "run_monitor" not in instance.get_daemon_heartbeats():
                assert time.monotonic() < deadline, "the daemon recorded no heartbeat"
                time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "run_monitor (every 5s)" in stdout
    assert "Stopping the daemon" in stdout
