"""Repositories: a named collection of pipelines, schedules, sensors and partition sets."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.partition import PartitionSetDefinition
from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.schedule import ScheduleDefinition
from headwater.definitions.sensor import SensorDefinition
from headwater.definitions.utils import check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError


class RepositoryDefinition(FrozenDefinition):
    """Pipelines, schedules, sensors and partition sets by name; pipelines given as
    functions are built on first use.

    Args:
        name: The repository's name.
        pipelines: ``{name: PipelineDefinition or fn() -> PipelineDefinition}``.
        description: A human-readable description.
        schedules / sensors / partition_sets: Their definitions (or functions returning
            them, as legacy repositories give them), by name.
    """

    def __init__(self, name: str,
                 pipelines: Mapping[str, PipelineDefinition | Callable[[], PipelineDefinition]],
                 description: str | None = None,
                 schedules: Mapping[str, ScheduleDefinition | Callable[[], Any]] | None = None,
                 sensors: Mapping[str, SensorDefinition | Callable[[], Any]] | None = None,
                 partition_sets: Mapping[str, PartitionSetDefinition | Callable[[], Any]]
                 | None = None) -> None:
        self.name = check_valid_name(name, "repository name")
        self.description = description
        self._pipelines: dict[str, Any] = dict(pipelines)
        # Unlike pipelines these are built at once: the repository checks, here, that each
        # one runs a pipeline it has, and building a schedule costs little.
        self._schedules: dict[str, ScheduleDefinition] = _built(
            self.name, schedules, ScheduleDefinition, "schedule")
        self._sensors: dict[str, SensorDefinition] = _built(
            self.name, sensors, SensorDefinition, "sensor")
        self._partition_sets: dict[str, PartitionSetDefinition] = _built(
            self.name, partition_sets, PartitionSetDefinition, "partition set")
        for schedule in self._schedules.values():
            if schedule.partition_set is not None:
                self._partition_sets.setdefault(schedule.partition_set.name,
                                                schedule.partition_set)
        for kind, items in (("schedule", self._schedules), ("sensor", self._sensors),
                            ("partition set", self._partition_sets)):
            for item in items.values():
                if item.pipeline_name != "*" and item.pipeline_name not in self._pipelines:
                    raise HeadwaterInvalidDefinitionError(
                        f'Repository "{self.name}": {kind} "{item.name}" runs pipeline '
                        f'"{item.pipeline_name}", which the repository does not have '
                        f"(pipelines: {', '.join(self._pipelines) or 'none'}).")

    @property
    def pipeline_names(self) -> list[str]:
        return list(self._pipelines)

    def has_pipeline(self, name: str) -> bool:
        return name in self._pipelines

    def get_pipeline(self, name: str) -> PipelineDefinition:
        """The pipeline named ``name``, built now if it was given lazily."""
        if name not in self._pipelines:
            raise HeadwaterInvalidDefinitionError(
                f'Repository "{self.name}" has no pipeline "{name}" (it has: '
                f"{', '.join(self._pipelines) or 'none'})."
            )
        value = self._pipelines[name]
        if not isinstance(value, PipelineDefinition):
            built = value()
            if not isinstance(built, PipelineDefinition):
                raise HeadwaterInvalidDefinitionError(
                    f'Repository "{self.name}": the function for pipeline "{name}" returned '
                    f"{built!r}, not a PipelineDefinition."
                )
            if built.name != name:
                raise HeadwaterInvalidDefinitionError(
                    f'Repository "{self.name}": the function for pipeline "{name}" built a '
                    f'pipeline named "{built.name}".'
                )
            self._pipelines[name] = value = built
        return value

    def get_all_pipelines(self) -> list[PipelineDefinition]:
        return [self.get_pipeline(name) for name in self._pipelines]

    @property
    def schedule_defs(self) -> list[ScheduleDefinition]:
        return list(self._schedules.values())

    def has_schedule_def(self, name: str) -> bool:
        return name in self._schedules

    def get_schedule_def(self, name: str) -> ScheduleDefinition:
        return _named(self._schedules, name, "schedule", self.name)

    @property
    def sensor_defs(self) -> list[SensorDefinition]:
        return list(self._sensors.values())

    def has_sensor_def(self, name: str) -> bool:
        return name in self._sensors

    def get_sensor_def(self, name: str) -> SensorDefinition:
        return _named(self._sensors, name, "sensor", self.name)

    @property
    def partition_set_defs(self) -> list[PartitionSetDefinition]:
        return list(self._partition_sets.values())

    def get_partition_set_def(self, name: str) -> PartitionSetDefinition:
        return _named(self._partition_sets, name, "partition set", self.name)

    def __repr__(self) -> str:
        return f"<RepositoryDefinition {self.name!r}>"


def _built(repository_name: str, items: Mapping[str, Any] | None, cls: type[Any],
           kind: str) -> dict[str, Any]:
    """``items`` with every function (a legacy lazy definition) called and checked."""
    built: dict[str, Any] = {}
    for name, value in (items or {}).items():
        if not isinstance(value, cls) and callable(value):
            value = value()
        if not isinstance(value, cls):
            raise HeadwaterInvalidDefinitionError(
                f'Repository "{repository_name}": {kind} "{name}" is {value!r}, not a '
                f"{cls.__name__} (or a function returning one).")
        if value.name != name:
            raise HeadwaterInvalidDefinitionError(
                f'Repository "{repository_name}": {kind} "{name}" is named "{value.name}"; '
                "use its name as the key.")
        built[name] = value
    return built


def _named(items: Mapping[str, Any], name: str, kind: str, repository_name: str) -> Any:
    try:
        return items[name]
    except KeyError:
        raise HeadwaterInvalidDefinitionError(
            f'Repository "{repository_name}" has no {kind} "{name}" (it has: '
            f"{', '.join(items) or 'none'}).") from None


_LIST_KINDS = ((PipelineDefinition, "pipelines"), (ScheduleDefinition, "schedules"),
               (SensorDefinition, "sensors"), (PartitionSetDefinition, "partition_sets"))


def repository(name: Any = None, description: str | None = None) -> Any:
    """Define a repository from a function returning a list of pipelines, schedules,
    sensors and partition sets, or a dict ``{"pipelines": {name: pipeline_or_fn},
    "schedules": {...}, "sensors": {...}, "partition_sets": {...}}`` (pipeline functions are
    called only when needed)."""

    def build(fn: Callable[[], Any], repo_name: str | None) -> RepositoryDefinition:
        returned = fn()
        where = f'Repository "{repo_name or fn.__name__}"'
        collected: dict[str, dict[str, Any]] = {kind: {} for _, kind in _LIST_KINDS}
        if isinstance(returned, (list, tuple)):
            for item in returned:
                kind = next((k for cls, k in _LIST_KINDS if isinstance(item, cls)), None)
                if kind is None:
                    raise HeadwaterInvalidDefinitionError(
                        f"{where} returned {item!r} in its list; it may list pipelines, "
                        "schedules, sensors and partition sets.")
                if item.name in collected[kind]:
                    raise HeadwaterInvalidDefinitionError(
                        f'{where} lists two {kind.replace("_", " ")} named "{item.name}".')
                collected[kind][item.name] = item
        elif isinstance(returned, Mapping):
            unknown = set(returned) - set(collected)
            if unknown:
                raise HeadwaterInvalidDefinitionError(
                    f"{where} returned a dict with unknown keys {sorted(unknown)}; it may have "
                    f"{sorted(collected)}.")
            for kind in collected:
                collected[kind] = dict(returned.get(kind, {}))
        else:
            raise HeadwaterInvalidDefinitionError(
                f"{where} must return a list of definitions or a dict "
                '{"pipelines": {name: pipeline or fn}, "schedules": {...}, ...}, '
                f"not {returned!r}.")
        return RepositoryDefinition(repo_name or fn.__name__, collected["pipelines"],
                                    description or inspect.getdoc(fn),
                                    collected["schedules"], collected["sensors"],
                                    collected["partition_sets"])

    if callable(name):
        return build(name, None)
    return lambda fn: build(fn, name)
