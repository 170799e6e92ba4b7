"""Repositories: a named collection of pipelines (and, later, schedules and sensors)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.utils import check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError


class RepositoryDefinition:
    """Pipelines by name; pipelines given as functions are built on first use.

    Args:
        name: The repository's name.
        pipelines: ``{name: PipelineDefinition or fn() -> PipelineDefinition}``.
        description: A human-readable description.
    """

    def __init__(self, name: str,
                 pipelines: Mapping[str, PipelineDefinition | Callable[[], PipelineDefinition]],
                 description: str | None = None) -> None:
        self.name = check_valid_name(name, "repository name")
        self.description = description
        self._pipelines: dict[str, Any] = dict(pipelines)

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

    def __repr__(self) -> str:
        return f"<RepositoryDefinition {self.name!r}>"


def repository(name: Any = None, description: str | None = None) -> Any:
    """Define a repository from a function returning a list of pipelines, or a dict
    ``{"pipelines": {name: pipeline_or_fn}}`` whose functions are called only when needed."""

    def build(fn: Callable[[], Any], repo_name: str | None) -> RepositoryDefinition:
        returned = fn()
        where = f'Repository "{repo_name or fn.__name__}"'
        if isinstance(returned, (list, tuple)):
            pipelines: dict[str, Any] = {}
            for item in returned:
                if not isinstance(item, PipelineDefinition):
                    raise HeadwaterInvalidDefinitionError(
                        f"{where} returned {item!r} in its list; only pipelines can be listed "
                        "(schedules and sensors come with the daemon)."
                    )
                if item.name in pipelines:
                    raise HeadwaterInvalidDefinitionError(
                        f'{where} lists two pipelines named "{item.name}".')
                pipelines[item.name] = item
        elif isinstance(returned, Mapping):
            unknown = set(returned) - {"pipelines"}
            if unknown:
                raise HeadwaterInvalidDefinitionError(
                    f"{where} returned a dict with unknown keys {sorted(unknown)}; expected "
                    '{"pipelines": {...}}.'
                )
            pipelines = dict(returned.get("pipelines", {}))
        else:
            raise HeadwaterInvalidDefinitionError(
                f"{where} must return a list of pipelines or a dict "
                '{"pipelines": {name: pipeline or fn}}, '
                f"not {returned!r}."
            )
        return RepositoryDefinition(repo_name or fn.__name__, pipelines,
                                    description or inspect.getdoc(fn))

    if callable(name):
        return build(name, None)
    return lambda fn: build(fn, name)
