"""A throwaway plugin distribution, written into a temp dir as an installer would lay it out
(package + ``*.dist-info`` with METADATA and entry_points.txt) and put on sys.path."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from headwater.plugins import reset_plugin_manager

ACME_PLUGIN = '''
"""A test plugin: a resource, an executor, a logger, a CLI command and lifecycle hooks."""
import json
import os

import click

from headwater import ExecutorDefinition, resource
from headwater.definitions.executor import RetryMode
from headwater.execution.executors.in_process import InProcessExecutor
from headwater.plugins import hookimpl

CONFIG = {}


@resource(config_schema={"start": int})
def counter(init_context):
    return {"value": init_context.resource_config["start"]}


class MarkingExecutor(InProcessExecutor):
    def __init__(self, marker):
        super().__init__(RetryMode.ENABLED)
        self.marker = marker

    def execute(self, plan_context, execution_plan):
        with open(self.marker, "w") as f:
            f.write(str(os.getpid()))
        yield from super().execute(plan_context, execution_plan)


acme_executor = ExecutorDefinition(
    "acme_exec", config_schema={"marker": str},
    executor_creation_fn=lambda ctx: MarkingExecutor(ctx.executor_config["marker"]))


@hookimpl
def headwater_resources():
    return {"acme_counter": counter}


@hookimpl
def headwater_executors():
    return [acme_executor]


@hookimpl
def headwater_cli_commands():
    @click.group(name="acme")
    def acme():
        """Acme's commands."""

    @acme.command()
    def hello():
        click.echo("hello from acme")

    return [acme]


@hookimpl
def headwater_plugin_config_schema():
    return {"journal": str}


@hookimpl
def headwater_configure(config):
    CONFIG.update(config or {})


def _journal(record):
    path = CONFIG.get("journal") or os.environ["ACME_JOURNAL"]
    with open(path, "a") as f:
        f.write(json.dumps(record) + "\\n")


@hookimpl
def headwater_run_started(run):
    _journal({"hook": "run_started", "run_id": run.run_id})


@hookimpl
def headwater_step_started(step_key):
    _journal({"hook": "step_started", "step": step_key})


@hookimpl
def headwater_step_succeeded(run, step_key, duration_ms):
    _journal({"hook": "step_succeeded", "step": step_key, "ms": duration_ms})


@hookimpl
def headwater_step_failed(step_key, error):
    _journal({"hook": "step_failed", "step": step_key, "error": error.message})


@hookimpl
def headwater_run_succeeded(run):
    _journal({"hook": "run_succeeded", "run_id": run.run_id})


@hookimpl
def headwater_run_failed(run):
    _journal({"hook": "run_failed", "run_id": run.run_id})
'''

MISSPELLED_PLUGIN = '''
from headwater.plugins import hookimpl

@hookimpl
def headwater_resorces():
    return {}
'''

BROKEN_PLUGIN = '''
raise ImportError("acme-broken needs a library that is not installed")
'''


def write_distribution(site: Path, dist_name: str, version: str, module: str, source: str,
                       entry_point: str) -> None:
    """Lay out a distribution the way an installer would."""
    package = site / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(source))
    info = site / f"{dist_name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[headwater]\n{entry_point} = {module}\n")
    (info / "RECORD").write_text("")


@pytest.fixture
def plugin_site(tmp_path, monkeypatch):
    """A site dir holding acme-plugin 0.3.1 (good), acme-misspelled and acme-broken."""
    site = tmp_path / "site"
    site.mkdir()
    write_distribution(site, "acme-plugin", "0.3.1", "acme_plugin", ACME_PLUGIN, "acme")
    write_distribution(site, "acme-misspelled", "1.0", "acme_misspelled", MISSPELLED_PLUGIN,
                       "misspelled")
    write_distribution(site, "acme-broken", "2.0", "acme_broken", BROKEN_PLUGIN, "broken")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.delenv("HEADWATER_DISABLE_PLUGINS", raising=False)
    monkeypatch.setenv("ACME_JOURNAL", str(tmp_path / "journal.jsonl"))
    importlib.invalidate_caches()
    reset_plugin_manager()
    yield site
    for name in ("acme_plugin", "acme_misspelled", "acme_broken"):
        sys.modules.pop(name, None)
    reset_plugin_manager()
