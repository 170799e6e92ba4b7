"""The ``headwater airflow`` command group."""

from __future__ import annotations

import click


@click.group(name="airflow")
def airflow_cli() -> None:
    """Run Headwater pipelines as Airflow DAGs."""


@airflow_cli.command(name="scaffold")
@click.option("-f", "--python-file", type=click.Path(exists=True, dir_okay=False),
              help="The file that defines the pipeline.")
@click.option("-m", "--module-name", help="The module that defines the pipeline.")
@click.option("-a", "--attribute", help="The pipeline, repository or function in it.")
@click.option("-p", "--pipeline", "pipeline_name", required=True, help="The pipeline.")
@click.option("-c", "--config", "config_files", multiple=True,
              help="A YAML run config file (a glob; may be repeated, merged in order).")
@click.option("--mode", help="The mode.")
@click.option("--preset", help="A preset, instead of -c and --mode.")
@click.option("--dag-id", help="The DAG's id (default headwater_<pipeline>).")
@click.option("-o", "--output", default=None,
              help="A folder or a .py file (default: $AIRFLOW_HOME/dags).")
def scaffold_command(python_file: str | None, module_name: str | None, attribute: str | None,
                     pipeline_name: str, config_files: tuple[str, ...], mode: str | None,
                     preset: str | None, dag_id: str | None, output: str | None) -> None:
    """Write an Airflow DAG file that runs a pipeline, one task per solid."""
    import os

    from headwater import HeadwaterError
    from headwater.integration import fail_command
    from headwater_airflow.scaffold import scaffold_dag_file

    if (python_file is None) == (module_name is None):
        raise click.UsageError("Give exactly one of -f/--python-file and -m/--module-name.")
    if output is None:
        home = os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow"))
        output = os.path.join(home, "dags")
    if not output.endswith(".py") and not os.path.isdir(output):
        raise click.UsageError(f'The output folder "{output}" does not exist; create it or '
                               "pass -o with an existing folder or a .py path.")
    try:
        path = scaffold_dag_file(pipeline_name, output, python_file, module_name, attribute,
                                 config_files, mode, preset, dag_id)
    except HeadwaterError as error:
        fail_command(str(error))
    click.echo(f"Wrote the Airflow DAG file {path}")
