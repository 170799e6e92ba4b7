"""Run Headwater pipeline steps on a Dask cluster.

Installing the package registers the ``dask`` executor with every pipeline whose modes do
not list their executors; select it in run config::

    execution:
      dask:
        config:
          cluster: {local: {n_workers: 2, threads_per_worker: 1}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "RESOURCES_TAG": "headwater_dask.executor",
    "DaskExecutor": "headwater_dask.executor",
    "dask_executor": "headwater_dask.executor",
}

__version__ = "0.1.0"

__all__ = ["RESOURCES_TAG", "DaskExecutor", "dask_executor"]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_dask.executor import RESOURCES_TAG, DaskExecutor, dask_executor
