"""Docs and scripts that once said something no longer true."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return [ROOT / name for name in names
            if name.endswith((".py", ".md", ".toml", ".yaml", ".cfg"))]


def test_no_file_cites_a_design_document_the_repository_lacks():
    if (ROOT / "DESIGN.md").exists():
        return
    citing = [p.relative_to(ROOT).as_posix() for p in _tracked_text_files()
              if p.exists() and "DESIGN.md" in p.read_text(encoding="utf-8")
              and p.name != "test_docs_stale.py"]
    assert citing == []


def test_the_execution_docs_do_not_say_the_cli_cannot_run_the_multiprocess_executor():
    text = (ROOT / "docs" / "concepts" / "execution.md").read_text()
    assert "cannot run this executor" not in text


def test_the_instance_docs_name_the_compute_log_files_in_use():
    text = (ROOT / "docs" / "instance.md").read_text()
    assert "<pid>.out" in text
    assert "compute_logs/<step_key>.out` and `.err`" not in text


def test_ci_fails_on_a_missing_interpreter_and_installs_nox_in_a_venv_of_its_own():
    script = (ROOT / ".ci" / "run").read_text()
    assert "--error-on-missing-interpreters" in script
    assert "python3 -m venv" in script
