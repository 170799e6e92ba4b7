"""The NAME client, as a Headwater resource."""

from __future__ import annotations

from typing import Any

from headwater import Field, StringSource, resource


class Client:
    """A minimal client for NAME: replace the body with calls to the real library.

    Args:
        endpoint: The service's base URL.
        token: The credential sent with each request.
    """

    def __init__(self, endpoint: str, token: str) -> None:
        self.endpoint = endpoint
        self.token = token
        self.closed = False

    def describe(self) -> dict[str, Any]:
        """What this client talks to (a stand-in for a real call)."""
        return {"endpoint": self.endpoint}

    def close(self) -> None:
        """Release connections."""
        self.closed = True


@resource(
    config_schema={
        "endpoint": Field(StringSource, description="The service's base URL."),
        "token": Field(StringSource, description="The credential; give it as {env: VAR}."),
    },
    description="A client for NAME.",
)
def NAME_client_resource(init_context):
    """A Client, closed when the run ends."""
    config = init_context.resource_config
    client = Client(config["endpoint"], config["token"])
    yield client
    client.close()
