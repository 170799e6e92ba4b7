"""Concepts: executors (in-process and multiprocess)."""

import os

# [start:multiprocess]
from headwater import (
    ModeDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    reconstructable,
    solid,
)
from headwater.instance import instance_for_test


@solid
def load() -> list[int]:
    return list(range(10))


@solid
def square(numbers: list[int]) -> list[int]:
    return [n * n for n in numbers]


@solid
def pid() -> int:
    return os.getpid()


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def parallel():
    total(square(load()))
    pid()


if __name__ == "__main__":      # worker processes import this file: guard the run
    with instance_for_test() as instance:       # Instance.get() outside of tests
        result = execute_pipeline(
            reconstructable(parallel),
            run_config={"execution": {"multiprocess": {"config": {"max_concurrent": 2}}}},
            instance=instance,
        )
        assert result.success
        assert result.output_for_solid("total") == 285   # loaded back through the IO manager
        assert result.output_for_solid("pid") != os.getpid()
# [end:multiprocess]
