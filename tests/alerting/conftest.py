"""Both stand-ins, for the alerting example: DogStatsD (UDP) and the Datadog API (HTTP),
and PagerDuty's Events API v2 (HTTPS, a self-signed certificate made by openssl)."""

from __future__ import annotations

import pytest

from support.datadog_stand_ins import ApiRecorder, DogStatsdReceiver, start_api_server
from support.pagerduty_stand_in import EventsApi, make_certificate, start_https_server


@pytest.fixture
def dogstatsd():
    receiver = DogStatsdReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def datadog_api():
    recorder = ApiRecorder()
    server = start_api_server(recorder)
    yield recorder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def pagerduty(tmp_path_factory):
    """``(api, url, certificate)``."""
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"))
    api = EventsApi()
    server = start_https_server(api, cert, key)
    yield api, f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
