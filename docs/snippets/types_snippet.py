"""Concepts: runtime types."""

import json
import os
import tempfile
from dataclasses import dataclass

from headwater import (
    HeadwaterType,
    HeadwaterTypeCheckDidNotPass,
    InputDefinition,
    PythonObjectHeadwaterType,
    TypeCheck,
    check_headwater_type,
    execute_pipeline,
    execute_solid,
    headwater_type_loader,
    make_python_type_usable_as_headwater_type,
    pipeline,
    solid,
    usable_as_headwater_type,
)


# [start:hints]
@solid
def summarize(rows: list[dict[str, float]], label: str | None = None) -> dict[str, float]:
    return {"rows": float(len(rows))}
# [end:hints]

assert [d.headwater_type.display_name for d in summarize.input_defs] == [
    "List[Dict[String, Float]]", "Optional[String]"]


# [start:check-failure]
@solid
def half(n: int) -> int:
    return n / 2          # a float: fails the Int check of the output


try:
    execute_solid(half, input_values={"n": 3})
except HeadwaterTypeCheckDidNotPass as error:
    print(error)  # Type check failed for step output "result" - expected type "Int". ...
# [end:check-failure]


# [start:custom]
def _non_empty(_context, value):
    if not isinstance(value, list):
        return TypeCheck(False, description=f"Expected a list, got {type(value).__name__}.")
    if not value:
        return TypeCheck(False, description="The list is empty.")
    return TypeCheck(True, metadata={"length": len(value)})


NonEmptyList = HeadwaterType(_non_empty, name="NonEmptyList",
                             description="A list with at least one item.")


@solid
def first(items: NonEmptyList):
    return items[0]
# [end:custom]

assert check_headwater_type(NonEmptyList, []).description == "The list is empty."
assert not execute_solid(first, input_values={"items": []}, raise_on_error=False).success


# [start:classes]
@usable_as_headwater_type(description="A row count and a sample of rows.")
@dataclass
class TableSummary:
    rows: int
    sample: list


@solid
def describe_table() -> TableSummary:            # checked with isinstance(value, TableSummary)
    return TableSummary(rows=2, sample=[1, 2])


Number = PythonObjectHeadwaterType((int, float), name="Number")   # one of several classes


class Frame:  # a class from a library you do not own
    pass


make_python_type_usable_as_headwater_type(Frame, PythonObjectHeadwaterType(Frame, name="Frame"))
# [end:classes]

assert execute_solid(describe_table).output_value() == TableSummary(2, [1, 2])
assert check_headwater_type(Number, 2.5).success
assert not check_headwater_type(Number, "2").success


# [start:loader]
@headwater_type_loader({"path": str})
def load_json_lines(_context, config_value):
    with open(config_value["path"]) as lines:
        return [json.loads(line) for line in lines]


JsonLines = HeadwaterType(lambda _context, value: isinstance(value, list), name="JsonLines",
                          loader=load_json_lines)


@solid(input_defs=[InputDefinition("records", JsonLines)])
def count_records(records) -> int:
    return len(records)


@pipeline
def counting():
    count_records()      # "records" is unconnected: loaded from run config
# [end:loader]

path = os.path.join(tempfile.mkdtemp(), "records.jsonl")
with open(path, "w") as out:
    out.write('{"id": 1}\n{"id": 2}\n')

# [start:loader-config]
result = execute_pipeline(counting, run_config={
    "solids": {"count_records": {"inputs": {"records": {"path": path}}}}})
assert result.output_for_solid("count_records") == 2
# [end:loader-config]


# [start:builtin-loaders]
@solid
def add(a: int, b: float, names: list[str]) -> float:
    return a + b + len(names)


@pipeline
def adding():
    add()


result = execute_pipeline(adding, run_config={"solids": {"add": {"inputs": {
    "a": 1,                                   # a scalar inline,
    "b": {"value": 2.5},                      # or {value: ...},
    "names": ["x", "y"],                      # a list of what the item type accepts
}}}})
assert result.output_for_solid("add") == 5.5
# [end:builtin-loaders]
