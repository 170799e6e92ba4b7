"""Concepts: resources."""

import os

from headwater import (
    Field,
    ModeDefinition,
    ResourceDefinition,
    StringSource,
    build_init_resource_context,
    execute_pipeline,
    make_values_resource,
    pipeline,
    resource,
    solid,
)

events: list[str] = []


# [start:resource]
class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def get(self, path: str) -> str:
        return f"GET {self.url}{path}"

    def close(self) -> None:
        events.append("client closed")


@resource(config_schema={"url": str, "token": Field(StringSource, is_required=False,
                                                    default_value="anonymous")})
def api_client(init_context):
    client = Client(init_context.resource_config["url"], init_context.resource_config["token"])
    yield client          # the value solids see
    client.close()        # teardown, after the last step (also when a step failed)


@solid(required_resource_keys={"api"})
def fetch_users(context) -> str:
    return context.resources.api.get("/users")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"api": api_client})])
def users():
    fetch_users()


result = execute_pipeline(users, run_config={
    "resources": {"api": {"config": {"url": "https://api.example.com"}}}})
assert result.output_for_solid("fetch_users") == "GET https://api.example.com/users"
assert events == ["client closed"]
# [end:resource]


# [start:dependencies]
@resource(config_schema={"env": str})
def settings(init_context):
    return {"url": f"https://{init_context.resource_config['env']}.example.com"}


@resource(required_resource_keys={"settings"})
def settings_client(init_context):
    return Client(init_context.resources.settings["url"], "token")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"api": settings_client,
                                                   "settings": settings})])
def users_from_settings():
    fetch_users()


result = execute_pipeline(users_from_settings,
                          run_config={"resources": {"settings": {"config": {"env": "staging"}}}})
assert result.output_for_solid("fetch_users") == "GET https://staging.example.com/users"
# [end:dependencies]


# [start:lazy]
built: list[str] = []


@resource
def expensive(_init_context):
    built.append("expensive")
    return object()


@solid
def cheap() -> int:
    return 1


@solid(required_resource_keys={"big"})
def heavy(context) -> int:
    return 2


@pipeline(mode_defs=[ModeDefinition(resource_defs={"big": expensive})])
def mixed():
    cheap()
    heavy()


execute_pipeline(mixed, solid_selection=["cheap"])
assert built == []                 # no selected step needs "big": it is never built
execute_pipeline(mixed)
assert built == ["expensive"]
# [end:lazy]


# [start:configured]
anonymous_api = api_client.configured({"url": "https://api.example.com"})
production_api = api_client.configured(
    lambda _config: {"url": "https://api.example.com", "token": {"env": "API_TOKEN"}})
staging_api = api_client.configured(
    lambda config: {"url": f"https://{config['region']}.staging.example.com"},
    config_schema={"region": str},
)
# [end:configured]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"api": staging_api})])
def regional_users():
    fetch_users()


assert execute_pipeline(regional_users, run_config={
    "resources": {"api": {"config": {"region": "eu"}}}}).output_for_solid("fetch_users") == \
    "GET https://eu.staging.example.com/users"



@pipeline(mode_defs=[ModeDefinition(resource_defs={"api": production_api})])
def production_users():
    fetch_users()


os.environ.pop("API_TOKEN", None)
try:
    execute_pipeline(production_users)
except Exception as error:
    assert "API_TOKEN" in str(error)   # read when the run starts, not at import
else:
    raise AssertionError("API_TOKEN is not set: the run must not start")


# [start:helpers]
constant = ResourceDefinition.hardcoded_resource({"rows": 3})       # always this value
nothing = ResourceDefinition.none_resource()                        # None, for a test mode
params = make_values_resource(day=str, limit=int)                   # the value is its config
# [end:helpers]


# [start:direct]
client = next(api_client(build_init_resource_context(config={"url": "http://x", "token": "t"})))
assert client.get("/") == "GET http://x/"
# [end:direct]
