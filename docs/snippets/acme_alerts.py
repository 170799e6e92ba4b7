"""The plugin module of a (pretend) installed alerting package, acme-alerts."""

# [start:plugin]
from headwater import StringSource
from headwater.integration import hookimpl

SETTINGS = {}
SENT = []          # a real plugin would post to a chat service


@hookimpl
def headwater_plugin_config_schema():
    return {"channel": StringSource}


@hookimpl
def headwater_configure(config):
    SETTINGS.update(config)


@hookimpl
def headwater_step_failed(step_key, error):
    SENT.append((SETTINGS["channel"], f"{step_key} failed: {error.message}"))
# [end:plugin]
