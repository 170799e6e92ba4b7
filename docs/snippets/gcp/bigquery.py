"""GCP: BigQuery from solids: bigquery_resource, bq_solid_for_queries, dataset and load
solids.

Runs against BigQuery, or an emulator named by BIGQUERY_EMULATOR_HOST (and a GCS endpoint
in STORAGE_EMULATOR_HOST for the load from gs://).
"""

import os

from google.cloud import storage

from headwater import InputDefinition, ModeDefinition, Nothing, execute_pipeline, pipeline, solid
from headwater_gcp import (
    bigquery_resource,
    bq_create_dataset,
    bq_solid_for_queries,
    get_gcs_keys,
    import_gcs_paths_to_bq,
)

PROJECT = os.environ.get("GOOGLE_CLOUD_PROJECT", "my-project")
storage.Client().create_bucket("my-landing")
storage.Client().bucket("my-landing").blob("orders/2024-01-01.csv").upload_from_string(
    "region,total\nnorth,9.5\nsouth,20.0\nnorth,4.25\n")

# [start:pipeline]
revenue_by_region = bq_solid_for_queries(
    ["SELECT region, SUM(total) AS revenue FROM sales.orders GROUP BY region ORDER BY region"])


@solid(input_defs=[InputDefinition("start", Nothing)])
def landed_files() -> list:
    return [f"gs://my-landing/{name}" for name in get_gcs_keys("my-landing", prefix="orders/")]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"bigquery": bigquery_resource})])
def sales_report():
    loaded = import_gcs_paths_to_bq(landed_files(bq_create_dataset()))
    revenue_by_region(loaded)


result = execute_pipeline(sales_report, run_config={
    "resources": {"bigquery": {"config": {"project": PROJECT, "location": "US",
                                          "timeout_seconds": 60.0}}},
    "solids": {
        "bq_create_dataset": {"config": {"dataset": f"{PROJECT}.sales", "exists_ok": True}},
        "import_gcs_paths_to_bq": {
            "config": {"destination": f"{PROJECT}.sales.orders",
                       "load_job_config": {"source_format": "CSV", "skip_leading_rows": 1,
                                           "autodetect": True,
                                           "write_disposition": "WRITE_TRUNCATE"}}},
        revenue_by_region.name: {"config": {"query_job_config": {"use_query_cache": False}}},
    },
})
(report,) = result.output_for_solid(revenue_by_region.name)  # one DataFrame per query
# [end:pipeline]
assert report.to_dict("records") == [{"region": "north", "revenue": 13.75},
                                     {"region": "south", "revenue": 20.0}]
