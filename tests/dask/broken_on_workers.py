"""A pipeline file that imports in the driver but not in a Dask worker, as when a worker
lacks a library the pipeline's code needs."""

from distributed import get_worker

from headwater import ModeDefinition, fs_io_manager, pipeline, solid

try:
    get_worker()
except ValueError:
    pass  # not in a worker
else:
    raise ImportError("No module named 'only_on_the_driver'")


@solid
def anything(_context) -> int:
    return 1


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def loads_only_on_the_driver():
    anything()
