"""Loopback stand-ins for Datadog: a DogStatsD receiver (UDP) and an HTTP API recorder.

The DogStatsD receiver parses each datagram the way the agent does (one metric, event or
service check per line). The HTTP recorder answers ``POST /api/v1/events`` as Datadog does
for a known API key (202 and the event), and 403 ``{"errors": ["Forbidden"]}`` for any
other key.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID_API_KEY = "dd-test-api-key"


@dataclass(frozen=True)
class Packet:
    """One DogStatsD line: ``name:value|type|#tag,tag``."""

    name: str
    value: float
    kind: str
    tags: frozenset[str]

    @classmethod
    def parse(cls, line: str) -> Packet:
        head, kind, *rest = line.split("|")
        name, value = head.rsplit(":", 1)
        tags = next((part[1:].split(",") for part in rest if part.startswith("#")), [])
        return cls(name, float(value), kind, frozenset(tags))


class DogStatsdReceiver:
    """A UDP socket on 127.0.0.1 that keeps every line it receives, in a thread."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.lines: list[str] = []
        self.datagrams = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while True:
            try:
                data = self.socket.recv(65535)
            except OSError:
                return
            with self._lock:
                self.datagrams += 1
                self.lines.extend(line for line in data.decode().splitlines() if line)

    def packets(self) -> list[Packet]:
        with self._lock:
            return [Packet.parse(line) for line in self.lines
                    if not line.startswith(("_e{", "_sc|"))]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Packet]:
        """The packets, once at least ``count`` arrived (or the deadline passed)."""
        deadline = time.monotonic() + timeout
        while len(self.packets()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.packets()

    def received_until_now(self, timeout: float = 10.0) -> list[Packet]:
        """Every packet sent before this call: a marker datagram goes through the same
        socket and, once it is read, everything sent earlier has been read too."""
        marker = f"stand_in.marker.{time.monotonic_ns()}"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.sendto(f"{marker}:1|c".encode(), ("127.0.0.1", self.port))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            packets = self.packets()
            if any(p.name == marker for p in packets):
                return [p for p in packets if not p.name.startswith("stand_in.marker.")]
            time.sleep(0.01)
        raise AssertionError("the DogStatsD receiver did not read its own marker datagram")

    def clear(self) -> None:
        with self._lock:
            self.lines.clear()
            self.datagrams = 0

    def close(self) -> None:
        self.socket.close()


@dataclass
class ApiRecorder:
    """What the HTTP stand-in received: ``(path, headers, body)`` per request."""

    requests: list[tuple[str, dict[str, str], dict]] = field(default_factory=list)
    # While set, requests wait before they are answered (up to 30 s), as a slow API would.
    hold: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def events(self) -> list[dict]:
        return [body for path, _headers, body in self.requests if path.startswith("/api/v1/events")]


def start_api_server(recorder: ApiRecorder) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if recorder.hold.is_set():
                recorder.released.wait(30)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            recorder.requests.append((self.path, dict(self.headers), body))
            if self.headers.get("DD-API-KEY") != VALID_API_KEY:
                self._answer(403, {"errors": ["Forbidden"]})
            else:
                self._answer(202, {"status": "ok", "event": {"id": len(recorder.requests),
                                                              **body}})

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
