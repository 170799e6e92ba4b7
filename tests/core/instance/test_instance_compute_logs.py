"""Compute logs: a step's stdout and stderr, captured at the file-descriptor level.

Each capture runs in a child process, so that pytest's own capture of this process's
output is not in the way.
"""

import subprocess
import sys
import textwrap

import pytest

from headwater.errors import HeadwaterInvariantViolationError
from headwater.instance.compute_logs import LocalComputeLogManager, NoOpComputeLogManager


def _run(base_dir, body, tee=True):
    script = textwrap.dedent("""
        import ctypes, os, subprocess, sys
        from headwater.instance.compute_logs import LocalComputeLogManager
        manager = LocalComputeLogManager({base_dir!r}, tee={tee})
    """).format(base_dir=str(base_dir), tee=tee) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)


def test_python_prints_are_captured_per_step(tmp_path):
    _run(tmp_path, """
        with manager.capture("run1", "load"):
            print("loading rows")
            print("careful", file=sys.stderr)
    """)
    logs = LocalComputeLogManager(str(tmp_path)).read_logs("run1", "load")
    assert (logs.stdout, logs.stderr) == ("loading rows\n", "careful\n")


def test_log_path_writes_a_file_per_step_and_stream(tmp_path):
    _run(tmp_path, """
        with manager.capture("run1", "load"):
            print("x")
    """)
    manager = LocalComputeLogManager(str(tmp_path))
    with open(manager.log_path("run1", "load", "out")) as out, \
            open(manager.log_path("run1", "load", "err")) as err:
        assert (out.read(), err.read()) == ("x\n", "")


def test_steps_of_one_run_share_open_files_and_keep_their_own_output(tmp_path):
    _run(tmp_path, """
        for step in ("a", "b", "a"):
            with manager.capture("run1", step):
                print(f"from {step}")
    """)
    manager = LocalComputeLogManager(str(tmp_path))
    assert manager.read_logs("run1", "a").stdout == "from a\nfrom a\n"
    assert manager.read_logs("run1", "b").stdout == "from b\n"
    names = sorted(p.suffix for p in (tmp_path / "run1" / "compute_logs").iterdir())
    assert names == [".err", ".index", ".out"]


def test_output_of_subprocesses_is_captured(tmp_path):
    _run(tmp_path, """
        with manager.capture("run1", "shell"):
            subprocess.run(["sh", "-c", "echo from a subprocess; echo oops >&2"], check=True)
    """)
    logs = LocalComputeLogManager(str(tmp_path)).read_logs("run1", "shell")
    assert (logs.stdout, logs.stderr) == ("from a subprocess\n", "oops\n")


def test_output_written_below_python_is_captured(tmp_path):
    _run(tmp_path, """
        with manager.capture("run1", "native"):
            os.write(1, b"raw fd write\\n")
            ctypes.CDLL(None).printf(b"from C stdio\\n")
    """)
    logs = LocalComputeLogManager(str(tmp_path)).read_logs("run1", "native")
    assert logs.stdout == "raw fd write\nfrom C stdio\n"


def test_captured_output_still_reaches_the_terminal(tmp_path):
    result = _run(tmp_path, """
        print("before")
        with manager.capture("run1", "load"):
            print("during")
        print("after")
    """)
    assert result.stdout == "before\nduring\nafter\n"
    assert LocalComputeLogManager(str(tmp_path)).read_logs("run1", "load").stdout == "during\n"


def test_without_tee_captured_output_does_not_reach_the_terminal(tmp_path):
    result = _run(tmp_path, """
        with manager.capture("run1", "load"):
            print("during")
        print("after")
    """, tee=False)
    assert result.stdout == "after\n"
    assert LocalComputeLogManager(str(tmp_path)).read_logs("run1", "load").stdout == "during\n"


def test_a_second_attempt_of_a_step_appends_to_its_logs(tmp_path):
    _run(tmp_path, """
        for attempt in (1, 2):
            with manager.capture("run1", "flaky"):
                print(f"attempt {attempt}")
    """)
    logs = LocalComputeLogManager(str(tmp_path)).read_logs("run1", "flaky")
    assert logs.stdout == "attempt 1\nattempt 2\n"


def test_output_is_restored_when_the_step_raises(tmp_path):
    result = _run(tmp_path, """
        try:
            with manager.capture("run1", "boom"):
                print("inside")
                raise ValueError("boom")
        except ValueError:
            print("outside")
    """, tee=False)
    assert result.stdout == "outside\n"


def test_logs_of_a_step_that_printed_nothing_are_empty(tmp_path):
    logs = LocalComputeLogManager(str(tmp_path)).read_logs("run1", "never_ran")
    assert (logs.stdout, logs.stderr) == ("", "")


def test_noop_manager_captures_nothing():
    manager = NoOpComputeLogManager()
    with manager.capture("run1", "load"):
        pass
    assert manager.read_logs("run1", "load").stdout == ""


def test_a_process_captures_one_step_at_a_time(tmp_path):
    manager = LocalComputeLogManager(str(tmp_path), tee=False)
    assert LocalComputeLogManager._capturing.acquire(blocking=False)
    try:
        with pytest.raises(HeadwaterInvariantViolationError, match='step "load"'), \
                manager.capture("run1", "load"):
            pass
    finally:
        LocalComputeLogManager._capturing.release()
