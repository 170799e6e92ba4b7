"""The S3 IO manager: step outputs pickled to S3, where any process or machine reads them.

Each output is stored at ``<s3_prefix>/storage/<run_id>/<step_key>/<output>`` (plus
``/<mapping_key>`` for one value of a dynamic output), the layout of the local
``fs_io_manager``. Steps running in other processes (the multiprocess and Dask executors)
load their inputs from there, and a re-execution loads the outputs it does not recompute
from the run that stored them: the input's upstream context carries that run's id.
"""

from __future__ import annotations

import pickle
from typing import Any

from headwater import Field, InputContext, IOManager, OutputContext, StringSource, io_manager
from headwater_aws.errors import ConfigPlace, aws_errors

# The IO manager uses the client of the resource it requires under this key.
S3_RESOURCE_KEY = "s3"
_PLACE = ConfigPlace(f'the "{S3_RESOURCE_KEY}" resource', f"resources.{S3_RESOURCE_KEY}.config")
_BUCKET_SETTING = "s3_bucket in the config of s3_pickle_io_manager"


class PickledObjectS3IOManager(IOManager):
    """Pickles each output to an S3 object and unpickles it for downstream inputs.

    Args:
        s3: A boto3 S3 client.
        bucket: The bucket.
        prefix: The key prefix ("" for the bucket's root).
    """

    def __init__(self, s3: Any, bucket: str, prefix: str) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def key_for(self, context: OutputContext) -> str:
        """The object key of an output, ``<prefix>/storage/<run_id>/<step_key>/<output>``
        (then ``/<mapping_key>`` for a value of a dynamic output)."""
        parts = [self.prefix, "storage", *context.get_output_identifier()]
        return "/".join(part for part in parts if part)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        key = self.key_for(context)
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        with aws_errors(f'storing output "{context.name}" of step "{context.step_key}" at '
                        f"s3://{self.bucket}/{key}", _PLACE, self.bucket, key,
                        bucket_setting=_BUCKET_SETTING):
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
        if context.log is not None:
            context.log.debug(f"Stored {len(data)} bytes at s3://{self.bucket}/{key}.")

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None, "the S3 IO manager loads inputs fed by upstream outputs"
        key = self.key_for(upstream)
        with aws_errors(
                f'loading input "{context.name}" from s3://{self.bucket}/{key}',
                _PLACE, self.bucket, key, bucket_setting=_BUCKET_SETTING,
                missing_object_hint=(
                    f'Output "{upstream.name}" of step "{upstream.step_key}" was not stored '
                    f"there by run {upstream.run_id}: that run did not produce it, or stored "
                    "it with another IO manager, bucket or prefix. Re-execute the step that "
                    "produces it.")):
            data = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return pickle.loads(data)


@io_manager(
    config_schema={
        "s3_bucket": Field(StringSource, description="The bucket outputs are stored in."),
        "s3_prefix": Field(StringSource, default_value="headwater",
                           description="The key prefix: outputs go under "
                                       "<s3_prefix>/storage/<run_id>/."),
    },
    required_resource_keys={S3_RESOURCE_KEY},
    description="Pickles outputs to s3://<s3_bucket>/<s3_prefix>/storage/<run_id>/<step_key>/"
                "<output>, with the S3 client of the 's3' resource.",
)
def s3_pickle_io_manager(init_context):
    """A PickledObjectS3IOManager using the ``s3`` resource's client."""
    config = init_context.resource_config
    return PickledObjectS3IOManager(init_context.resources.s3, config["s3_bucket"],
                                    config["s3_prefix"])
