"""``import headwater`` loads the definitions alone; execution, the instance and the CLI load
on first use of one of their names. A run through the CLI on a SQLite instance loads no
SQLAlchemy or migration tool."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import headwater

# The folders of the core that a module defining pipelines needs, and nothing else.
ALLOWED_CORE_MODULES = ("headwater.config", "headwater.definitions", "headwater.types")
# headwater.metadata: the metadata entries that definitions (Output, AssetMaterialization) take.
ALLOWED_CORE_FILES = {"headwater", "headwater.allocation", "headwater.errors", "headwater.lazy", "headwater.metadata", "headwater.records",
                      "headwater.serdes",
                      "headwater.version"}
# What belongs to the instance, the CLI, the plugins or an executor: loaded where used.
HEAVY_MODULES = ("sqlalchemy", "alembic", "yaml", "click", "rich", "pluggy", "sqlite3",
                 "multiprocessing", "asyncio", "importlib.metadata", "tempfile", "ssl",
                 "subprocess", "concurrent", "uuid", "socket",
                 # what schedules (calendar, locale), stored outputs (pickle), retry
                 # jitter (random) and a run's loggers (logging) need, loaded with them
                 "calendar", "locale", "pickle", "random", "logging")
# Definitions a module that defines and runs pipelines does not need: loaded on first use.
LAZY_DEFINITIONS = ("headwater.definitions.partition", "headwater.definitions.schedule",
                    "headwater.definitions.sensor", "headwater.definitions.repository",
                    "headwater.definitions.file_manager", "headwater.metadata_entries")
HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello_headwater.py"
# `headwater pipeline execute -f hello_headwater.py`, printing at exit the modules it loaded.
CLI_RUN = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))
sys.argv = ["headwater", "pipeline", "execute", "-f", sys.argv[1]]
from headwater.cli import main
main()
"""


def _modules_loaded_by(code):
    program = (f"import sys\nbefore = set(sys.modules)\n{code}\n"
               "import json\nprint(json.dumps(sorted(set(sys.modules) - before)))")
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True,
                               text=True, check=True)
    return json.loads(completed.stdout)


def test_importing_headwater_loads_only_definitions_config_and_types():
    loaded = _modules_loaded_by("import headwater")
    outside = [name for name in loaded if name.startswith("headwater")
               and name not in ALLOWED_CORE_FILES
               and not name.startswith(ALLOWED_CORE_MODULES)]
    assert outside == []


def test_importing_headwater_loads_no_heavy_module():
    loaded = _modules_loaded_by("import headwater")
    heavy = [name for name in loaded
             if any(name == module or name.startswith(module + ".") for module in HEAVY_MODULES)]
    assert heavy == []


def test_schedules_sensors_repositories_and_legacy_entries_load_on_first_use():
    loaded = _modules_loaded_by("import headwater")
    assert [name for name in LAZY_DEFINITIONS if name in loaded] == []
    assert "headwater.definitions.schedule" in _modules_loaded_by(
        "import headwater\nheadwater.schedule")


def test_a_lazy_name_loads_its_module_on_first_use():
    loaded = _modules_loaded_by("import headwater\nheadwater.execute_pipeline")
    assert "headwater.execution.api" in loaded


def test_every_published_name_resolves():
    missing = [name for name in headwater.__all__ if getattr(headwater, name, None) is None]
    assert missing == []


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_name"):
        headwater.no_such_name  # noqa: B018


def _modules_loaded_by_a_cli_run(home):
    completed = subprocess.run([sys.executable, "-c", CLI_RUN, str(HELLO)],
                               capture_output=True, text=True, check=True,
                               env={**os.environ, "HEADWATER_HOME": str(home)})
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _sql_toolkits(modules):
    return [name for name in modules if name.split(".")[0] in ("sqlalchemy", "alembic")]


def test_a_run_on_an_existing_sqlite_instance_loads_no_sqlalchemy_or_alembic(tmp_path):
    _modules_loaded_by_a_cli_run(tmp_path)  # creates the instance's database
    loaded = _modules_loaded_by_a_cli_run(tmp_path)
    assert "sqlite3" in loaded  # the run was recorded, in SQLite
    assert _sql_toolkits(loaded) == []


def test_creating_a_sqlite_instance_loads_no_sqlalchemy_or_alembic(tmp_path):
    loaded = _modules_loaded_by_a_cli_run(tmp_path)
    assert (tmp_path / "history" / "headwater.db").exists()
    assert _sql_toolkits(loaded) == []


def test_running_a_file_of_pipelines_loads_no_workspace_repository_or_schedules(tmp_path):
    # -f of a file that defines pipelines only: workspaces, repositories, schedules and
    # sensors belong to -w, to files that define repositories, and to the daemon.
    loaded = _modules_loaded_by_a_cli_run(tmp_path)
    assert "headwater.execution.code_pointer" in loaded  # the file was loaded
    assert [name for name in loaded if name in (
        "headwater.workspace.locations", "headwater.workspace.workspace",
        "headwater.definitions.repository", "headwater.definitions.schedule",
        "headwater.definitions.sensor", "headwater.definitions.partition")] == []
