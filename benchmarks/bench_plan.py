"""Plan + validation for big pipelines: the work a run does before its first step.

Two shapes of 10,000 configurable solids, each given a value in the run config so that
validation visits every one of them:

* a chain of distinct solid definitions (10,000 ``@solid`` functions), each step taking the
  previous step's output;
* a fan-out of one solid definition invoked under 10,000 aliases, all taking the output of
  one source solid.

Each is measured in the stages ``execute_pipeline`` goes through: building the definitions
(shown for context: user code does it once, at import), building the run config schema,
validating the run config against it, and building the execution plan. The budget is for
the last three together.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from _harness import Figure, emit, parser

BUDGET_MS = 300.0


def _start(context: Any) -> int:
    return context.solid_config["factor"]


def _scale(context: Any, x: int) -> int:
    return x * context.solid_config["factor"]


def _solid_of(name: str, fn: Callable[..., Any]) -> Any:
    from headwater import Field, solid

    return solid(name=name, config_schema={"factor": Field(int, default_value=1)})(fn)


def build_chain(solids: int) -> Any:
    """A chain of ``solids`` distinct solid definitions."""
    from headwater import pipeline

    start = _solid_of("start", _start)
    definitions = [_solid_of(f"scale_{index}", _scale) for index in range(solids - 1)]

    @pipeline(name=f"chain_of_{solids}")
    def chain() -> None:
        value = start()
        for definition in definitions:
            value = definition(value)

    return chain


def build_fan_out(solids: int) -> Any:
    """One solid definition under ``solids - 1`` aliases, fed by one source."""
    from headwater import pipeline

    start = _solid_of("start", _start)
    scale = _solid_of("scale", _scale)

    @pipeline(name=f"fan_out_of_{solids}")
    def fan_out() -> None:
        value = start()
        for index in range(solids - 1):
            scale.alias(f"scale_{index}")(value)

    return fan_out


def run_config_for(pipeline_def: Any) -> dict[str, Any]:
    return {"solids": {node.name: {"config": {"factor": 2}} for node in pipeline_def.solids}}


def measure_once(build: Callable[[int], Any], solids: int) -> dict[str, float]:
    """Milliseconds of each stage, for one newly built pipeline."""
    # The stages of execute_pipeline, one by one (execution/api.py: prepare_run).
    from headwater.execution.api import resolve_run_args, run_config_schema_for
    from headwater.execution.plan import build_execution_plan

    gc.collect()  # the previous sample's garbage is not this sample's to collect
    marks = [time.perf_counter()]
    pipeline_def = build(solids)
    marks.append(time.perf_counter())
    args = resolve_run_args(pipeline_def, run_config_for(pipeline_def))
    schema = run_config_schema_for(args.pipeline, args.mode_def)
    marks.append(time.perf_counter())
    resolved = schema.resolve(args.run_config)
    marks.append(time.perf_counter())
    plan = build_execution_plan(args.pipeline, resolved, None)
    marks.append(time.perf_counter())
    assert len(plan.steps) == solids, f"expected {solids} steps, planned {len(plan.steps)}"
    stages = ("definitions", "schema", "validation", "plan")
    return {stage: (marks[i + 1] - marks[i]) * 1000.0 for i, stage in enumerate(stages)}


def measure_shape(label: str, build: Callable[[int], Any], solids: int,
                  repeat: int) -> list[Figure]:
    samples = [measure_once(build, solids) for _ in range(repeat)]

    def median(stage: str) -> float:
        return statistics.median(sample[stage] for sample in samples)

    total = statistics.median(sample["schema"] + sample["validation"] + sample["plan"]
                              for sample in samples)
    name = f"{label} of {solids}"
    return [
        Figure(f"plan + validation, {name}", total, "ms", BUDGET_MS,
               note=f"median of {repeat}; the three stages below are its parts"),
        Figure(f"  run config schema build, {name}", median("schema"), "ms"),
        Figure(f"  run config validation, {name}", median("validation"), "ms"),
        Figure(f"  execution plan build, {name}", median("plan"), "ms"),
        Figure(f"definitions build, {name}", median("definitions"), "ms"),
    ]


def measure(solids: int, repeat: int) -> list[Figure]:
    return [*measure_shape("chain", build_chain, solids, repeat),
            *measure_shape("fan-out", build_fan_out, solids, repeat)]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--solids", type=int, default=10_000, help="solids per pipeline")
    args_parser.add_argument("--repeat", type=int, default=3, help="samples per shape")
    args = args_parser.parse_args()
    emit(measure(args.solids, args.repeat), args.json)


if __name__ == "__main__":
    main()
