"""The daemon's controller: every duty iterates, each records a heartbeat, a duty that
raises records its error and the others go on."""

import threading
import time

import pytest

from headwater.daemon import (
    DaemonController,
    DaemonDuty,
    RunMonitorDuty,
    RunQueueDuty,
    required_duties,
)
from headwater.instance import instance_for_test


class Counting(DaemonDuty):
    """Counts its iterations and the times it was given; raises while ``failing``."""

    def __init__(self, name, interval_seconds=60.0, failing=False):
        self.name = name
        self.interval_seconds = interval_seconds
        self.failing = failing
        self.times = []
        self.threads = set()

    def run_iteration(self, instance, now):
        self.times.append(now)
        self.threads.add(threading.current_thread().name)
        if self.failing:
            raise RuntimeError(f"{self.name} cannot reach the warehouse")


@pytest.fixture
def instance():
    with instance_for_test() as instance:
        yield instance


def test_run_once_runs_every_duty_with_the_time_given_and_records_their_heartbeats(instance):
    duties = [Counting("a"), Counting("b")]
    controller = DaemonController(instance, duties, daemon_id="d-1", clock=lambda: 1000.0)
    assert controller.run_once(now=990.0) == {"a": None, "b": None}
    assert [duty.times for duty in duties] == [[990.0], [990.0]]
    heartbeats = instance.get_daemon_heartbeats()
    assert sorted(heartbeats) == ["a", "b"]
    assert (heartbeats["a"].daemon_id, heartbeats["a"].timestamp, heartbeats["a"].error) == (
        "d-1", 1000.0, None)


def test_a_duty_that_raises_records_its_error_and_the_other_duties_go_on(instance):
    failing, healthy = Counting("failing", failing=True), Counting("healthy")
    errors = DaemonController(instance, [failing, healthy]).run_once()
    assert "cannot reach the warehouse" in errors["failing"].message
    assert healthy.times
    heartbeats = instance.get_daemon_heartbeats()
    assert heartbeats["failing"].error.cls_name == "RuntimeError"
    assert heartbeats["healthy"].error is None


def test_the_next_good_iteration_of_a_duty_clears_its_error(instance):
    duty = Counting("flaky", failing=True)
    controller = DaemonController(instance, [duty])
    controller.run_once()
    duty.failing = False
    controller.run_once()
    assert instance.get_daemon_heartbeats()["flaky"].error is None


def test_started_duties_run_in_threads_of_their_own_until_stopped(instance):
    duties = [Counting("a", interval_seconds=0.01), Counting("b", interval_seconds=0.01)]
    with DaemonController(instance, duties) as controller:
        deadline = time.monotonic() + 10
        while min(len(duty.times) for duty in duties) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert controller.is_running
    assert not controller.is_running
    assert [duty.threads for duty in duties] == [{"headwater-daemon-a"},
                                                 {"headwater-daemon-b"}]
    counts = [len(duty.times) for duty in duties]
    time.sleep(0.05)
    assert [len(duty.times) for duty in duties] == counts


def test_the_run_monitor_is_always_a_duty_and_the_run_queue_only_with_a_queued_coordinator(
        tmp_path):
    with instance_for_test(temp_dir=str(tmp_path / "default")) as instance:
        assert [type(d) for d in required_duties(instance)] == [RunMonitorDuty]
    settings = {"run_coordinator": {"name": "queued", "config": {"dequeue_interval_seconds": 2}},
                "run_monitoring": {"poll_interval_seconds": 7}}
    (tmp_path / "queued").mkdir()
    with instance_for_test(settings, temp_dir=str(tmp_path / "queued")) as instance:
        monitor, queue = required_duties(instance)
    assert (type(monitor), monitor.interval_seconds) == (RunMonitorDuty, 7.0)
    assert (type(queue), queue.interval_seconds) == (RunQueueDuty, 2.0)
