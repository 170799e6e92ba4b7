"""A loopback HTTPS stand-in of PagerDuty's Events API v2, and the certificate it serves.

``POST /v2/enqueue`` is answered as PagerDuty answers it: 202 with the event's
``dedup_key`` (a new one for a trigger without), or 400 for an event PagerDuty would
reject (an unknown routing key, a missing summary/source, an unknown severity or action).
The stand-in also keeps what an incident would become: each ``dedup_key``'s status
(``triggered`` or ``resolved``), so tests can follow an incident's lifecycle.

The certificate is self-signed, made by the ``openssl`` command for 127.0.0.1; the client
trusts it through ``SSL_CERT_FILE`` (and ``REQUESTS_CA_BUNDLE``), as it would trust a
company's own certificate authority.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VALID_ROUTING_KEY = "R0UT1NGKEY0123456789ABCDEFGHIJKL"
SEVERITIES = {"info", "warning", "error", "critical"}


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key for 127.0.0.1, valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


@dataclass
class EventsApi:
    """What the stand-in received, and the state of each incident."""

    events: list[dict] = field(default_factory=list)
    incidents: dict[str, str] = field(default_factory=dict)
    # While set, requests wait (up to 30 s) before they are answered, as a slow API would.
    hold: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # When set, every request is answered with this status (429: rate limited, 5xx: down).
    fail_with: int | None = None

    def reset(self) -> None:
        with self.lock:
            self.events.clear()
            self.incidents.clear()
        self.hold.clear()
        self.released.clear()
        self.fail_with = None

    def accepted(self) -> list[dict]:
        """The events answered with 202, in order."""
        with self.lock:
            return [event for event in self.events if event.get("_status") == 202]

    def handle(self, event: dict) -> tuple[int, dict]:
        if self.fail_with is not None:
            with self.lock:
                self.events.append({**event, "_status": self.fail_with})
            return self.fail_with, {"status": "unavailable", "message": "try again later"}
        problem = self._problem(event)
        with self.lock:
            if problem:
                self.events.append({**event, "_status": 400})
                return 400, {"status": "invalid event", "message": "Event object is invalid",
                             "errors": [problem]}
            dedup_key = event.get("dedup_key") or uuid.uuid4().hex
            action = event["event_action"]
            if action == "trigger":
                self.incidents[dedup_key] = "triggered"
            elif action == "resolve" and dedup_key in self.incidents:
                self.incidents[dedup_key] = "resolved"
            self.events.append({**event, "_status": 202})
        return 202, {"status": "success", "message": "Event processed", "dedup_key": dedup_key}

    @staticmethod
    def _problem(event: dict) -> str | None:
        if event.get("routing_key") != VALID_ROUTING_KEY:
            return "Invalid routing key"
        action = event.get("event_action")
        if action not in ("trigger", "acknowledge", "resolve"):
            return "'event_action' is invalid"
        if action == "trigger":
            payload = event.get("payload") or {}
            for name in ("summary", "source", "severity"):
                if not payload.get(name):
                    return f"'payload.{name}' is missing or blank"
            if payload["severity"] not in SEVERITIES:
                return "'payload.severity' is invalid"
        elif not event.get("dedup_key"):
            return "'dedup_key' is missing or blank"
        return None


def start_https_server(api: EventsApi, cert: Path, key: str | Path) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if api.hold.is_set():
                api.released.wait(30)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path != "/v2/enqueue":
                status, answer = 404, {"status": "not found"}
            else:
                status, answer = api.handle(body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
