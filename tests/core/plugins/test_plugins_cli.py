"""``headwater plugins list|show``, plugin command groups and ``-p no:NAME``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from headwater.cli import cli
from headwater.plugins import reset_plugin_manager


def _run(*args: str):
    reset_plugin_manager()
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_shows_each_plugin_with_distribution_version_and_registrations(plugin_site):
    result = _run("plugins", "list")
    assert result.exit_code == 0
    assert "acme-plugin 0.3.1" in result.output
    assert "acme_counter" in result.output
    assert "acme_exec" in result.output


def test_list_json_reports_broken_plugins_with_their_reason(plugin_site):
    result = _run("plugins", "list", "--json")
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["acme"]["registers"]["resources"] == ["acme_counter"]
    assert "run_started" in rows["acme"]["lifecycle_hooks"]
    assert rows["broken"]["status"] == "broken"
    assert "not installed" in rows["broken"]["error"]
    assert rows["headwater"]["builtin"] is True


def test_show_prints_the_config_schema_of_each_definition(plugin_site):
    result = _run("plugins", "show", "acme")
    assert result.exit_code == 0
    assert "acme_counter" in result.output
    assert "start: Int (required)" in result.output
    assert "marker: String (required)" in result.output


def test_show_of_an_unknown_plugin_lists_the_installed_ones(plugin_site):
    result = CliRunner().invoke(cli, ["plugins", "show", "nope"])
    assert result.exit_code != 0
    assert "acme" in result.output


def test_plugin_adds_a_command_group(plugin_site):
    result = _run("acme", "hello")
    assert result.exit_code == 0
    assert result.output.strip() == "hello from acme"


def test_dash_p_no_name_switches_a_plugin_off(plugin_site, monkeypatch):
    monkeypatch.delenv("HEADWATER_DISABLE_PLUGINS", raising=False)
    result = _run("-p", "no:acme", "plugins", "list", "--json")
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["acme"]["status"] == "disabled"
