"""Where the instance lives (``$HEADWATER_HOME``) and what ``headwater.yaml`` says.

Every key of ``headwater.yaml`` is optional; a missing file means the defaults (SQLite
under ``$HEADWATER_HOME``, compute logs on local disk). An unknown key is an error that
says what was probably meant.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater.config import Field, Permissive, ScalarUnion, Shape, process_config
from headwater.definitions.files import make_private_dirs
from headwater.errors import HeadwaterInstanceConfigError, HeadwaterInstanceError
from headwater.instance.components import COMPONENT_KINDS, DEFAULT_COMPONENTS, ComponentSpec

HOME_ENV_VAR = "HEADWATER_HOME"
SETTINGS_FILE = "headwater.yaml"

_COMPONENT = ScalarUnion(str, Shape({
    "name": Field(str, is_required=False, description="A built-in name, e.g. sqlite."),
    "module": Field(str, is_required=False, description="The module of the class."),
    "class": Field(str, is_required=False, description="The class, in module."),
    "config": Field(Permissive(), is_required=False, description="The part's config."),
}))
RUN_MONITORING_SCHEMA = Shape({
    "heartbeat_interval_seconds": Field(
        float, default_value=5.0,
        description="How often the process of a run writes the run's heartbeat."),
    "heartbeat_timeout_seconds": Field(
        float, default_value=30.0,
        description="A run in progress whose process wrote no heartbeat for longer is marked "
                    "failed by the daemon."),
    "poll_interval_seconds": Field(
        float, default_value=5.0,
        description="How often the daemon checks the runs in progress."),
})
SCHEDULER_SCHEMA = Shape({
    "max_catchup_runs": Field(
        int, default_value=5,
        description="When a schedule has several tick times due at once (the daemon was "
                    "stopped), how many of the latest the daemon runs; older ones are "
                    "skipped."),
})
DAEMON_SCHEMA = Shape({
    "lease_seconds": Field(
        float, default_value=20.0,
        description="One daemon at a time works for the instance: it holds a lease in "
                    "storage, renewed every third of this; a standby daemon takes over once "
                    "the lease is this old."),
})
SETTINGS_SCHEMA = Shape({
    **{kind: Field(_COMPONENT, is_required=False) for kind in COMPONENT_KINDS},
    "plugins": Field(Permissive(), is_required=False,
                     description="Lifecycle plugins to enable: {name: {config: ...}}."),
    "run_monitoring": Field(RUN_MONITORING_SCHEMA, is_required=False,
                            description="How the daemon notices runs whose process died."),
    "scheduler": Field(SCHEDULER_SCHEMA, is_required=False,
                       description="How the daemon ticks schedules."),
    "daemon": Field(DAEMON_SCHEMA, is_required=False,
                    description="How daemons share the instance."),
})


@dataclass(frozen=True)
class RunMonitoringSettings:
    """How runs in progress are watched (``run_monitoring`` in ``headwater.yaml``).

    Attributes:
        heartbeat_interval_seconds: How often a run's process writes its heartbeat.
        heartbeat_timeout_seconds: How long without one before the run is marked failed.
        poll_interval_seconds: How often the daemon's run monitor looks.
    """

    heartbeat_interval_seconds: float = 5.0
    heartbeat_timeout_seconds: float = 30.0
    poll_interval_seconds: float = 5.0


@dataclass(frozen=True)
class SchedulerSettings:
    """How the daemon ticks schedules (``scheduler`` in ``headwater.yaml``).

    Attributes:
        max_catchup_runs: When a schedule has several tick times due at once (the daemon
            was stopped), how many of the latest the daemon runs (at least 1).
    """

    max_catchup_runs: int = 5


@dataclass(frozen=True)
class DaemonSettings:
    """How daemons share the instance (``daemon`` in ``headwater.yaml``).

    Attributes:
        lease_seconds: How long the lease of the active daemon lasts without renewal.
    """

    lease_seconds: float = 20.0


@dataclass(frozen=True)
class InstanceSettings:
    """Everything ``headwater.yaml`` says, checked whole (see :func:`check_settings`)."""

    specs: dict[str, ComponentSpec]
    run_monitoring: RunMonitoringSettings
    scheduler: SchedulerSettings
    daemon: DaemonSettings


def headwater_home() -> str:
    """The instance's folder: ``$HEADWATER_HOME``, else ``~/.headwater``; created if missing.

    A relative ``$HEADWATER_HOME`` is taken from the current directory and made absolute,
    so that other processes of a run find the same folder.
    """
    configured = os.environ.get(HOME_ENV_VAR)
    home = os.path.abspath(os.path.expanduser(configured or os.path.join("~", ".headwater")))
    if os.path.exists(home) and not os.path.isdir(home):
        source = f"${HOME_ENV_VAR}" if configured else "The default instance folder"
        raise HeadwaterInstanceError(
            f'{source} "{home}" exists but is not a directory. Set ${HOME_ENV_VAR} to a '
            "directory for the instance (it is created if missing).")
    try:
        make_private_dirs(home)
    except OSError as error:
        source = f"${HOME_ENV_VAR}" if configured else "The default instance folder"
        raise HeadwaterInstanceError(
            f'{source} "{home}" cannot be created: {error.strerror or error}. Set '
            f"${HOME_ENV_VAR} to a folder the user running Headwater can write (a path "
            "whose parents are folders, on a file system that is not read-only).") from None
    return home


def settings_path(home: str) -> str:
    """The path of ``headwater.yaml`` in ``home``."""
    return os.path.join(home, SETTINGS_FILE)


def load_settings(home: str) -> dict[str, Any]:
    """What ``headwater.yaml`` in ``home`` says, as written ({} when there is no file)."""
    path = settings_path(home)
    if not os.path.exists(path):
        return {}
    import yaml

    try:
        with open(path, encoding="utf-8") as file:
            loaded = yaml.safe_load(file)
    except yaml.YAMLError as error:
        raise HeadwaterInstanceError(
            f"{path} is not valid YAML: {error}. Fix the file (or remove it to use the "
            "defaults).") from error
    except UnicodeDecodeError as error:
        from headwater.config.files import not_utf8

        raise HeadwaterInstanceError(not_utf8(path, error)) from None
    except OSError as error:
        raise HeadwaterInstanceError(
            f"{path} cannot be read ({error.strerror or error}). Give the user running "
            f"Headwater read access to it (ls -l {path}).") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise HeadwaterInstanceError(
            f"{path} must be a mapping of settings (run_storage: ..., compute_logs: ...), "
            f"but it holds a {type(loaded).__name__}.")
    return loaded


def check_settings(settings: Mapping[str, Any], where: str) -> InstanceSettings:
    """Check all of ``headwater.yaml`` at once: its keys and values against the schema (with
    a did-you-mean for misspelled keys), how each part is chosen, the config of every part
    that is given one or chosen by class (the run coordinator's and launcher's included),
    and the timings. Nothing is built.

    Raises:
        HeadwaterInstanceConfigError: With every mistake found, each naming its key.
    """
    specs = component_specs(settings, where)
    problems: list[Any] = []
    for spec in specs.values():
        problems.extend(_component_problems(spec, where))
    monitoring = RunMonitoringSettings(**_section(RUN_MONITORING_SCHEMA, settings, "run_monitoring"))
    if monitoring.heartbeat_timeout_seconds <= monitoring.heartbeat_interval_seconds:
        problems.append(
            f"run_monitoring.heartbeat_timeout_seconds ({monitoring.heartbeat_timeout_seconds}) "
            f"must be longer than heartbeat_interval_seconds "
            f"({monitoring.heartbeat_interval_seconds}), or runs whose process is alive would "
            "be marked failed. Make the timeout a few intervals long.")
    scheduler = SchedulerSettings(**_section(SCHEDULER_SCHEMA, settings, "scheduler"))
    if scheduler.max_catchup_runs < 1:
        problems.append(
            f"scheduler.max_catchup_runs is {scheduler.max_catchup_runs}; it is how many of the "
            "tick times due at once are run, so it is 1 or more (the current tick is always "
            "one of them).")
    daemon = DaemonSettings(**_section(DAEMON_SCHEMA, settings, "daemon"))
    if daemon.lease_seconds <= 0:
        problems.append(f"daemon.lease_seconds is {daemon.lease_seconds}; give a number of "
                        "seconds above 0 (20 is the default).")
    if problems:
        raise HeadwaterInstanceConfigError(
            f"Errors in the Headwater instance settings at {where}:", problems, settings)
    return InstanceSettings(specs, monitoring, scheduler, daemon)


def _section(schema: Shape, settings: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A section of the settings with its defaults filled (the schema was checked)."""
    value: dict[str, Any] = process_config(schema, dict(settings.get(key) or {})).value  # type: ignore[assignment]
    return value


def _component_problems(spec: ComponentSpec, where: str) -> list[Any]:
    """What is wrong with how a part is chosen and configured (importing its class only
    when it is not the default part with no config, which cannot be wrong)."""
    from headwater.instance.components import DEFAULT_COMPONENTS, component_class

    if spec.name == DEFAULT_COMPONENTS[spec.kind] and not spec.config:
        return []
    try:
        cls = component_class(spec, where)
    except HeadwaterInstanceError as error:
        return [str(error)]
    schema_of = getattr(cls, "config_schema", None)
    if schema_of is None or getattr(cls, "from_config", None) is None:
        return [f"{spec.kind} {spec.describe()} is not a configurable class: it needs the "
                "class methods config_schema() and from_config(config, context)."]
    result = process_config(schema_of(), dict(spec.config))
    return [f"{spec.kind} {spec.describe()}, under {spec.kind}.config: "
            f"{getattr(error, 'message', error)}" for error in result.errors]


def component_specs(settings: Mapping[str, Any], where: str) -> dict[str, ComponentSpec]:
    """Validate the settings and say how each part of the instance is chosen.

    Raises:
        HeadwaterInstanceConfigError: With every mistake found, each naming its key.
    """
    result = process_config(SETTINGS_SCHEMA, dict(settings))
    if not result.success:
        raise HeadwaterInstanceConfigError(
            f"Errors in the Headwater instance settings at {where}:", result.errors, settings)
    processed: dict[str, Any] = result.value  # type: ignore[assignment]
    specs: dict[str, ComponentSpec] = {}
    problems: list[str] = []
    for kind in COMPONENT_KINDS:
        value = processed.get(kind, DEFAULT_COMPONENTS[kind])
        if isinstance(value, str):
            specs[kind] = ComponentSpec(kind, name=value)
            continue
        name, module, class_name = value.get("name"), value.get("module"), value.get("class")
        config = value.get("config") or {}
        if name is not None and module is None and class_name is None:
            specs[kind] = ComponentSpec(kind, name=name, config=config)
        elif name is None and module is not None and class_name is not None:
            specs[kind] = ComponentSpec(kind, module=module, class_name=class_name,
                                        config=config)
        else:
            given = sorted(key for key in ("name", "module", "class") if key in value)
            problems.append(
                f"{kind} must be a built-in name ({kind}: {DEFAULT_COMPONENTS[kind]}, or "
                "{name: ..., config: {...}}) or a class ({module: ..., class: ..., "
                f"config: {{...}}}}), received the keys {given}.")
    if problems:
        raise HeadwaterInstanceConfigError(
            f"Errors in the Headwater instance settings at {where}:", problems, settings)
    return specs
