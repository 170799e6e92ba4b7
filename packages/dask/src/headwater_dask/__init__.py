"""Run Headwater pipeline steps on a Dask cluster.

Installing the package registers the ``dask`` executor with every pipeline whose modes do
not list their executors; select it in run config::

    execution:
      dask:
        config:
          cluster: {local: {n_workers: 2, threads_per_worker: 1}}
"""

from headwater_dask.executor import RESOURCES_TAG, DaskExecutor, dask_executor

__version__ = "0.1.0"

__all__ = ["RESOURCES_TAG", "DaskExecutor", "dask_executor"]
