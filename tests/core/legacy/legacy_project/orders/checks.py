"""The project's own checks, as written for the legacy API's test helpers."""

from dagster import execute_pipeline
from dagster.core.test_utils import instance_for_test
from dagster.utils import file_relative_path

from orders.pipelines import orders_pipeline


def check_total_revenue():
    run_config = {"solids": {"load_orders": {"config": {
        "path": file_relative_path(__file__, "../orders.csv")}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(orders_pipeline, run_config=run_config, instance=instance)
    assert result.success
    solid_result = result.result_for_solid("total_revenue")
    assert solid_result.output_value() == 20.0
    [materialization] = solid_result.materializations_during_compute
    assert materialization.label == "revenue"
    assert materialization.metadata_entries[0].entry_data.value == 20.0
    return solid_result.output_value()
