"""A notebook in a pipeline: the middle solid is a Jupyter notebook.

``load_orders`` makes raw order rows. ``clean`` is the notebook ``notebooks/clean.ipynb``,
executed by papermill in a Jupyter kernel: it drops the orders below a minimum amount set in
config, tidies the customer names, records the cleaned table as an asset and yields the
rows back to the pipeline. ``summarize`` totals them. The notebook's input arrives through
the run's IO manager (``fs_io_manager``: the kernel is another process), and its output goes
on to ``summarize`` like any solid's.

Needs headwater-notebook (``pip install -e packages/core -e packages/notebook`` from a checkout of the repository
(``pip install 'headwater[notebook]'`` from a package index)). Run it:

    headwater pipeline execute -f examples/notebook_pipeline.py

Keep only larger orders, with a run config file (``-c big_orders.yaml``):

    solids:
      clean:
        config:
          min_amount: 20

The executed notebook, with every cell's output, is saved under the instance's storage
directory (``$HEADWATER_HOME/storage/notebooks/<run id>/clean.ipynb``); the run records its
path. To work on the notebook by hand, open ``notebooks/clean.ipynb`` in Jupyter: there
``get_context(solid_config=...)`` builds a development context and the ``parameters`` cell
gives the inputs sample values.
"""

from headwater import (
    Field,
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    file_relative_path,
    fs_io_manager,
    pipeline,
    solid,
)
from headwater_notebook import define_notebook_solid


@solid
def load_orders() -> list:
    """Raw orders, as an export would give them: untidy names, some refunds."""
    return [
        {"customer": "  ada lovelace", "amount": 42.0},
        {"customer": "GRACE HOPPER ", "amount": 12.5},
        {"customer": "alan turing", "amount": 0.0},
        {"customer": "katherine johnson", "amount": 27.25},
    ]


clean = define_notebook_solid(
    "clean",
    file_relative_path(__file__, "notebooks/clean.ipynb"),
    input_defs=[InputDefinition("orders", list)],
    output_defs=[OutputDefinition(list)],
    config_schema={"min_amount": Field(float, default_value=1.0,
                                       description="Orders below this amount are dropped.")},
    description="Drop small orders and tidy the customer names (a Jupyter notebook).",
)


@solid
def summarize(context, orders: list) -> dict:
    """Total the cleaned orders."""
    total = sum(order["amount"] for order in orders)
    context.log.info(f"{len(orders)} orders, {total:.2f} in total.")
    return {"orders": len(orders), "total": total}


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def notebook_pipeline():
    """Load orders, clean them in a notebook, summarize them."""
    summarize(clean(load_orders()))
