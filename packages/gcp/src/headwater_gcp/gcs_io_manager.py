"""The GCS IO manager: step outputs pickled to GCS, where any process or machine reads them.

Each output is stored at ``<gcs_prefix>/storage/<run_id>/<step_key>/<output>`` (plus
``/<mapping_key>`` for one value of a dynamic output), the layout of the S3 IO manager and
of the local ``fs_io_manager``. Steps running in other processes (the multiprocess and Dask
executors) load their inputs from there, and a re-execution loads the outputs it does not
recompute from the run that stored them: the input's upstream context carries that run's
id.
"""

from __future__ import annotations

import pickle
from typing import Any

from headwater import Field, InputContext, IOManager, OutputContext, StringSource, io_manager
from headwater_gcp import gcs
from headwater_gcp.errors import ConfigPlace

# The IO manager uses the client of the resource it requires under this key.
GCS_RESOURCE_KEY = "gcs"
_PLACE = ConfigPlace(f'the "{GCS_RESOURCE_KEY}" resource', f"resources.{GCS_RESOURCE_KEY}.config")
_BUCKET_SETTING = "gcs_bucket in the config of gcs_pickle_io_manager (resources.io_manager.config)"


class PickledObjectGCSIOManager(IOManager):
    """Pickles each output to a GCS object and unpickles it for downstream inputs.

    Args:
        client: A ``google.cloud.storage.Client``.
        bucket: The bucket.
        prefix: The name prefix ("" for the bucket's root).
    """

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def key_for(self, context: OutputContext) -> str:
        """The object name of an output, ``<prefix>/storage/<run_id>/<step_key>/<output>``
        (then ``/<mapping_key>`` for a value of a dynamic output)."""
        parts = [self.prefix, "storage", *context.get_output_identifier()]
        return "/".join(part for part in parts if part)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        key = self.key_for(context)
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        gcs.write_bytes(self.client, self.bucket, key, data,
                        f'storing output "{context.name}" of step "{context.step_key}" at '
                        f"gs://{self.bucket}/{key}", _PLACE, _BUCKET_SETTING)
        if context.log is not None:
            context.log.debug(f"Stored {len(data)} bytes at gs://{self.bucket}/{key}.")

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None, "the GCS IO manager loads inputs fed by upstream outputs"
        key = self.key_for(upstream)
        data = gcs.read_bytes(
            self.client, self.bucket, key,
            f'loading input "{context.name}" from gs://{self.bucket}/{key}', _PLACE,
            _BUCKET_SETTING,
            missing_object_hint=(
                f'Output "{upstream.name}" of step "{upstream.step_key}" was not stored '
                f"there by run {upstream.run_id}: that run did not produce it, or stored it "
                "with another IO manager, bucket or prefix. Re-execute the step that "
                "produces it."))
        return pickle.loads(data)


@io_manager(
    config_schema={
        "gcs_bucket": Field(StringSource, description="The bucket outputs are stored in."),
        "gcs_prefix": Field(StringSource, default_value="headwater",
                            description="The name prefix: outputs go under "
                                        "<gcs_prefix>/storage/<run_id>/."),
    },
    required_resource_keys={GCS_RESOURCE_KEY},
    description="Pickles outputs to gs://<gcs_bucket>/<gcs_prefix>/storage/<run_id>/"
                "<step_key>/<output>, with the client of the 'gcs' resource.",
)
def gcs_pickle_io_manager(init_context):
    """A PickledObjectGCSIOManager using the ``gcs`` resource's client."""
    config = init_context.resource_config
    return PickledObjectGCSIOManager(init_context.resources.gcs, config["gcs_bucket"],
                                     config["gcs_prefix"])
