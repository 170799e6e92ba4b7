"""Spark: a step that asks the spark executor for two CPUs per task.

Builds the pipeline and checks the tag; the test suite runs steps on Spark itself.
"""

from headwater import ModeDefinition, fs_io_manager, pipeline, solid
from headwater_spark import RESOURCES_TAG


# [start:tag]
@solid(tags={"headwater-spark/resources": '{"cpus": 2}'})
def train_model(context) -> str:
    return "model-v1"
# [end:tag]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def training():
    train_model()


assert RESOURCES_TAG == "headwater-spark/resources"
assert train_model.tags[RESOURCES_TAG] == '{"cpus": 2}'
