"""The command line as users start it: the ``headwater`` script and ``python -m headwater``,
each in a process of its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

HELLO = Path(__file__).resolve().parents[3] / "examples" / "hello_headwater.py"
SCRIPT = Path(sys.executable).parent / "headwater"


def run(*command: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          timeout=60, check=False)


def test_the_headwater_script_runs_a_pipeline_file():
    completed = run(SCRIPT, "pipeline", "execute", "-f", HELLO)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1].startswith("✓ hello_headwater succeeded in ")
    assert "    greet: Hello, Headwater!" in completed.stdout
    assert completed.stderr == ""


def test_python_dash_m_headwater_is_the_same_command_line():
    completed = run(sys.executable, "-m", "headwater", "pipeline", "execute", "-f", HELLO)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1].startswith("✓ hello_headwater succeeded in ")


def test_python_dash_m_headwater_lists_the_command_groups():
    completed = run(sys.executable, "-m", "headwater", "--help")
    assert completed.returncode == 0
    assert re.search(r"\n  pipeline +Run, list and describe pipelines\.", completed.stdout)


def test_a_failing_run_exits_1_and_a_config_error_exits_2_on_stderr(tmp_path):
    failing = tmp_path / "failing.py"
    failing.write_text(
        "from headwater import pipeline, solid\n\n"
        "@solid\ndef explode(context) -> None:\n    raise RuntimeError('boom')\n\n"
        "@pipeline\ndef exploding():\n    explode()\n")
    assert run(SCRIPT, "pipeline", "execute", "-f", failing).returncode == 1
    config = tmp_path / "bad.yaml"
    config.write_text("solids: {exlpode: {}}\n")
    completed = run(SCRIPT, "pipeline", "execute", "-f", failing, "-c", config)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Error in config for pipeline \"exploding\"" in completed.stderr
