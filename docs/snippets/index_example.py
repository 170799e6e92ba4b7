"""The first example of the docs' front page."""

# [start:example]
from headwater import execute_pipeline, pipeline, solid


@solid
def extract() -> list[int]:
    return [1, 2, 3]


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


@pipeline
def numbers_pipeline():
    total(extract())


assert execute_pipeline(numbers_pipeline).output_for_solid("total") == 6
# [end:example]
