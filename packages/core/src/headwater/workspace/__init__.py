"""Workspaces: several code locations, each offering repositories, loaded together.

A ``workspace.yaml`` lists where code is (Python files and modules); the command line
(``-w workspace.yaml``) and the daemon load every location it names::

    load_from:
      - python_file: repos/orders.py
      - python_file: {relative_path: repos/ml.py, attribute: ml_repo, location_name: ml,
                      working_directory: repos}
      - python_module: my_project.repository

Schedules, sensors and partition sets are known by their repository's name and their own,
so a repository name is offered by one location only.
"""

from headwater.workspace.config import LocationSpec, load_workspace_file, parse_workspace
from headwater.workspace.locations import (
    BARE_PIPELINES_REPOSITORY,
    CodeLocation,
    LoadedRepository,
    load_location,
)
from headwater.workspace.workspace import Workspace

__all__ = [
    "BARE_PIPELINES_REPOSITORY",
    "CodeLocation",
    "LoadedRepository",
    "LocationSpec",
    "Workspace",
    "load_location",
    "load_workspace_file",
    "parse_workspace",
]
