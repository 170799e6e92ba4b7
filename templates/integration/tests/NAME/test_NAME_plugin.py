"""headwater-NAME: the plugin is found, and what it registers works in a run.

Runs in its own nox session (``nox -s NAME``), with headwater-NAME installed.
"""

from __future__ import annotations

import pytest

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater.plugins import get_plugin_manager, reset_plugin_manager


@pytest.fixture(autouse=True)
def fresh_plugins():
    reset_plugin_manager()
    yield
    reset_plugin_manager()


@solid(required_resource_keys={"client"})
def describe_service(context) -> dict:
    return context.resources.client.describe()


@pipeline(mode_defs=[ModeDefinition(resource_defs={"client": "NAME_client"})])
def uses_client():
    describe_service()


def test_plugin_is_discovered_through_its_entry_point():
    info = get_plugin_manager().plugins["NAME"]
    assert (info.status, info.distribution) == ("loaded", "headwater-NAME")


def test_plugin_registers_its_client_by_name():
    registry = get_plugin_manager().registry
    assert registry.contributions_of("NAME") == {"resources": ["NAME_client"]}


def test_mode_binds_the_client_by_name_and_the_run_uses_it(monkeypatch):
    monkeypatch.setenv("NAME_TOKEN", "secret")
    result = execute_pipeline(uses_client, run_config={"resources": {"client": {"config": {
        "endpoint": "https://NAME.example.com", "token": {"env": "NAME_TOKEN"}}}}})
    assert result.output_for_solid("describe_service") == {
        "endpoint": "https://NAME.example.com"}
