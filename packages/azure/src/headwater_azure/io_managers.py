"""The ADLS Gen2 IO manager: step outputs pickled to a file system, where any process or
machine reads them.

Each output is stored at ``<adls2_prefix>/storage/<run_id>/<step_key>/<output>`` (plus
``/<mapping_key>`` for one value of a dynamic output), the layout of the S3 IO manager and
the local ``fs_io_manager``. Steps running in other processes (the multiprocess and Dask
executors) load their inputs from there, and a re-execution loads the outputs it does not
recompute from the run that stored them: the input's upstream context carries that run's
id.
"""

from __future__ import annotations

import pickle
from typing import Any

from headwater import Field, InputContext, IOManager, OutputContext, StringSource, io_manager
from headwater_azure.errors import ConfigPlace
from headwater_azure.object_store import ADLS2ObjectStore

# The IO manager uses the account of the resource it requires under this key.
ADLS2_RESOURCE_KEY = "adls2"
_PLACE = ConfigPlace(f'the "{ADLS2_RESOURCE_KEY}" resource',
                     f"resources.{ADLS2_RESOURCE_KEY}.config")
_FILE_SYSTEM_SETTING = "adls2_file_system in the config of adls2_pickle_io_manager"


class PickledObjectADLS2IOManager(IOManager):
    """Pickles each output to an ADLS Gen2 file and unpickles it for downstream inputs.

    Args:
        store: The file system's files.
        prefix: The path prefix ("" for the file system's root).
    """

    def __init__(self, store: ADLS2ObjectStore, prefix: str) -> None:
        self.store = store
        self.prefix = prefix.strip("/")

    def path_for(self, context: OutputContext) -> str:
        """The path of an output, ``<prefix>/storage/<run_id>/<step_key>/<output>`` (then
        ``/<mapping_key>`` for a value of a dynamic output)."""
        parts = [self.prefix, "storage", *context.get_output_identifier()]
        return "/".join(part for part in parts if part)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = self.path_for(context)
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        self.store.write(path, data, action=f'storing output "{context.name}" of step '
                                            f'"{context.step_key}" at')
        if context.log is not None:
            context.log.debug(f"Stored {len(data)} bytes at {self.store.uri(path)}.")

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None, "the ADLS2 IO manager loads inputs fed by upstream outputs"
        data = self.store.read(
            self.path_for(upstream), action=f'loading input "{context.name}" from',
            missing_blob_hint=(
                f'Output "{upstream.name}" of step "{upstream.step_key}" was not stored '
                f"there by run {upstream.run_id}: that run did not produce it, or stored it "
                "with another IO manager, file system or prefix. Re-execute the step that "
                "produces it."))
        return pickle.loads(data)


@io_manager(
    config_schema={
        "adls2_file_system": Field(StringSource, description="The file system (container) "
                                                             "outputs are stored in."),
        "adls2_prefix": Field(StringSource, default_value="headwater",
                              description="The path prefix: outputs go under "
                                          "<adls2_prefix>/storage/<run_id>/."),
    },
    required_resource_keys={ADLS2_RESOURCE_KEY},
    description="Pickles outputs to <adls2_file_system>/<adls2_prefix>/storage/<run_id>/"
                "<step_key>/<output>, with the account of the 'adls2' resource.",
)
def adls2_pickle_io_manager(init_context):
    """A PickledObjectADLS2IOManager using the ``adls2`` resource's account."""
    config = init_context.resource_config
    store = init_context.resources.adls2.object_store(
        config["adls2_file_system"], _PLACE, file_system_setting=_FILE_SYSTEM_SETTING)
    return PickledObjectADLS2IOManager(store, config["adls2_prefix"])
