"""headwater-dask's hook implementations: it registers the ``dask`` executor."""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_executors() -> list[Any]:
    from headwater_dask.executor import dask_executor

    return [dask_executor]
