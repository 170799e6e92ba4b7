"""``headwater pipeline scaffold-config`` and ``headwater asset list|wipe``."""

from __future__ import annotations

import pytest
import yaml


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))


CONFIGURED = """
from headwater import AssetMaterialization, Field, Output, pipeline, solid

@solid(config_schema={"table": Field(str, description="Where to write."),
                      "limit": Field(int, default_value=10),
                      "note": Field(str, is_required=False)})
def write(context):
    yield AssetMaterialization(["warehouse", context.solid_config["table"]])
    yield Output(context.solid_config["limit"])

@pipeline
def writer():
    write()
"""


def test_scaffold_config_lists_every_field_with_its_type_and_default(invoke, write):
    result = invoke("pipeline", "scaffold-config", "-f", write("writer.py", CONFIGURED))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "      # Where to write." in lines
    assert "      table: ...  # String (required)" in lines
    assert "      limit: 10  # Int (optional, default: 10)" in lines
    assert "      # note: ...  # String (optional)" in lines
    assert any(line.strip().startswith("# multiprocess:") for line in lines)


def test_a_filled_in_scaffold_is_a_valid_run_config(invoke, write, tmp_path):
    path = write("writer.py", CONFIGURED)
    skeleton = invoke("pipeline", "scaffold-config", "-f", path).stdout
    config = tmp_path / "run.yaml"
    config.write_text(skeleton.replace("table: ...", "table: orders"))
    assert yaml.safe_load(config.read_text())["solids"]["write"]["config"]["table"] == "orders"
    result = invoke("pipeline", "execute", "-f", path, "-c", config)
    assert result.exit_code == 0, result.stderr


def test_asset_list_shows_materialized_keys_and_filters_by_prefix(invoke, write, tmp_path):
    path = write("writer.py", CONFIGURED)
    config = tmp_path / "run.yaml"
    config.write_text("solids:\n  write:\n    config:\n      table: orders\n")
    invoke("pipeline", "execute", "-f", path, "-c", config)
    listed = invoke("asset", "list").stdout
    assert "warehouse/orders" in listed
    assert "No asset matches." in invoke("asset", "list", "--prefix", "lake").stdout
    assert "warehouse/orders" in invoke("asset", "list", "--prefix", "warehouse").stdout


def test_asset_list_of_a_fresh_instance_says_there_are_none(invoke):
    assert invoke("asset", "list").stdout.strip() == "No assets."


TWO_ASSETS = """
from headwater import AssetMaterialization, Output, pipeline, solid

@solid
def write(context):
    yield AssetMaterialization(["warehouse", "orders"])
    yield AssetMaterialization(["warehouse", "customers"])
    yield AssetMaterialization(["lake", "raw"])
    yield Output(1)

@pipeline
def writer():
    write()
"""


@pytest.fixture
def materialized(invoke, write):
    """An instance in which warehouse/orders, warehouse/customers and lake/raw were
    materialized by one run."""
    result = invoke("pipeline", "execute", "-f", write("writer.py", TWO_ASSETS))
    assert result.exit_code == 0, result.stderr


def _listed(invoke) -> str:
    return invoke("asset", "list").stdout


def test_asset_wipe_of_one_key_forgets_it_and_keeps_the_others(invoke, materialized):
    result = invoke("asset", "wipe", "warehouse/orders", "--force")
    assert result.exit_code == 0, result.stderr
    listed = _listed(invoke)
    assert "warehouse/orders" not in listed
    assert "warehouse/customers" in listed and "lake/raw" in listed


def test_asset_wipe_of_a_prefix_forgets_every_key_under_it(invoke, materialized):
    assert invoke("asset", "wipe", "--prefix", "warehouse", "--force").exit_code == 0
    listed = _listed(invoke)
    assert "warehouse/" not in listed
    assert "lake/raw" in listed


def test_asset_wipe_all_asks_for_confirmation_and_a_no_keeps_everything(invoke, materialized):
    from click.testing import CliRunner

    from headwater.cli import cli

    refused = CliRunner().invoke(cli, ["asset", "wipe", "--all"], input="n\n")
    assert refused.exit_code != 0
    assert "Forget the materializations of 3 assets" in refused.stdout
    assert "lake/raw" in _listed(invoke)
    accepted = CliRunner().invoke(cli, ["asset", "wipe", "--all"], input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert _listed(invoke).strip() == "No assets."


def test_asset_wipe_keeps_the_runs_event_log(invoke, materialized):
    from headwater.instance import Instance

    assert invoke("asset", "wipe", "--all", "--force").exit_code == 0
    with Instance.get() as instance:
        (run,) = instance.get_runs()
        logged = [entry.headwater_event.event_type_value
                  for entry in instance.all_logs(run.run_id) if entry.headwater_event]
    assert logged.count("ASSET_MATERIALIZATION") == 3


def test_asset_wipe_of_an_unknown_key_is_an_error_with_a_suggestion(invoke, materialized):
    result = invoke("asset", "wipe", "warehouse/order", "--force")
    assert result.exit_code == 2
    assert 'No asset "warehouse/order"' in result.stderr
    assert 'Did you mean "warehouse/orders"?' in result.stderr
    assert "warehouse/orders" in _listed(invoke)


def test_asset_wipe_without_keys_prefix_or_all_is_an_error(invoke, materialized):
    result = invoke("asset", "wipe")
    assert result.exit_code == 2
    assert "--prefix PATH, or --all" in result.stderr
