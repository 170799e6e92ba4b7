"""The Datadog stand-ins, on 127.0.0.1 with free ports, and an instance that enables the
plugin. The environment variables the datadog client reads are cleared, so that nothing a
developer has set changes what is sent or where."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import headwater_datadog
from headwater.plugins import reset_plugin_manager
from support.datadog_stand_ins import (
    VALID_API_KEY,
    ApiRecorder,
    DogStatsdReceiver,
    start_api_server,
)


@pytest.fixture(autouse=True)
def datadog_environment(monkeypatch):
    for name in ("DD_AGENT_HOST", "DD_DOGSTATSD_PORT", "DD_DOGSTATSD_URL", "DD_ENTITY_ID",
                 "DD_ENV", "DD_SERVICE", "DD_VERSION", "DD_API_KEY", "DD_APP_KEY",
                 "DATADOG_API_KEY", "DATADOG_APP_KEY", "DATADOG_HOST", "DATADOG_TAGS",
                 "DD_TAGS", "HEADWATER_DISABLE_PLUGIN_AUTOLOAD", "HEADWATER_DISABLE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    reset_plugin_manager()
    yield
    headwater_datadog.flush()
    reset_plugin_manager()


@pytest.fixture(scope="session")
def dogstatsd_server():
    receiver = DogStatsdReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def dogstatsd(dogstatsd_server):
    """The DogStatsD receiver, emptied."""
    dogstatsd_server.clear()
    return dogstatsd_server


@pytest.fixture(scope="session")
def datadog_api_server():
    recorder = ApiRecorder()
    server = start_api_server(recorder)
    yield recorder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def datadog_api(datadog_api_server):
    """``(recorder, url)`` of the HTTP API stand-in, its records emptied."""
    recorder, url = datadog_api_server
    recorder.requests.clear()
    recorder.hold.clear()
    recorder.released.clear()
    yield recorder, url
    recorder.released.set()


@pytest.fixture
def enable_datadog(headwater_home, dogstatsd, datadog_api):
    """Write the instance's headwater.yaml enabling the plugin against the stand-ins;
    extra settings override the defaults given here."""

    def enable(**settings):
        config = {"statsd_host": "127.0.0.1", "statsd_port": dogstatsd.port,
                  "api_key": VALID_API_KEY, "api_host": datadog_api[1], **settings}
        (Path(headwater_home) / "headwater.yaml").write_text(
            yaml.safe_dump({"plugins": {"datadog": {"config": config}}}))
        return config

    return enable


@pytest.fixture
def api_key():
    return VALID_API_KEY
