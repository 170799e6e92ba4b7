"""The ``plugins:`` section of headwater.yaml: which lifecycle plugins run, with what config.

    plugins:
      datadog:
        config: {api_key: {env: DD_API_KEY}}

Each entry names an installed plugin; its ``config`` is validated against the schema the
plugin declares (``headwater_plugin_config_schema``) and handed to it
(``headwater_configure``) before any of its lifecycle hooks runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from headwater.config import process_config
from headwater.errors import HeadwaterInstanceConfigError


def configure_plugins(entries: Mapping[str, Any] | None, where: str) -> tuple[str, ...]:
    """Validate and apply the ``plugins:`` settings; return the names of enabled plugins.

    Raises:
        HeadwaterInstanceConfigError: every unknown plugin and invalid config, each with its
            path (``plugins.<name>.config...``).
    """
    if not entries:
        return ()
    from headwater.plugins import get_plugin_manager

    manager = get_plugin_manager()
    loaded = {name: info for name, info in manager.plugins.items() if info.status == "loaded"}
    problems: list[str] = []
    configured: list[tuple[str, Any]] = []
    for name, entry in entries.items():
        info = loaded.get(name)
        if info is None:
            close = difflib.get_close_matches(name, list(loaded), n=1)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            problems.append(f'plugins.{name}: no installed plugin is named "{name}".{hint} '
                            f"Installed: {', '.join(sorted(loaded))}.")
            continue
        entry = entry or {}
        if not isinstance(entry, Mapping) or set(entry) - {"config"}:
            problems.append(f"plugins.{name}: expected {{config: ...}}, received {entry!r}.")
            continue
        value = entry.get("config")
        schema = manager.config_schema(name)
        if schema is not None:
            result = process_config(schema, value)
            if not result.success:
                problems.extend(f"plugins.{name}.config: {error.message}"
                                for error in result.errors)
                continue
            value = result.value
        configured.append((name, value))
    if problems:
        raise HeadwaterInstanceConfigError(
            f"Errors in the plugins section of the Headwater instance settings at {where}:",
            problems, dict(entries))
    for name, value in configured:
        manager.configure(name, value)
    return tuple(name for name, _ in configured)
