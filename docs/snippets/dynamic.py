"""Concepts: dynamic mapping."""

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    create_execution_plan,
    execute_pipeline,
    pipeline,
    solid,
)


# [start:map-collect]
@solid(output_defs=[DynamicOutputDefinition(str)])
def list_files():
    for name in ["a.csv", "b.csv", "c.csv"]:
        # mapping keys name the mapped steps: letters, digits and underscores only
        yield DynamicOutput(name, mapping_key=name.replace(".", "_"))


@solid
def count_rows(context, file_name: str) -> int:
    context.log.info(f"counting {file_name} (mapping key {context.get_mapping_key()})")
    return len(file_name)


@solid
def add_up(counts: list[int]) -> int:
    return sum(counts)


@pipeline
def per_file():
    counts = list_files().map(count_rows)
    add_up(counts.collect())
# [end:map-collect]

# [start:step-keys]
plan = create_execution_plan(per_file)
assert plan.step_keys == ["list_files", "add_up", "count_rows[?]"]

result = execute_pipeline(per_file)
assert sorted(result.events_by_step_key) == [
    "add_up", "count_rows[a_csv]", "count_rows[b_csv]", "count_rows[c_csv]", "list_files"]
assert result.output_for_solid("add_up") == 15
assert result.result_for_solid("count_rows").output_value() == {
    "a_csv": 5, "b_csv": 5, "c_csv": 5}
# [end:step-keys]


# [start:chain]
@solid
def double(n: int) -> int:
    return 2 * n


@pipeline
def chained():
    doubled = list_files().map(lambda name: double(count_rows(name)))
    add_up(doubled.collect())
# [end:chain]

assert execute_pipeline(chained).output_for_solid("add_up") == 30
