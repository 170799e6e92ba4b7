"""Backfills: one run per partition of a partition set, submitted by the daemon.

``headwater pipeline backfill`` stores a backfill (REQUESTED) with its partitions; the
backfill duty submits their runs through the instance's run coordinator, so that the
queued coordinator's limits apply to them like to any run. A backfill counts the runs it
submitted, and each run's id is derived from the backfill and the partition: a daemon that
stopped goes on where it was, without submitting a partition twice.

Runs carry ``headwater/backfill`` (the backfill's id), ``headwater/partition`` and
``headwater/partition_set``, and the tags the backfill was given.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from headwater.daemon.duty import DaemonDuty
from headwater.daemon.submission import RunTarget, deterministic_run_id, submit_run_once
from headwater.definitions.cron import UTC
from headwater.definitions.partition import BACKFILL_TAG, PartitionSetDefinition
from headwater.errors import HeadwaterCodeLoadError
from headwater.execution.events import SerializableErrorInfo
from headwater.instance.jobs import BackfillStatus, PartitionBackfill

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import Workspace

_log = logging.getLogger("headwater.daemon")


def create_backfill(instance: Instance, repository_name: str,
                    partition_set: PartitionSetDefinition, partition_names: Sequence[str],
                    tags: Mapping[str, str], now: float) -> PartitionBackfill:
    """Store a backfill of ``partition_names`` for the daemon to submit."""
    backfill = PartitionBackfill(
        backfill_id=uuid.uuid4().hex[:8], repository_name=repository_name,
        partition_set_name=partition_set.name, partition_names=list(partition_names),
        status=BackfillStatus.REQUESTED, timestamp=now, tags=dict(tags))
    instance.add_backfill(backfill)
    return backfill


class BackfillDuty(DaemonDuty):
    """Submits the runs of requested backfills.

    Args:
        workspace: Where the partition sets' code is.
        interval_seconds: Between two iterations.
        runs_per_iteration: At most this many runs submitted per iteration (the rest in the
            next ones), so that a large backfill does not hold up the duty's heartbeat.
    """

    name = "backfills"

    def __init__(self, workspace: Workspace, interval_seconds: float = 2.0,
                 runs_per_iteration: int = 50) -> None:
        self.workspace = workspace
        self.interval_seconds = interval_seconds
        self.runs_per_iteration = runs_per_iteration
        self._reported: set[str] = set()

    def run_iteration(self, instance: Instance, now: float) -> None:
        budget = self.runs_per_iteration
        failures: list[Exception] = []
        for backfill in instance.get_backfills(BackfillStatus.REQUESTED):
            if budget <= 0:
                break
            try:
                submitted = submit_backfill_runs(instance, self.workspace, backfill, budget, now)
            except Exception as error:
                # Said once in the log; the duty's heartbeat keeps showing it.
                if backfill.backfill_id not in self._reported:
                    self._reported.add(backfill.backfill_id)
                    _log.exception("Could not go on with backfill %s.", backfill.backfill_id)
                failures.append(error)
                continue
            self._reported.discard(backfill.backfill_id)
            budget -= submitted.num_submitted - backfill.num_submitted
        if failures:
            raise failures[0]


def submit_backfill_runs(instance: Instance, workspace: Workspace, backfill: PartitionBackfill,
                         limit: int, now: float) -> PartitionBackfill:
    """Submit the runs of the backfill's next ``limit`` partitions; the backfill ends
    COMPLETED when every partition's run is submitted, FAILED when a partition is gone or
    its run cannot be created. Returns the backfill as stored afterwards.

    Raises:
        HeadwaterCodeLoadError: the workspace has no such partition set (the backfill stays
            REQUESTED, for a daemon that has it).
    """
    repository = workspace.get_repository(backfill.repository_name)
    names = ([definition.name for definition in repository.definition.partition_set_defs]
             if repository is not None else [])
    if repository is None or backfill.partition_set_name not in names:
        raise HeadwaterCodeLoadError(
            f'Backfill {backfill.backfill_id} is for partition set '
            f'"{backfill.partition_set_name}" of repository "{backfill.repository_name}", '
            "which this daemon's workspace does not have. Run the daemon with the workspace "
            "the backfill was made from.")
    partition_set = repository.definition.get_partition_set_def(backfill.partition_set_name)
    partitions = {partition.name: partition
                  for partition in partition_set.get_partitions(dt.datetime.fromtimestamp(now, UTC))}
    target = RunTarget(repository, partition_set.pipeline_name, partition_set.mode,
                       partition_set.solid_selection)
    end = min(len(backfill.partition_names), backfill.num_submitted + limit)
    for name in backfill.partition_names[backfill.num_submitted:end]:
        try:
            partition = partitions.get(name)
            if partition is None:
                raise HeadwaterCodeLoadError(
                    f'Partition set "{partition_set.name}" no longer has the partition "{name}".')
            tags = {**backfill.tags, **partition_set.tags_for_partition(partition),
                    BACKFILL_TAG: backfill.backfill_id}
            submit_run_once(instance, target,
                            deterministic_run_id("backfill", backfill.backfill_id, name),
                            partition_set.run_config_for_partition(partition), tags)
        except Exception as error:
            _log.exception("Backfill %s failed at partition %s.", backfill.backfill_id, name)
            backfill = backfill.with_changes(status=BackfillStatus.FAILED,
                                             error=SerializableErrorInfo.from_exception(error))
            instance.update_backfill(backfill)
            return backfill
        backfill = backfill.with_changes(num_submitted=backfill.num_submitted + 1)
        instance.update_backfill(backfill)
    if backfill.num_submitted == len(backfill.partition_names):
        _log.info("Backfill %s: submitted the runs of its %d partitions.",
                  backfill.backfill_id, backfill.num_submitted)
        backfill = backfill.with_changes(status=BackfillStatus.COMPLETED)
        instance.update_backfill(backfill)
    return backfill
