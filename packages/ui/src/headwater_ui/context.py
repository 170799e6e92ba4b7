"""What every page and endpoint of the UI works from: the instance and the workspace."""

from __future__ import annotations

import os
import secrets
import sys
import threading
from collections.abc import Callable
from typing import Any

from headwater import HeadwaterCodeLoadError
from headwater.integration import Workspace


class UIContext:
    """The instance the UI reads and writes, the code it shows, and its secrets.

    Args:
        instance: The opened instance (the same ``$HEADWATER_HOME`` as the CLI and daemon).
        load_workspace: Loads the code (``-w``/``-f``/``-m``); called at start and on reload.
            None shows runs only.
        auth_token: When set, every request must carry it (cookie, bearer header or
            ``?token=`` once).
    """

    def __init__(self, instance: Any, load_workspace: Callable[[], Workspace] | None = None,
                 auth_token: str | None = None) -> None:
        self.instance = instance
        self._load_workspace = load_workspace
        self.auth_token = auth_token or None
        # Pages carry it; POSTs must send it back in a header a cross-site form cannot set.
        self.csrf_token = secrets.token_urlsafe(24)
        self._lock = threading.Lock()
        self._workspace: Workspace | None = None
        self._workspace_error: str | None = None

    @property
    def workspace(self) -> Workspace:
        """The loaded code (loaded on first use; an empty workspace when none was given)."""
        with self._lock:
            if self._workspace is None:
                self._workspace = self._load()
            return self._workspace

    @property
    def workspace_error(self) -> str | None:
        """Why the workspace file itself did not load (locations keep their own errors)."""
        self.workspace  # noqa: B018 - loads it
        return self._workspace_error

    def reload(self) -> Workspace:
        """Load the code again (after it changed)."""
        with self._lock:
            if self._workspace is not None:
                _forget_modules(self._workspace)
            self._workspace = None
        return self.workspace

    def _load(self) -> Workspace:
        self._workspace_error = None
        if self._load_workspace is None:
            return Workspace([])
        try:
            return self._load_workspace()
        except HeadwaterCodeLoadError as error:
            self._workspace_error = str(error)
            return Workspace([])

    def find_repository(self, location: str, repository: str) -> Any:
        """The loaded repository ``repository`` of location ``location``, or None."""
        for place in self.workspace.locations:
            if place.name == location:
                for loaded in place.repositories:
                    if loaded.name == repository:
                        return loaded
        return None

    def find_pipeline_for_run(self, pipeline_name: str) -> tuple[Any, str] | None:
        """``(loaded repository, pipeline name)`` of the first repository offering a pipeline
        of this name, or None."""
        for place in self.workspace.locations:
            for loaded in place.repositories:
                if loaded.definition.has_pipeline(pipeline_name):
                    return loaded, pipeline_name
        return None


def _forget_modules(workspace: Workspace) -> None:
    """Drop the locations' modules from ``sys.modules``, so that loading them again runs
    their code again (a module already imported would otherwise be reused as it was)."""
    files = {os.path.abspath(location.spec.python_file) for location in workspace.locations
             if location.spec.python_file}
    names = {location.spec.module_name for location in workspace.locations
             if location.spec.module_name}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name in names or (path is not None and os.path.abspath(path) in files):
            del sys.modules[name]
