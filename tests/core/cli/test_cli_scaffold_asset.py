"""``headwater pipeline scaffold-config`` and ``headwater asset list``."""

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
