"""Plugins: enabling the lifecycle hooks of a discovered plugin."""

import importlib
import os
import sys
import tempfile

from headwater import execute_pipeline, pipeline, solid
from headwater.instance import Instance

# An installed plugin "acme_alerts" (a package plus the dist-info an installer writes),
# whose lifecycle hook records the steps that succeeded.
site = tempfile.mkdtemp()
os.makedirs(os.path.join(site, "acme_alerts"))
with open(os.path.join(site, "acme_alerts", "__init__.py"), "w") as module:
    module.write("from headwater.plugins import hookimpl\n"
                 "SUCCEEDED = []\n"
                 "@hookimpl\n"
                 "def headwater_step_succeeded(step_key):\n"
                 "    SUCCEEDED.append(step_key)\n")
info = os.path.join(site, "acme_alerts-1.0.dist-info")
os.makedirs(info)
with open(os.path.join(info, "METADATA"), "w") as metadata:
    metadata.write("Metadata-Version: 2.1\nName: acme-alerts\nVersion: 1.0\n")
with open(os.path.join(info, "entry_points.txt"), "w") as entry_points:
    entry_points.write("[headwater]\nacme_alerts = acme_alerts\n")
sys.path.insert(0, site)
importlib.invalidate_caches()
os.environ["HEADWATER_HOME"] = tempfile.mkdtemp()
os.environ.pop("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", None)

import acme_alerts  # noqa: E402


@solid
def load() -> int:
    return 1


@pipeline
def daily():
    load()


# [start:enable]
with Instance.get() as instance:
    execute_pipeline(daily, instance=instance)            # discovered: hooks do not run
    instance.enabled_plugins = {"acme_alerts"}            # until headwater.yaml can say so
    execute_pipeline(daily, instance=instance)            # now they do
# [end:enable]

assert acme_alerts.SUCCEEDED == ["load"]
