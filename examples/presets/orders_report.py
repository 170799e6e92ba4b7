"""Presets: ready-made run configurations, built from YAML files.

A preset names a run config (and optionally a mode, a solid selection and tags) so that a
run needs no config on the command line. ``PresetDefinition.from_files`` reads YAML files
(paths or globs) and deep-merges them in order: entries of later files win, nested
entries merge. Here ``prod`` is ``config/base.yaml`` with every ``config/prod/*.yaml``
merged over it.

Run a preset:

    headwater pipeline execute -f examples/presets/orders_report.py --preset dev
    headwater pipeline execute -f examples/presets/orders_report.py --preset prod

Or give the same files yourself (later -c files win, as in the preset):

    headwater pipeline execute -f examples/presets/orders_report.py \
        -c examples/presets/config/base.yaml -c 'examples/presets/config/prod/*.yaml'
"""

from headwater import Field, PresetDefinition, file_relative_path, pipeline, solid


@solid(config_schema={"region": str, "days": int})
def load_orders(context) -> list[float]:
    """Pretend to load the order amounts of the last ``days`` days in ``region``."""
    config = context.solid_config
    amounts = [10.0 + 1.25 * day for day in range(config["days"])]
    context.log.info(f"Loaded {len(amounts)} days of orders for region {config['region']}.")
    return amounts


@solid(config_schema={"currency": str, "round_to": Field(int, default_value=0)})
def summarize(context, amounts: list[float]) -> str:
    """Total the amounts in the configured currency."""
    config = context.solid_config
    total = round(sum(amounts), config["round_to"])
    summary = f"Total: {total} {config['currency']}"
    context.log.info(summary)
    return summary


def _config(*patterns: str) -> list[str]:
    return [file_relative_path(__file__, pattern) for pattern in patterns]


@pipeline(preset_defs=[
    PresetDefinition.from_files("dev", _config("config/base.yaml")),
    PresetDefinition.from_files("prod", _config("config/base.yaml", "config/prod/*.yaml"),
                                tags={"environment": "prod"}),
])
def orders_report():
    """Total the recent orders of a region."""
    summarize(load_orders())
