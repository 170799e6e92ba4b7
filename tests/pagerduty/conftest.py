"""The PagerDuty stand-in (HTTPS on 127.0.0.1, a self-signed certificate the test session
makes), trusted through SSL_CERT_FILE, and an instance that enables the plugin."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import headwater_pagerduty
from headwater.plugins import reset_plugin_manager
from support.pagerduty_stand_in import (
    VALID_ROUTING_KEY,
    EventsApi,
    make_certificate,
    start_https_server,
)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def events_api_server(certificate):
    cert, key = certificate
    api = EventsApi()
    server = start_https_server(api, cert, key)
    yield api, f"https://127.0.0.1:{server.server_address[1]}"
    api.released.set()
    server.shutdown()


@pytest.fixture(autouse=True)
def trusted_certificate(certificate, monkeypatch):
    """The stand-in's certificate is trusted by every client of the test process and of the
    processes it starts (the CLI, the docs snippets)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
    for name in ("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", "HEADWATER_DISABLE_PLUGINS",
                 "PAGERDUTY_ROUTING_KEY"):
        monkeypatch.delenv(name, raising=False)
    reset_plugin_manager()
    yield
    headwater_pagerduty.flush(30)
    reset_plugin_manager()


@pytest.fixture
def events_api(events_api_server):
    """``(api, url)``: the stand-in's records, emptied, and its URL."""
    api, url = events_api_server
    api.reset()
    yield api, url
    api.released.set()


@pytest.fixture
def routing_key():
    return VALID_ROUTING_KEY


@pytest.fixture
def enable_pagerduty(headwater_home, events_api):
    """Write the instance's headwater.yaml enabling the plugin against the stand-in; extra
    settings override the defaults given here."""

    def enable(**settings):
        config = {"routing_key": VALID_ROUTING_KEY, "events_api_url": events_api[1],
                  "source": "test-host", "max_attempts": 2, "timeout": 5.0, **settings}
        (Path(headwater_home) / "headwater.yaml").write_text(
            yaml.safe_dump({"plugins": {"pagerduty": {"config": config}}}))
        return config

    return enable


@pytest.fixture
def pagerduty_env(events_api):
    """The environment of a process that talks to the stand-in (trust and URL)."""
    return {**os.environ, "PAGERDUTY_EVENTS_API_URL": events_api[1],
            "PAGERDUTY_ROUTING_KEY": VALID_ROUTING_KEY}
