"""Tutorial, step 1: a first solid and pipeline."""

# [start:hello]
from headwater import execute_pipeline, pipeline, solid


@solid
def get_name() -> str:
    return "headwater"


@solid
def greet(context, name: str) -> str:
    context.log.info(f"Greeting {name}")
    return f"Hello, {name}!"


@pipeline
def hello_pipeline():
    greet(get_name())


if __name__ == "__main__":
    result = execute_pipeline(hello_pipeline)
    assert result.success
    print(result.output_for_solid("greet"))
# [end:hello]
