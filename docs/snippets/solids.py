"""Concepts: solids."""

import asyncio

from headwater import (
    AssetMaterialization,
    ExpectationResult,
    Failure,
    InputDefinition,
    Nothing,
    Output,
    OutputDefinition,
    build_solid_context,
    execute_pipeline,
    execute_solid,
    lambda_solid,
    pipeline,
    solid,
)


# [start:inference]
@solid
def clean(raw: list[str], limit: int = 100) -> list[str]:
    """Strip whitespace and drop empty lines."""
    lines = [line.strip() for line in raw if line.strip()]
    return lines[:limit]
# [end:inference]

assert [d.name for d in clean.input_defs] == ["raw", "limit"]
assert clean.input_defs[0].headwater_type.display_name == "List[String]"
assert clean.input_defs[1].default_value == 100
assert clean.output_defs[0].name == "result"
assert clean.output_defs[0].headwater_type.display_name == "List[String]"
assert clean.description == "Strip whitespace and drop empty lines."


# [start:explicit]
@solid(
    input_defs=[InputDefinition("raw", list[str], description="Lines of the raw file.")],
    output_defs=[OutputDefinition(str | None, description="The first line, if any.")],
)
def first_line(raw):
    return raw[0] if raw else None
# [end:explicit]

assert first_line.input_defs[0].description == "Lines of the raw file."
assert first_line.output_defs[0].headwater_type.display_name == "Optional[String]"


# [start:config]
@solid(config_schema={"separator": str, "upper": bool})
def join(context, words: list[str]) -> str:
    text = context.solid_config["separator"].join(words)
    return text.upper() if context.solid_config["upper"] else text
# [end:config]


# [start:multiple-outputs]
@solid(output_defs=[OutputDefinition(int, "evens"), OutputDefinition(int, "odds")])
def count_parity(numbers: list[int]):
    yield Output(sum(1 for n in numbers if n % 2 == 0), "evens")
    yield Output(sum(1 for n in numbers if n % 2), "odds", metadata={"total": len(numbers)})
# [end:multiple-outputs]


# [start:optional-output]
@solid(output_defs=[OutputDefinition(list, "errors", is_required=False),
                    OutputDefinition(list, "rows")])
def validate(rows: list[int]):
    bad = [row for row in rows if row is None]
    if bad:
        yield Output(bad, "errors")
    yield Output([row for row in rows if row is not None], "rows")


@solid
def alert(errors: list) -> None:
    raise RuntimeError(f"{len(errors)} bad rows")  # never runs when there are no errors


@pipeline
def validating():
    alert(validate().errors)  # several outputs: a named tuple of handles
# [end:optional-output]

validating_result = execute_pipeline(validating, run_config={
    "solids": {"validate": {"inputs": {"rows": [1, 2]}}}})
assert validating_result.success
assert validating_result.result_for_solid("alert").skipped


# [start:events]
@solid
def write_table(context, rows: list) -> int:
    if not rows:
        raise Failure("No rows to write", metadata={"table": "orders"})
    yield ExpectationResult(success=all(r > 0 for r in rows), label="positive_amounts",
                            metadata={"rows": len(rows)})
    # ... write the rows somewhere ...
    yield AssetMaterialization(asset_key=["warehouse", "orders"],
                               description="Daily orders", metadata={"rows": len(rows)})
    yield Output(len(rows))
# [end:events]

events_result = execute_solid(write_table, input_values={"rows": [3, 4]})
assert events_result.output_value() == 2
assert events_result.materializations_during_compute[0].asset_key.path == ("warehouse", "orders")
assert events_result.expectation_results_during_compute[0].success
failed = execute_solid(write_table, input_values={"rows": []}, raise_on_error=False)
assert not failed.success
assert failed.failure_data.user_failure_data.description == "No rows to write"


# [start:nothing]
@solid
def create_table() -> None:
    ...  # side effect only


@solid(input_defs=[InputDefinition("after", Nothing)])
def fill_table() -> None:
    ...  # runs after create_table; receives no value


@pipeline
def ordered():
    fill_table(after=create_table())
# [end:nothing]

assert execute_pipeline(ordered).success


# [start:async]
@solid
async def fetch(url: str) -> str:
    await asyncio.sleep(0)  # e.g. an aiohttp call
    return f"<html from {url}>"
# [end:async]

assert execute_solid(fetch, input_values={"url": "https://example.com"}).output_value() == \
    "<html from https://example.com>"


# [start:lambda]
@lambda_solid
def add(a: int, b: int) -> int:
    return a + b
# [end:lambda]


# [start:direct]
assert clean([" a ", "", "b"]) == ["a", "b"]            # no context: call it plainly
assert join(build_solid_context(config={"separator": "-", "upper": True}),
            ["a", "b"]) == "A-B"                        # context first
assert add(1, 2) == 3
assert fetch("x") == "<html from x>"                    # async solids are awaited for you
# [end:direct]

# A generator solid returns its generator when invoked directly.
assert [o.value for o in count_parity([1, 2, 3])] == [1, 2]
