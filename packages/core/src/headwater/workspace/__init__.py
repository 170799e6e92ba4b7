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

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.lazy import lazy_names

# name -> module. The names load on first use: the command line reads the default
# workspace file's name from here on every start, and loads workspaces (with repositories,
# schedules and sensors) only when it is given one.
_LAZY = {
    "LocationSpec": "headwater.workspace.config",
    "load_workspace_file": "headwater.workspace.config",
    "parse_workspace": "headwater.workspace.config",
    "BARE_PIPELINES_REPOSITORY": "headwater.workspace.locations",
    "CodeLocation": "headwater.workspace.locations",
    "LoadedRepository": "headwater.workspace.locations",
    "load_location": "headwater.workspace.locations",
    "Workspace": "headwater.workspace.workspace",
}

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

__getattr__, __dir__ = lazy_names(__name__, _LAZY)

if TYPE_CHECKING:
    from headwater.workspace.config import LocationSpec, load_workspace_file, parse_workspace
    from headwater.workspace.locations import (
        BARE_PIPELINES_REPOSITORY,
        CodeLocation,
        LoadedRepository,
        load_location,
    )
    from headwater.workspace.workspace import Workspace
