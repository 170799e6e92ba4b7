"""Where a run's steps go: the cluster kinds the executor accepts, and the client of a run.

``local`` starts a ``distributed.LocalCluster`` for the run, ``existing`` connects to a
running scheduler, and every other kind starts a cluster through a cluster manager
(dask-jobqueue, dask-kubernetes, dask-yarn, SSH), accepted only when its library is
installed.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from headwater import Field, HeadwaterInvalidConfigError, Permissive, Selector, StringSource


class ClusterKind:
    """A cluster manager: where its class lives and which package provides it.

    Args:
        module: The module holding the class.
        attribute: The class (or function) that starts the cluster.
        needs: The top-level module that must be importable for it to work.
        package: What to ``pip install`` when ``needs`` is missing.
    """

    def __init__(self, module: str, attribute: str, needs: str, package: str) -> None:
        self.module = module
        self.attribute = attribute
        self.needs = needs
        self.package = package

    @property
    def is_installed(self) -> bool:
        return importlib.util.find_spec(self.needs) is not None

    def start(self, options: dict[str, Any]) -> Any:
        return getattr(importlib.import_module(self.module), self.attribute)(**options)


CLUSTER_MANAGERS = {
    "ssh": ClusterKind("distributed", "SSHCluster", "asyncssh", "asyncssh"),
    "pbs": ClusterKind("dask_jobqueue", "PBSCluster", "dask_jobqueue", "dask-jobqueue"),
    "moab": ClusterKind("dask_jobqueue", "MoabCluster", "dask_jobqueue", "dask-jobqueue"),
    "sge": ClusterKind("dask_jobqueue", "SGECluster", "dask_jobqueue", "dask-jobqueue"),
    "lsf": ClusterKind("dask_jobqueue", "LSFCluster", "dask_jobqueue", "dask-jobqueue"),
    "slurm": ClusterKind("dask_jobqueue", "SLURMCluster", "dask_jobqueue", "dask-jobqueue"),
    "oar": ClusterKind("dask_jobqueue", "OARCluster", "dask_jobqueue", "dask-jobqueue"),
    "htcondor": ClusterKind("dask_jobqueue", "HTCondorCluster", "dask_jobqueue",
                            "dask-jobqueue"),
    "kube": ClusterKind("dask_kubernetes.operator", "KubeCluster", "dask_kubernetes",
                        "dask-kubernetes"),
    "yarn": ClusterKind("dask_yarn", "YarnCluster", "dask_yarn", "dask-yarn"),
}


def cluster_config_field() -> Field:
    """The ``cluster`` field of the executor's config: one kind, with its options."""
    kinds: dict[str, Any] = {
        "local": Field(Permissive(), is_required=False,
                       description="Start a distributed.LocalCluster for the run; keyword "
                                   "arguments of LocalCluster (n_workers, threads_per_worker, "
                                   "processes, resources, ...)."),
        "existing": Field({"address": StringSource}, is_required=False,
                          description="Connect to a running scheduler, e.g. "
                                      "tcp://scheduler:8786."),
    }
    for kind, manager in CLUSTER_MANAGERS.items():
        kinds[kind] = Field(Permissive(), is_required=False,
                            description=f"Start a {manager.module}.{manager.attribute} for "
                                        f"the run, with these keyword arguments (needs "
                                        f"{manager.package}).")
    return Field(Selector(kinds), default_value={"local": {}},
                 description="Where the steps run: a local cluster started for the run, an "
                             "existing scheduler, or a cluster started by a cluster manager.")


def check_cluster_available(config: dict[str, Any]) -> None:
    """Refuse a cluster kind whose library is not installed, naming the package."""
    ((kind, _),) = config.items()
    manager = CLUSTER_MANAGERS.get(kind)
    if manager is None or manager.is_installed:
        return
    raise HeadwaterInvalidConfigError(
        'Error in config for executor "dask"',
        [f'The cluster kind "{kind}" at execution.dask.config.cluster.{kind} needs the '
         f"package {manager.package}, which is not installed: pip install {manager.package}."],
        config)


class RunCluster:
    """The client of one run, and the cluster when the run started one itself.

    A cluster the run starts gets ``allowed-failures`` 0: a task whose worker dies fails
    at once instead of being run again by Dask behind Headwater's back, so that only the
    step's own retry policy decides whether it runs again.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        import dask
        from distributed import Client, LocalCluster

        ((kind, options),) = config.items()
        options = dict(options or {})
        self.cluster: Any = None
        if kind == "existing":
            self.client = Client(options["address"])
            return
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            if kind == "local":
                options.setdefault("dashboard_address", None)
                self.cluster = LocalCluster(**options)
            else:
                self.cluster = CLUSTER_MANAGERS[kind].start(options)
        try:
            self.client = Client(self.cluster)
        except BaseException:
            self.cluster.close()
            raise

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
