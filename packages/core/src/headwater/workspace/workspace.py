"""A loaded workspace: its locations and their repositories, and lookups by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from headwater.config.render import suggest
from headwater.definitions.partition import PartitionSetDefinition
from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.schedule import ScheduleDefinition
from headwater.definitions.sensor import SensorDefinition
from headwater.errors import HeadwaterCodeLoadError
from headwater.execution.code_pointer import PipelineCatalog
from headwater.workspace.config import LocationSpec, load_workspace_file
from headwater.workspace.locations import (
    BARE_PIPELINES_REPOSITORY,
    CodeLocation,
    LoadedRepository,
    load_location,
)


class Workspace:
    """Code locations loaded together.

    A location whose code does not load keeps its error (``errors``) and offers nothing;
    the others work. Repositories are known by name across the workspace, so two
    locations may not offer repositories of the same name (pipelines outside any
    repository excepted).

    Args:
        locations: The loaded locations.

    Raises:
        HeadwaterCodeLoadError: two locations offer a repository of the same name.
    """

    def __init__(self, locations: Sequence[CodeLocation]) -> None:
        self.locations = list(locations)
        where: dict[str, str] = {}
        for location in self.locations:
            for repository in location.repositories:
                if repository.name == BARE_PIPELINES_REPOSITORY:
                    continue
                if repository.name in where:
                    raise HeadwaterCodeLoadError(
                        f'Locations "{where[repository.name]}" and "{location.name}" both offer '
                        f'a repository named "{repository.name}". Schedules, sensors and '
                        "backfills are known by repository name: rename one of them.")
                where[repository.name] = location.name

    @classmethod
    def from_file(cls, path: str) -> Workspace:
        """Load every location a ``workspace.yaml`` lists."""
        return cls.from_specs(load_workspace_file(path))

    @classmethod
    def from_specs(cls, specs: Sequence[LocationSpec]) -> Workspace:
        """Load the given locations."""
        return cls([load_location(spec) for spec in specs])

    @property
    def errors(self) -> list[tuple[str, HeadwaterCodeLoadError]]:
        """``(location name, error)`` of each location that did not load."""
        return [(location.name, location.error) for location in self.locations
                if location.error is not None]

    def raise_errors(self) -> None:
        """Raise the error of the first location that did not load, naming the location.

        Raises:
            HeadwaterCodeLoadError: a location did not load.
        """
        for name, error in self.errors:
            raise HeadwaterCodeLoadError(f'Location "{name}" did not load: {error}',
                                         user_traceback=error.user_traceback)

    def repositories(self, location: str | None = None,
                     repository: str | None = None) -> list[LoadedRepository]:
        """The repositories of the workspace, or of one location, or the one named.

        Raises:
            HeadwaterCodeLoadError: no location or repository has the given name.
        """
        locations = self.locations
        if location is not None:
            locations = [found for found in locations if found.name == location]
            if not locations:
                raise _unknown("location", location, [found.name for found in self.locations])
        found = [loaded for place in locations for loaded in place.repositories]
        if repository is not None:
            named = [loaded for loaded in found if loaded.name == repository]
            if not named:
                raise _unknown("repository", repository, [loaded.name for loaded in found])
            found = named
        return found

    def get_repository(self, name: str) -> LoadedRepository | None:
        """The repository named ``name``, or None."""
        return next((loaded for location in self.locations
                     for loaded in location.repositories if loaded.name == name), None)

    def schedules(self, location: str | None = None, repository: str | None = None
                  ) -> list[tuple[LoadedRepository, ScheduleDefinition]]:
        """Every schedule (of a location or repository), with its repository."""
        return [(loaded, definition) for loaded in self.repositories(location, repository)
                for definition in loaded.definition.schedule_defs]

    def sensors(self, location: str | None = None, repository: str | None = None
                ) -> list[tuple[LoadedRepository, SensorDefinition]]:
        """Every sensor (of a location or repository), with its repository."""
        return [(loaded, definition) for loaded in self.repositories(location, repository)
                for definition in loaded.definition.sensor_defs]

    def find_schedule(self, name: str, location: str | None = None,
                      repository: str | None = None
                      ) -> tuple[LoadedRepository, ScheduleDefinition]:
        """The schedule named ``name`` (in the given location or repository).

        Raises:
            HeadwaterCodeLoadError: none has the name, or several repositories have one.
        """
        return self._find("schedule", name, location, repository,
                          lambda loaded: {d.name: d for d in loaded.definition.schedule_defs})

    def find_sensor(self, name: str, location: str | None = None,
                    repository: str | None = None) -> tuple[LoadedRepository, SensorDefinition]:
        """The sensor named ``name``; see :meth:`find_schedule`."""
        return self._find("sensor", name, location, repository,
                          lambda loaded: {d.name: d for d in loaded.definition.sensor_defs})

    def find_partition_set(self, name: str, location: str | None = None,
                           repository: str | None = None
                           ) -> tuple[LoadedRepository, PartitionSetDefinition]:
        """The partition set named ``name``; see :meth:`find_schedule`."""
        return self._find("partition set", name, location, repository,
                          lambda loaded: {d.name: d
                                          for d in loaded.definition.partition_set_defs})

    def find_pipeline(self, name: str | None, location: str | None = None,
                      repository: str | None = None) -> tuple[LoadedRepository, str]:
        """The repository holding the pipeline named ``name`` (the only pipeline there is,
        when None), and the pipeline's name."""
        if name is None:
            candidates = [(loaded, pipeline) for loaded in self.repositories(location, repository)
                          for pipeline in loaded.definition.pipeline_names]
            if len(candidates) == 1:
                return candidates[0]
            if not candidates:
                raise HeadwaterCodeLoadError(
                    "No pipeline found in the workspace. Define one at module level of a "
                    "location's code, or in a repository there.")
            raise HeadwaterCodeLoadError(
                f"The workspace has several pipelines: "
                f"{', '.join(sorted({pipeline for _, pipeline in candidates}))}. Choose one by "
                "name (-p/--pipeline on the command line).")
        loaded, _ = self._find("pipeline", name, location, repository,
                               lambda loaded: dict.fromkeys(loaded.definition.pipeline_names))
        return loaded, name

    def pipeline_catalog(self, location: str | None = None,
                         repository: str | None = None) -> PipelineCatalog:
        """Every pipeline of the workspace (or of a location or repository), by name."""
        entries: dict[str, Callable[[], PipelineDefinition]] = {}
        for loaded in self.repositories(location, repository):
            for name in loaded.definition.pipeline_names:
                entries.setdefault(name, _pipeline_getter(self, name, location, repository))
        return PipelineCatalog("the workspace", entries)

    def _find(self, kind: str, name: str, location: str | None, repository: str | None,
              named: Callable[[LoadedRepository], dict[str, Any]]) -> tuple[LoadedRepository, Any]:
        found = []
        known: list[str] = []
        for loaded in self.repositories(location, repository):
            definitions = named(loaded)
            known.extend(definitions)
            if name in definitions:
                found.append((loaded, definitions[name]))
        if len(found) == 1:
            return found[0]
        if not found:
            failed = "".join(f' Location "{place}" did not load: {error}'
                             for place, error in self.errors)
            raise HeadwaterCodeLoadError(
                f"{_unknown(kind, name, known)}{failed}")
        places = ", ".join(loaded.describe() for loaded, _ in found)
        raise HeadwaterCodeLoadError(
            f'Several repositories have a {kind} named "{name}": {places}. Choose one with '
            "-l/--location or -r/--repository.")


def _pipeline_getter(workspace: Workspace, name: str, location: str | None,
                     repository: str | None) -> Callable[[], PipelineDefinition]:
    def get() -> PipelineDefinition:
        loaded, _ = workspace.find_pipeline(name, location, repository)
        return loaded.definition.get_pipeline(name)

    return get


def _unknown(kind: str, name: str, known: Sequence[str]) -> HeadwaterCodeLoadError:
    match = suggest(name, list(known))
    hint = f' Did you mean "{match}"?' if match else ""
    names = ", ".join(sorted(set(known))) or "none"
    return HeadwaterCodeLoadError(
        f'There is no {kind} named "{name}" in the workspace.{hint} Known: {names}.')
