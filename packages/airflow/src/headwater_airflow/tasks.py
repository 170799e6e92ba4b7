"""From a pipeline's execution plan to Airflow tasks: one task per top-level solid.

A task holds every step of its solid (a composite's children, and the steps mapped over a
dynamic output as ``solid[?]``); a task depends on the tasks whose steps its steps need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SolidTask:
    """The Airflow task of one top-level solid.

    Attributes:
        task_id: The solid's name.
        step_keys: Its steps, in plan order.
        upstream: The task ids it depends on.
    """

    task_id: str
    step_keys: tuple[str, ...]
    upstream: frozenset[str]


def solid_of_step(step_key: str) -> str:
    """The top-level solid a step belongs to (``etl.load[k1]`` → ``etl``)."""
    return step_key.partition("[")[0].split(".")[0]


def solid_tasks(plan: Any) -> list[SolidTask]:
    """The tasks of a plan, in topological order."""
    deps: dict[str, set[str]] = plan.get_all_step_deps()
    keys: dict[str, list[str]] = {}
    upstream: dict[str, set[str]] = {}
    for step_key in plan.step_keys:
        solid = solid_of_step(step_key)
        keys.setdefault(solid, []).append(step_key)
        upstream.setdefault(solid, set()).update(
            solid_of_step(up) for up in deps.get(step_key, ()))
    return [SolidTask(solid, tuple(step_keys), frozenset(upstream[solid] - {solid}))
            for solid, step_keys in keys.items()]
