"""Concepts: modes and presets."""


from headwater import (
    HeadwaterInvalidDefinitionError,
    HeadwaterUnknownModeError,
    ModeDefinition,
    PresetDefinition,
    ResourceDefinition,
    execute_pipeline,
    file_relative_path,
    pipeline,
    resource,
    solid,
)


# [start:modes]
@resource(config_schema={"bucket": str})
def cloud_storage(init_context):
    return f"s3://{init_context.resource_config['bucket']}"


@solid(required_resource_keys={"storage"})
def where(context) -> str:
    return context.resources.storage


@pipeline(mode_defs=[
    ModeDefinition("test", resource_defs={
        "storage": ResourceDefinition.hardcoded_resource("memory://")}),
    ModeDefinition("prod", resource_defs={"storage": cloud_storage,
                                          "io_manager": "fs_io_manager"}),
])
def storing():
    where()


assert execute_pipeline(storing, mode="test").output_for_solid("where") == "memory://"
# [end:modes]

try:
    execute_pipeline(storing)
except HeadwaterUnknownModeError as error:
    assert "several modes" in str(error)

assert execute_pipeline(storing, mode="prod", run_config={
    "resources": {"storage": {"config": {"bucket": "b"}}}}).output_for_solid("where") == "s3://b"



# [start:presets]
presets = [
    PresetDefinition("smoke", mode="test", solid_selection=["where"],
                     tags={"purpose": "smoke"}),
    PresetDefinition.from_files(
        "prod",
        [file_relative_path(__file__, "config/base.yaml"),   # later files win
         file_relative_path(__file__, "config/prod*.yaml")],
        mode="prod",
    ),
    PresetDefinition.from_yaml_strings("prod_eu", [
        "resources: {storage: {config: {bucket: eu-bucket}}}",
    ], mode="prod"),
]
# [end:presets]


@pipeline(mode_defs=storing.mode_definitions, preset_defs=presets)
def storing_with_presets():
    where()


# [start:run-preset]
result = execute_pipeline(storing_with_presets, preset="prod")
assert result.output_for_solid("where") == "s3://prod-bucket"

eu = storing_with_presets.get_preset("prod_eu")
assert eu.run_config == {"resources": {"storage": {"config": {"bucket": "eu-bucket"}}}}
print(eu.get_environment_yaml())          # the preset's run config as YAML

# Extend a preset's config rather than passing run_config next to it:
override = storing_with_presets.get_preset("prod").with_additional_config(
    {"resources": {"storage": {"config": {"bucket": "other"}}}})
result = execute_pipeline(storing_with_presets, run_config=override.run_config,
                          mode=override.mode)
assert result.output_for_solid("where") == "s3://other"
# [end:run-preset]

assert execute_pipeline(storing_with_presets, preset="smoke").success


# [start:by-name]
prod = ModeDefinition("prod", resource_defs={"io_manager": "fs_io_manager",
                                             "warehouse": "snowflake"},
                      executor_defs=["in_process", "dask"])
# [end:by-name]


@solid(required_resource_keys={"warehouse"})
def query(context) -> None:
    ...


@pipeline(mode_defs=[prod])
def querying():
    query()


try:
    execute_pipeline(querying)
except HeadwaterInvalidDefinitionError as error:     # unless headwater-snowflake is installed
    print(error)
