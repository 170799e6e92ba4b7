"""Loading one code location: the repositories its code offers.

A location's code may define repositories, bare pipelines, or both. Pipelines that no
repository of the location lists are gathered in a repository of their own, named
``__repository__``, so that every pipeline is found in some repository.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.repository import RepositoryDefinition
from headwater.errors import HeadwaterCodeLoadError
from headwater.execution.code_pointer import load_definitions
from headwater.execution.reconstruct import ReconstructablePipeline
from headwater.workspace.config import LocationSpec

BARE_PIPELINES_REPOSITORY = "__repository__"


@dataclass(frozen=True)
class LoadedRepository:
    """A repository as a location offers it, with what it takes to load it elsewhere.

    Attributes:
        location: The location's spec.
        definition: The repository.
        pipeline_attributes: For each pipeline, the module attribute another process loads
            it from (the repository's, or the bare pipeline's own).
    """

    location: LocationSpec
    definition: RepositoryDefinition
    pipeline_attributes: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def location_name(self) -> str:
        return self.location.name

    def describe(self) -> str:
        """``repository "orders" of location "orders.py"``."""
        return f'repository "{self.name}" of location "{self.location.name}"'

    def pipeline_pointer(self, pipeline_name: str) -> dict[str, Any]:
        """The pointer another process loads the pipeline from."""
        return {**self.location.pointer(), "attribute": self.pipeline_attributes[pipeline_name],
                "pipeline_name": pipeline_name}

    def reconstructable_pipeline(self, pipeline_name: str) -> ReconstructablePipeline:
        """The pipeline, built here from the repository, with the pointer runs record.

        Raises:
            HeadwaterInvalidDefinitionError: the repository has no such pipeline.
        """
        definition = self.definition.get_pipeline(pipeline_name)
        return ReconstructablePipeline(self.pipeline_pointer(pipeline_name),
                                       build=lambda: definition)


@dataclass(frozen=True)
class CodeLocation:
    """One location of a workspace: its repositories, or the error that kept it from
    loading (so that other locations still work).

    Attributes:
        spec: Where its code is.
        repositories: What it offers.
        error: Why it did not load, or None.
    """

    spec: LocationSpec
    repositories: list[LoadedRepository]
    error: HeadwaterCodeLoadError | None = None

    @property
    def name(self) -> str:
        return self.spec.name


def load_location(spec: LocationSpec) -> CodeLocation:
    """Import a location's code and gather its repositories; a failure is kept on the
    location (``error``) rather than raised."""
    try:
        return CodeLocation(spec, _repositories(spec))
    except HeadwaterCodeLoadError as error:
        return CodeLocation(spec, [], error)


def _repositories(spec: LocationSpec) -> list[LoadedRepository]:
    found = load_definitions(spec.pointer())
    repositories: list[LoadedRepository] = []
    listed: set[str] = set()
    for attribute, value in found:
        if isinstance(value, RepositoryDefinition) and \
                not any(known.definition is value for known in repositories):
            repositories.append(LoadedRepository(
                spec, value, dict.fromkeys(value.pipeline_names, attribute)))
            listed.update(value.pipeline_names)
    bare: dict[str, Callable[[], PipelineDefinition]] = {}
    attributes: dict[str, str] = {}
    for attribute, value in found:
        if isinstance(value, PipelineDefinition) and value.name not in listed:
            if value.name in bare and bare[value.name]() is not value:
                raise HeadwaterCodeLoadError(
                    f'Location "{spec.name}" defines two different pipelines named '
                    f'"{value.name}" (attributes "{attributes[value.name]}" and '
                    f'"{attribute}"). Rename one, or list the one to use in a repository.')
            bare.setdefault(value.name, _constant(value))
            attributes.setdefault(value.name, attribute)
    if bare:
        repositories.append(LoadedRepository(
            spec, RepositoryDefinition(BARE_PIPELINES_REPOSITORY, bare), attributes))
    names = [repository.name for repository in repositories]
    for name in names:
        if names.count(name) > 1:
            raise HeadwaterCodeLoadError(
                f'Location "{spec.name}" defines two repositories named "{name}". Give '
                "them different names.")
    return repositories


def _constant(pipeline: PipelineDefinition) -> Callable[[], PipelineDefinition]:
    return lambda: pipeline
