"""examples/dask_or_local.py runs unchanged in-process and on Dask: only the run config
file given to the command line differs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from headwater.instance import Instance

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.timeout(90)
@pytest.mark.parametrize(("config", "steps_elsewhere"), [("local.yaml", False),
                                                         ("dask.yaml", True)])
def test_the_example_runs_in_process_or_on_dask_by_its_config_file(tmp_path, config,
                                                                   steps_elsewhere):
    completed = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute",
         "-f", str(EXAMPLES / "dask_or_local.py"), "-c", str(EXAMPLES / "dask_config" / config)],
        capture_output=True, text=True, timeout=80, cwd=tmp_path,
        env={**os.environ, "HEADWATER_HOME": str(tmp_path)})

    assert completed.returncode == 0, completed.stderr
    assert "report: 17984 primes in all, counted in 8 steps" in completed.stdout
    assert "10 steps: 10 succeeded, 0 failed" in completed.stdout
    with Instance.from_config(str(tmp_path)) as instance:
        (run,) = instance.get_runs()
        events = [e.headwater_event for e in instance.all_logs(run.run_id) if e.headwater_event]
    driver = next(e.pid for e in events if e.event_type_value == "PIPELINE_START")
    step_pids = {e.pid for e in events if e.event_type_value == "STEP_START"}
    assert len(step_pids) == (2 if steps_elsewhere else 1)
    assert (driver in step_pids) is not steps_elsewhere
