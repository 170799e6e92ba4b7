"""In-process step overhead: what Headwater adds to each step of a run with the in-process
executor, over calling the solids' functions directly.

Two shapes of trivial solids (``x + 1``): a chain, where each step takes the previous
step's output, and a fan-out, where every step takes the output of one source step. Each
sample runs ``execute_pipeline`` on a newly built pipeline (so the run config schema is
built too), with the in-memory recorder: everything a run does, amortized over its steps.

    overhead per step = (run time - time of calling the functions directly) / steps
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

from _harness import Figure, emit, median_ms, parser

BUDGET_MS_PER_STEP = 0.05


def _start() -> int:
    return 1


def _increment(x: int) -> int:
    return x + 1


def build_chain(steps: int) -> object:
    """``start -> step_0 -> ... -> step_{steps-2}``: ``steps`` steps in a line."""
    from headwater import pipeline, solid

    start = solid(name="start")(_start)
    increment = solid(name="increment")(_increment)

    @pipeline(name=f"chain_of_{steps}")
    def chain() -> None:
        value = start()
        for index in range(steps - 1):
            value = increment.alias(f"step_{index}")(value)

    return chain


def build_fan_out(steps: int) -> object:
    """``start`` feeding ``steps - 1`` independent steps: ``steps`` steps in all."""
    from headwater import pipeline, solid

    start = solid(name="start")(_start)
    increment = solid(name="increment")(_increment)

    @pipeline(name=f"fan_out_of_{steps}")
    def fan_out() -> None:
        value = start()
        for index in range(steps - 1):
            increment.alias(f"leaf_{index}")(value)

    return fan_out


def direct_chain(steps: int) -> None:
    value = _start()
    for _ in range(steps - 1):
        value = _increment(value)


def direct_fan_out(steps: int) -> None:
    value = _start()
    for _ in range(steps - 1):
        _increment(value)


def measure_shape(label: str, build: Callable[[int], object],
                  direct: Callable[[int], None], steps: int, repeat: int) -> list[Figure]:
    from headwater import execute_pipeline

    run_times = []
    step_events = 0
    for _ in range(repeat + 1):  # the first run warms up caches of the interpreter
        pipeline_def = build(steps)
        gc.collect()  # the previous sample's garbage is not this sample's to collect
        started = time.perf_counter()
        result = execute_pipeline(pipeline_def)
        run_times.append(time.perf_counter() - started)
        assert result.success, f"the {label} benchmark pipeline failed"
        step_events = sum(1 for event in result.event_list if event.step_key is not None)
    run_ms = statistics.median(run_times[1:]) * 1000.0
    overhead_ms = (run_ms - median_ms(lambda: direct(steps), repeat)) / steps
    return [
        Figure(f"in-process step overhead, {label} of {steps}", overhead_ms, "ms/step",
               BUDGET_MS_PER_STEP,
               note=f"in-memory recorder; run {run_ms:.0f} ms, median of {repeat}"),
        Figure(f"step events per step, {label} of {steps}", step_events / steps, "events/step"),
    ]


def measure(steps: int, repeat: int) -> list[Figure]:
    return [*measure_shape("chain", build_chain, direct_chain, steps, repeat),
            *measure_shape("fan-out", build_fan_out, direct_fan_out, steps, repeat)]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--steps", type=int, default=1000, help="steps per pipeline")
    args_parser.add_argument("--repeat", type=int, default=5, help="runs per shape")
    args = args_parser.parse_args()
    emit(measure(args.steps, args.repeat), args.json)


if __name__ == "__main__":
    main()
