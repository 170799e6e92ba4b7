"""Concepts: pipelines."""

from headwater import (
    DependencyDefinition,
    InputDefinition,
    ModeDefinition,
    MultiDependencyDefinition,
    Nothing,
    PipelineDefinition,
    RetryPolicy,
    SolidInvocation,
    execute_pipeline,
    pipeline,
    repository,
    solid,
    success_hook,
)


# [start:composition]
@solid
def extract() -> list[int]:
    return [1, 2, 3, 4]


@solid
def add_one(numbers: list[int]) -> list[int]:
    return [n + 1 for n in numbers]


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


@pipeline
def numbers_pipeline():
    numbers = extract()                          # a handle to extract's output
    total(add_one(numbers))                      # add_one runs after extract, total last
# [end:composition]

assert execute_pipeline(numbers_pipeline).output_for_solid("total") == 14


# [start:fan-in]
@solid
def merge(parts: list[list[int]]) -> list[int]:
    return [n for part in parts for n in part]


@pipeline
def fan_in():
    numbers = extract()
    merge([add_one.alias("first")(numbers), add_one.alias("second")(numbers)])
# [end:fan-in]

assert execute_pipeline(fan_in).output_for_solid("merge") == [2, 3, 4, 5, 2, 3, 4, 5]


# [start:reuse]
@pipeline
def twice():
    add_one(add_one(extract()))                   # nodes "add_one" and "add_one_2"
# [end:reuse]

assert [n.name for n in twice.solids] == ["extract", "add_one", "add_one_2"]


# [start:invocation-options]
@success_hook
def announce(context):
    context.log.info(f"{context.step_key} finished")


@pipeline
def configured_invocations():
    numbers = extract.with_retry_policy(RetryPolicy(max_retries=2, delay=0.1))()
    bumped = (
        add_one.alias("bump")
        .tag({"team": "analytics"})
        .with_hooks({announce})
    )(numbers)
    total(bumped)
# [end:invocation-options]

assert configured_invocations.solid_named("bump").tags == {"team": "analytics"}
assert execute_pipeline(configured_invocations).success


# [start:ordering]
@solid
def create_schema() -> None:
    ...


@solid(input_defs=[InputDefinition("ready", Nothing)])
def load_tables() -> None:
    ...


@pipeline
def ordered():
    load_tables(ready=[create_schema(), create_schema.alias("create_views")()])
# [end:ordering]

assert execute_pipeline(ordered).success


# [start:definition-form]
explicit = PipelineDefinition(
    name="explicit",
    solid_defs=[extract, add_one, total, merge],
    dependencies={
        "add_one": {"numbers": DependencyDefinition("extract")},
        SolidInvocation("add_one", alias="add_two"): {
            "numbers": DependencyDefinition("add_one"),
        },
        "merge": {"parts": MultiDependencyDefinition([
            DependencyDefinition("add_one"), DependencyDefinition("add_two"),
        ])},
        "total": {"numbers": DependencyDefinition("merge", "result")},
    },
    mode_defs=[ModeDefinition("default")],
    tags={"owner": "data-platform"},
)
# [end:definition-form]

assert execute_pipeline(explicit).output_for_solid("total") == 14 + 18


# [start:repository]
@repository
def analytics():
    return [numbers_pipeline, fan_in]


@repository
def lazy_analytics():
    return {"pipelines": {"explicit": lambda: explicit}}     # built on first use
# [end:repository]

assert analytics.pipeline_names == ["numbers_pipeline", "fan_in"]
assert lazy_analytics.get_pipeline("explicit") is explicit
