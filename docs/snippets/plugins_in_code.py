"""Plugins: a plugin registered in code (what a test or an application does)."""

from headwater import ModeDefinition, execute_pipeline, pipeline, resource, solid
from headwater.plugins import get_plugin_manager, hookimpl


# [start:plugin]
@resource(config_schema={"start": int})
def counter(init_context):
    return {"value": init_context.resource_config["start"]}


class Metrics:
    """Registers a resource and times every step."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @hookimpl
    def headwater_resources(self):
        return {"acme_counter": counter}

    @hookimpl
    def headwater_step_succeeded(self, step_key, duration_ms):   # any subset of the arguments
        self.timings[step_key] = duration_ms


metrics = Metrics()
get_plugin_manager().register(metrics, "metrics")
# [end:plugin]


# [start:bind]
@solid(required_resource_keys={"counter"})
def read_counter(context) -> int:
    return context.resources.counter["value"]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"counter": "acme_counter"})])
def counting():
    read_counter()


result = execute_pipeline(counting, run_config={"resources": {"counter": {"config": {"start": 5}}}})
assert result.output_for_solid("read_counter") == 5
assert list(metrics.timings) == ["read_counter"]
# [end:bind]


# [start:inspect]
manager = get_plugin_manager()
for info in manager.plugins.values():
    print(info.name, info.status, info.version, manager.registry.contributions_of(info.name))
# [end:inspect]

assert manager.plugins["metrics"].status == "loaded"
assert manager.registry.contributions_of("metrics") == {"resources": ["acme_counter"]}
