"""The parquet IO manager: step outputs that are DataFrames, stored by Spark as parquet.

Each output is written to ``<base_path>/<run_id>/<step_key>/<output>`` (plus
``/<mapping_key>`` for one value of a dynamic output), a folder of parquet files. A
downstream input reads it back lazily (``spark.read.parquet``: nothing is loaded until a
Spark action), in the same process or any other that sees ``base_path`` (a shared
filesystem, ``hdfs://``, ``s3a://``). A re-execution reads the outputs it does not
recompute from the run that stored them, and each partition's run has its own folder.

An output's config (``solids.<solid>.outputs.<output>``) may also write the DataFrame
somewhere of its own (csv, parquet, json, orc, text, jdbc, saveAsTable; see
:mod:`headwater_spark.dataframe`), recorded as an asset materialization.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from headwater import (
    AssetMaterialization,
    Field,
    InputContext,
    IOManager,
    OutputContext,
    StringSource,
    io_manager,
)
from headwater_spark.dataframe import (
    MATERIALIZER_SCHEMA,
    PYSPARK_RESOURCE_KEY,
    _is_dataframe,
    write_dataframe,
)
from headwater_spark.errors import SparkDataFrameError

# Hadoop reads [, ], {, }, *, ? and \ in a path as a glob; mapped step keys have brackets.
_GLOB = re.compile(r"[\[\]{}*?\\,]")


class PySparkParquetIOManager(IOManager):
    """Writes each DataFrame output as parquet under ``base_path`` and reads it back lazily.

    Args:
        base_path: The root folder: a local path or any URL Spark writes to.
    """

    def __init__(self, base_path: str) -> None:
        self.base_path = base_path.rstrip("/")

    def path_for(self, context: OutputContext) -> str:
        """``<base_path>/<run_id>/<step_key>/<output>[/<mapping_key>]``, with characters
        Hadoop would read as a glob replaced by ``_``."""
        return "/".join([self.base_path,
                         *(_GLOB.sub("_", part) for part in context.get_output_identifier())])

    def handle_output(self, context: OutputContext, obj: Any) -> Iterator[AssetMaterialization]:
        if not _is_dataframe(None, obj):
            raise SparkDataFrameError(
                f'Output "{context.name}" of step "{context.step_key}" is a '
                f"{type(obj).__name__}, but pyspark_parquet_io_manager stores only Spark "
                "DataFrames. Give outputs of other values an IO manager of their own: "
                'OutputDefinition(io_manager_key="fs_io_manager_key") with that key bound to '
                "fs_io_manager in the mode.")
        path = self.path_for(context)
        # Overwrite: a retried or re-executed step writes the same folder again.
        obj.write.mode("overwrite").parquet(path)
        if context.log is not None:
            context.log.debug(f'Stored output "{context.name}" as parquet at {path}.')
        if context.config:
            yield write_dataframe(obj, context.config,
                                  f"solids.{context.step_key}.outputs.{context.name}")

    def load_input(self, context: InputContext) -> Any:
        from pyspark.errors import AnalysisException

        upstream = context.upstream_output
        assert upstream is not None, "the parquet IO manager loads inputs fed by outputs"
        path = self.path_for(upstream)
        spark = context.resources.pyspark.spark_session
        try:
            return spark.read.parquet(path)
        except AnalysisException as error:
            if error.getCondition() != "PATH_NOT_FOUND":
                raise
            raise SparkDataFrameError(
                f'Input "{context.name}" cannot be loaded: output "{upstream.name}" of step '
                f'"{upstream.step_key}" was not stored at {path} by run {upstream.run_id}. '
                "That run did not produce it, or stored it with another IO manager or "
                "base_path. Re-execute the step that produces it.") from None


@io_manager(
    config_schema={
        "base_path": Field(StringSource,
                           description="Where outputs go: a local folder, or a URL Spark "
                                       "writes to (hdfs://, s3a://). Every process of a run "
                                       "must see it."),
    },
    output_config_schema=MATERIALIZER_SCHEMA,
    required_resource_keys={PYSPARK_RESOURCE_KEY},
    description="Stores DataFrame outputs as parquet at <base_path>/<run_id>/<step_key>/"
                "<output> with the session of the 'pyspark' resource, and reads them back "
                "lazily.",
)
def pyspark_parquet_io_manager(init_context):
    """A PySparkParquetIOManager writing under ``base_path``."""
    return PySparkParquetIOManager(init_context.resource_config["base_path"])
