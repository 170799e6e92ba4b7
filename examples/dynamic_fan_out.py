"""Dynamic fan-out: run a solid once per item found at run time, then gather the results.

``list_files`` yields one ``DynamicOutput`` per file it finds; ``.map(count_lines)`` runs
``count_lines`` once per file (each its own step, ``count_lines[notes_txt]``, ...), and
``.collect()`` hands every count to ``total`` as one list.

Run it:

    headwater pipeline execute -f examples/dynamic_fan_out.py

Count other files (a run config file with the list):

    solids:
      list_files:
        config:
          contents: {a.txt: "one line", b.txt: "two\\nlines"}
"""

import re

from headwater import DynamicOutput, DynamicOutputDefinition, Field, pipeline, solid

SAMPLE_FILES = {
    "notes.txt": "buy milk\ncall Ada\n",
    "todo.md": "- write the pipeline\n- run it\n- read the report\n",
    "empty.log": "",
}


@solid(config_schema={"contents": Field(dict, default_value=SAMPLE_FILES,
                                        description="File name -> text.")},
       output_defs=[DynamicOutputDefinition(dict)])
def list_files(context):
    """One output per file, keyed by a name safe for step keys."""
    for name, text in context.solid_config["contents"].items():
        yield DynamicOutput({"name": name, "text": text},
                            mapping_key=re.sub(r"\W", "_", name))


@solid
def count_lines(context, file: dict) -> int:
    """Count the lines of one file."""
    lines = len(file["text"].splitlines())
    context.log.info(f"{file['name']}: {lines} lines")
    return lines


@solid
def total(context, counts: list[int]) -> int:
    """Add up the counts of every file."""
    context.log.info(f"{len(counts)} files, {sum(counts)} lines in all")
    return sum(counts)


@pipeline
def line_counts():
    """Count the lines of every file, one step per file."""
    counts = list_files().map(count_lines)
    total(counts.collect())
