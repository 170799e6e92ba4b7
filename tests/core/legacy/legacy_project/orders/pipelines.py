"""The orders pipeline, as written for the legacy API (before `headwater migrate`)."""

import csv

from dagster import (
    AssetMaterialization,
    EventMetadataEntry,
    ExpectationResult,
    Field,
    InputDefinition,
    ModeDefinition,
    Output,
    OutputDefinition,
    PresetDefinition,
    fs_io_manager,
    pipeline,
    solid,
)
from dagster.utils import file_relative_path

from orders.types import OrderRows


@solid(
    config_schema={"path": Field(str, description="The orders CSV file")},
    output_defs=[OutputDefinition(dagster_type=OrderRows)],
)
def load_orders(context):
    with open(context.solid_config["path"]) as handle:
        rows = [dict(row, amount=float(row["amount"])) for row in csv.DictReader(handle)]
    context.log.info(f"loaded {len(rows)} orders")
    return rows


@solid(input_defs=[InputDefinition("orders", dagster_type=OrderRows)])
def total_revenue(context, orders):
    positive = all(order["amount"] >= 0 for order in orders)
    yield ExpectationResult(
        success=positive,
        label="amounts are positive",
        metadata_entries=[EventMetadataEntry.text(str(positive), "all positive")],
    )
    total = sum(order["amount"] for order in orders)
    yield AssetMaterialization(
        asset_key="revenue",
        metadata_entries=[EventMetadataEntry.float(total, "total")],
    )
    yield Output(total)


@pipeline(
    mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})],
    preset_defs=[
        PresetDefinition.from_files(
            "default", config_files=[file_relative_path(__file__, "orders.yaml")]
        )
    ],
)
def orders_pipeline():
    total_revenue(load_orders())
