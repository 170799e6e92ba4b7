"""One pipeline, two places to run it: in this process, or on a Dask cluster.

Nothing in the code says where the steps run; the run config's ``execution`` does. The
mode stores outputs with ``fs_io_manager`` (files under the instance's storage folder),
which every process on this machine can read: what Dask's worker processes need to pass
outputs from one step to the next.

Run it in this process:

    headwater pipeline execute -f examples/dask_or_local.py -c examples/dask_config/local.yaml

Run it on a Dask cluster of two worker processes started for the run (needs
``pip install -e packages/core -e packages/dask`` from a checkout of the repository
(``pip install 'headwater[dask]'`` from a package index)):

    headwater pipeline execute -f examples/dask_or_local.py -c examples/dask_config/dask.yaml

``count_primes`` runs once per range, each its own step: in-process one after another, on
Dask side by side in the workers.
"""

import itertools
import os

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    fs_io_manager,
    pipeline,
    solid,
)


@solid(config_schema={"up_to": Field(int, default_value=200_000),
                      "ranges": Field(int, default_value=8)},
       output_defs=[DynamicOutputDefinition(list)])
def split_range(context):
    """Cut [2, up_to) into equal ranges, one output each."""
    up_to, ranges = context.solid_config["up_to"], context.solid_config["ranges"]
    bounds = [2 + (up_to - 2) * i // ranges for i in range(ranges + 1)]
    for start, stop in itertools.pairwise(bounds):
        yield DynamicOutput([start, stop], mapping_key=f"from_{start}")


@solid
def count_primes(context, bounds: list) -> int:
    """Count the primes in one range, the slow way (pure Python: CPU-bound)."""
    start, stop = bounds
    found = sum(1 for n in range(start, stop)
                if all(n % d for d in range(2, int(n**0.5) + 1)))
    context.log.info(f"{found} primes in [{start}, {stop}) (process {os.getpid()})")
    return found


@solid
def report(context, counts: list) -> int:
    """Add up the counts."""
    context.log.info(f"{sum(counts)} primes in all, counted in {len(counts)} steps")
    return sum(counts)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def prime_counts():
    """Count primes range by range, then add up."""
    report(split_range().map(count_primes).collect())
