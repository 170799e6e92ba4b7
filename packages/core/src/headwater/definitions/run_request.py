"""What schedules and sensors ask for: a run (``RunRequest``) or nothing (``SkipReason``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.definitions.utils import normalize_tags
from headwater.errors import HeadwaterInvariantViolationError
from headwater.serdes import serializable


@serializable
@dataclass(frozen=True)
class RunRequest:
    """Ask for a run.

    Args:
        run_key: De-duplicates requests: a sensor launches at most one run per run key
            (None: always launch).
        run_config: The run config of the run.
        tags: Tags of the run.
    """

    run_key: str | None
    run_config: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "run_config", dict(self.run_config or {}))
        object.__setattr__(self, "tags", normalize_tags(self.tags, "a RunRequest",
                                                        allow_reserved=True))


@serializable
@dataclass(frozen=True)
class SkipReason:
    """Say why no run is requested this time (shown in the tick's history)."""

    skip_message: str | None = None


@dataclass(frozen=True)
class TickData:
    """The outcome of evaluating a schedule or sensor once.

    Attributes:
        run_requests: The runs asked for.
        skip_message: Why none was, if so.
        cursor: The sensor's new cursor, when it set one.
    """

    run_requests: list[RunRequest]
    skip_message: str | None = None
    cursor: str | None = None


def tick_data_from(result: Any, where: str, default_run_key: str | None = None,
                   cursor: str | None = None) -> TickData:
    """Normalise what an evaluation function returned or yielded into TickData.

    Accepted: None (nothing), a SkipReason, a RunRequest, an iterable of RunRequests (or a
    single SkipReason in it), and for schedules a run config dict.
    """
    if result is None:
        return TickData([], None, cursor)
    if isinstance(result, SkipReason):
        return TickData([], result.skip_message, cursor)
    if isinstance(result, RunRequest):
        return TickData([result], None, cursor)
    if isinstance(result, Mapping):
        return TickData([RunRequest(default_run_key, dict(result))], None, cursor)
    requests: list[RunRequest] = []
    skip: str | None = None
    for item in result:
        if isinstance(item, RunRequest):
            requests.append(item)
        elif isinstance(item, SkipReason):
            skip = item.skip_message
        else:
            raise HeadwaterInvariantViolationError(
                f"{where} produced {item!r}; it may return or yield RunRequest values or one "
                "SkipReason.")
    if requests and skip is not None:
        raise HeadwaterInvariantViolationError(
            f"{where} produced both RunRequests and a SkipReason; produce one or the other.")
    return TickData(requests, skip, cursor)
