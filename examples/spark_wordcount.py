"""Word count, one pipeline, two places to run it: a local Spark, or a Spark cluster.

Nothing in the code says where the steps run; the run config's ``execution`` does. Both
configs use the ``spark`` executor (install ``pip install -e packages/core -e
packages/spark`` from a checkout, with Java 17): every step is a task on Spark's executors. The mode stores outputs with
``fs_io_manager`` (files under the instance's storage folder), which every executor on
this machine can read.

On a Spark started for the run in this process (``local[*]``):

    headwater pipeline execute -f examples/spark_wordcount.py -c examples/spark_config/local.yaml

On a standalone cluster whose master listens at the URL in ``cluster.yaml`` (start one
with Spark's ``sbin/start-master.sh`` and ``sbin/start-worker.sh``, or pyspark's
``bin/spark-class org.apache.spark.deploy.master.Master`` and ``...deploy.worker.Worker``):

    headwater pipeline execute -f examples/spark_wordcount.py -c examples/spark_config/cluster.yaml

``count_words`` runs once per chunk of the text, each chunk a step of its own: side by side
on the executors.
"""

import collections
import os
import re

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    fs_io_manager,
    pipeline,
    solid,
)


@solid(config_schema={"path": Field(str, default_value=__file__,
                                    description="The text to count (default: this file)."),
                      "chunks": Field(int, default_value=4)},
       output_defs=[DynamicOutputDefinition(list)])
def split_text(context):
    """Cut the text into chunks of lines, one output each."""
    with open(context.solid_config["path"], encoding="utf-8") as text:
        lines = text.read().splitlines()
    chunks = context.solid_config["chunks"]
    size = -(-len(lines) // chunks)
    for index in range(chunks):
        yield DynamicOutput(lines[index * size:(index + 1) * size], mapping_key=f"chunk_{index}")


@solid
def count_words(context, lines: list) -> dict:
    """Count the words of one chunk."""
    counts = collections.Counter(word for line in lines
                                 for word in re.findall(r"[a-z]+", line.lower()))
    context.log.info(f"{sum(counts.values())} words counted in process {os.getpid()}")
    return dict(counts)


@solid
def merge_counts(context, counts: list) -> dict:
    """Add up the chunks' counts and log the most frequent words."""
    total = collections.Counter()
    for chunk in counts:
        total.update(chunk)
    top = ", ".join(f"{word}: {count}" for word, count in total.most_common(5))
    context.log.info(f"{len(total)} distinct words; most frequent: {top}")
    return dict(total)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def spark_wordcount():
    """Count the words of a text, chunk by chunk."""
    merge_counts(split_text().map(count_words).collect())
