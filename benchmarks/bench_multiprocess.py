"""Multiprocess executor step overhead with a warm pool: what each step costs once the
worker processes have started and loaded the pipeline.

Runs of trivial steps (a source and N mapped-free fan-out steps, two workers, a persistent
SQLite instance, fs_io_manager) of two sizes; the difference of their times over the
difference of their step counts is the per-step cost, free of the pool's start-up (which is
shown on its own: the time of the small run).

    overhead per step = (time(N large) - time(N small)) / (N large - N small)
"""

from __future__ import annotations

import statistics
import time

from _harness import Figure, emit, parser

BUDGET_MS_PER_STEP = 10.0
SMALL, LARGE = 2, 202
# The whole-run budget: a fan-out of 32 on 2 workers in < 0.5 s.
BUDGETED_STEPS, BUDGETED_RUN_MS = 32, 500.0


def _source() -> int:
    return 1


def _increment(x: int) -> int:
    return x + 1


def build_fan_out(steps: int) -> object:
    """``source`` feeding ``steps - 1`` independent steps."""
    from headwater import ModeDefinition, fs_io_manager, pipeline, solid

    source = solid(name="source")(_source)
    increment = solid(name="increment")(_increment)

    @pipeline(name=f"fan_out_of_{steps}",
              mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
    def fan_out() -> None:
        value = source()
        for index in range(steps - 1):
            increment.alias(f"increment_{index}")(value)

    return fan_out


def fan_out_small() -> object:
    return build_fan_out(SMALL)


def fan_out_large() -> object:
    return build_fan_out(LARGE)


def fan_out_budgeted() -> object:
    return build_fan_out(BUDGETED_STEPS)


def _run_seconds(target: object, instance: object) -> float:
    from headwater import execute_pipeline, reconstructable

    started = time.perf_counter()
    result = execute_pipeline(
        reconstructable(target), instance=instance,
        run_config={"execution": {"multiprocess": {"config": {"max_concurrent": 2}}}})
    elapsed = time.perf_counter() - started
    if not result.success:
        raise SystemExit("a benchmark run failed")
    return elapsed


def measure(samples: int) -> list[Figure]:
    from headwater import instance_for_test

    small, large, budgeted = [], [], []
    with instance_for_test() as instance:
        # The first run of this process starts the fork server the workers fork from (the
        # default start method): a cost paid once per process, shown on its own.
        first = _run_seconds(fan_out_budgeted, instance)
        for _ in range(samples):
            small.append(_run_seconds(fan_out_small, instance))
            large.append(_run_seconds(fan_out_large, instance))
            budgeted.append(_run_seconds(fan_out_budgeted, instance))
    per_step = (statistics.median(large) - statistics.median(small)) / (LARGE - SMALL) * 1000
    note = (f"{LARGE}-step and {SMALL}-step fan-outs, 2 workers (default start method), persistent SQLite "
            f"instance, fs_io_manager; median of {samples}")
    return [
        Figure("multiprocess executor step overhead (warm pool)", round(per_step, 3),
               "ms/step", BUDGET_MS_PER_STEP, note),
        Figure("multiprocess executor: a 2-step run, pool start-up included",
               round(statistics.median(small) * 1000, 1), "ms", None, note),
        Figure(f"multiprocess executor: fan-out of {BUDGETED_STEPS}, whole run",
               round(statistics.median(budgeted) * 1000, 1), "ms", BUDGETED_RUN_MS, note),
        Figure(f"multiprocess executor: fan-out of {BUDGETED_STEPS}, first run of a process",
               round(first * 1000, 1), "ms", None,
               "one run; includes starting the fork server, once per process"),
    ]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--repeat", type=int, default=3, help="runs per size")
    args = args_parser.parse_args()
    emit(measure(args.repeat), args.json)


if __name__ == "__main__":
    main()
