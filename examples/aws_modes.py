"""One pipeline, two homes for its outputs: local files, or S3. Only the mode differs.

The solids return values and never say where they go; the mode's IO manager stores them.
In ``local`` mode each output is pickled under the instance's storage folder
(``$HEADWATER_HOME/storage/<run_id>/<step_key>/result``); in ``aws`` mode it is pickled to
``s3://$HEADWATER_S3_BUCKET/examples/storage/<run_id>/<step_key>/result``, where steps on
other processes or machines, and re-executions, read it back. Needs
``pip install -e packages/core -e packages/aws`` from a checkout of the repository
(``pip install 'headwater[aws]'`` from a package index).

Run it with local files:

    headwater pipeline execute -f examples/aws_modes.py --mode local

Run it with S3 (credentials and region the usual AWS way, from the environment or
~/.aws; AWS_ENDPOINT_URL points boto3 at an S3-compatible store instead of AWS):

    HEADWATER_S3_BUCKET=my-bucket headwater pipeline execute -f examples/aws_modes.py --mode aws
"""

from headwater import ModeDefinition, fs_io_manager, pipeline, solid
from headwater_aws import s3_pickle_io_manager, s3_resource


@solid
def fetch_orders() -> list[dict]:
    """The day's orders (a stand-in for reading them from a shop's API)."""
    return [{"id": 1, "total": 9.5}, {"id": 2, "total": 20.0}, {"id": 3, "total": 4.25}]


@solid
def revenue(context, orders: list[dict]) -> float:
    """Add up the orders' totals."""
    total = sum(order["total"] for order in orders)
    context.log.info(f"{len(orders)} orders, revenue {total:.2f}")
    return total


@pipeline(mode_defs=[
    ModeDefinition("local", resource_defs={"io_manager": fs_io_manager},
                   description="Outputs pickled to files under $HEADWATER_HOME/storage."),
    ModeDefinition("aws", resource_defs={
        # The bucket is read from the environment when a run starts (the file loads, and
        # runs in local mode, without it).
        "io_manager": s3_pickle_io_manager.configured(
            {"s3_bucket": {"env": "HEADWATER_S3_BUCKET"}, "s3_prefix": "examples"}),
        "s3": s3_resource,
    }, description="Outputs pickled to S3, in the bucket $HEADWATER_S3_BUCKET."),
])
def daily_revenue():
    """Fetch the day's orders and add up their revenue."""
    revenue(fetch_orders())
