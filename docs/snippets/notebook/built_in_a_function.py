"""Notebooks: a notebook solid in a pipeline built inside a function, sent to the kernel by
value (run from a scratch folder: it writes its notebook there)."""

import os

import nbformat

from headwater import (
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    make_values_resource,
    pipeline,
    solid,
)
from headwater_notebook import define_notebook_solid

NOTEBOOK = os.path.abspath("scale.ipynb")
nbformat.write(nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_code_cell("import headwater_notebook as hn"),
    nbformat.v4.new_code_cell("numbers = [1]", metadata={"tags": ["parameters"]}),
    nbformat.v4.new_code_cell(
        "context = hn.get_context()\n"
        "weight = context.resources.client['weight']\n"
        "hn.yield_result([n * weight for n in numbers])"),
]), NOTEBOOK)


# [start:define]
def run_scaled(start):
    # Built inside a function: the kernel cannot import it, so the step sends it by value,
    # with the value of ``start`` it closes over.
    @solid
    def numbers() -> list:
        return [start, start + 1]

    scale = define_notebook_solid("scale", NOTEBOOK,
                                  input_defs=[InputDefinition("numbers", list)],
                                  output_defs=[OutputDefinition(list)],
                                  required_resource_keys={"client"})

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "io_manager": fs_io_manager,          # the kernel loads the input from it
        "client": make_values_resource(weight=int),
    })])
    def scaled():
        scale(numbers())

    return execute_pipeline(scaled, run_config={
        "resources": {"client": {"config": {"weight": 10}}}})


result = run_scaled(start=2)
assert result.success
assert result.result_for_solid("scale").output_value() == [20, 30]
# [end:define]
