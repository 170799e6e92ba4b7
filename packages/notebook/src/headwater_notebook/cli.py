"""``headwater notebook``: scaffold notebooks that run as solids."""

from __future__ import annotations

import os

import click


@click.group(name="notebook")
def notebook_cli() -> None:
    """Jupyter notebooks that run as solids (headwater-notebook)."""


@notebook_cli.command(name="create")
@click.argument("name")
@click.option("--kernel", "kernel_name", default=None, metavar="K",
              help="The Jupyter kernel the notebook records (default: python3, the Python "
                   "running the pipeline).")
@click.option("--force", is_flag=True, help="Overwrite the notebook if it exists.")
def create_command(name: str, kernel_name: str | None, force: bool) -> None:
    """Create the notebook NAME (.ipynb added if missing), with a cell tagged parameters
    for the inputs' defaults and a cell getting the solid's context."""
    import nbformat

    from headwater.integration import fail_command as fail
    from headwater_notebook.errors import HeadwaterNotebookError
    from headwater_notebook.kernels import DEFAULT_KERNEL, check_kernel
    from headwater_notebook.notebook import new_notebook

    path = name if name.endswith(".ipynb") else f"{name}.ipynb"
    kernel_name = kernel_name or DEFAULT_KERNEL
    if os.path.exists(path) and not force:
        fail(f'The notebook "{path}" exists; pass --force to overwrite it.')
    try:
        spec = check_kernel(kernel_name, f'The notebook "{path}"')
    except HeadwaterNotebookError as error:
        fail(str(error))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    title = os.path.splitext(os.path.basename(path))[0]
    nbformat.write(new_notebook(title, kernel_name, spec.display_name), path)
    click.echo(f"Created {path} (kernel {kernel_name}).")
