"""Plugins: enabling and configuring the lifecycle hooks of an installed plugin."""

import importlib
import os
import shutil
import sys
import tempfile

from headwater import execute_pipeline, pipeline, solid
from headwater.instance import Instance

HERE = os.path.dirname(os.path.abspath(__file__))

# An installed plugin "acme_alerts" (a package plus the dist-info an installer writes).
site = tempfile.mkdtemp()
shutil.copy(os.path.join(HERE, "acme_alerts.py"), site)
info = os.path.join(site, "acme_alerts-1.0.dist-info")
os.makedirs(info)
with open(os.path.join(info, "METADATA"), "w") as metadata:
    metadata.write("Metadata-Version: 2.1\nName: acme-alerts\nVersion: 1.0\n")
with open(os.path.join(info, "entry_points.txt"), "w") as entry_points:
    entry_points.write("[headwater]\nacme_alerts = acme_alerts\n")
sys.path.insert(0, site)
importlib.invalidate_caches()
os.environ.pop("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", None)

# An instance whose headwater.yaml enables it.
home = tempfile.mkdtemp()
os.environ["HEADWATER_HOME"] = home
os.environ["ACME_CHANNEL"] = "#data-alerts"
shutil.copy(os.path.join(HERE, "config", "plugins.yaml"), os.path.join(home, "headwater.yaml"))

import acme_alerts  # noqa: E402


@solid
def load() -> int:
    raise ValueError("source table missing")


@pipeline
def daily():
    load()


# [start:run]
with Instance.get() as instance:                 # headwater.yaml enables acme_alerts
    execute_pipeline(daily, instance=instance, raise_on_error=False)

execute_pipeline(daily, raise_on_error=False)    # no instance: no lifecycle plugin runs
# [end:run]

assert acme_alerts.SENT == [("#data-alerts", "load failed: ValueError: source table missing")]
