"""The messages between the driver and the Spark tasks that run steps: pickled tuples, each
preceded by its length, over one TCP connection per task.

A task opens the connection to the driver, says who it is (with the run's token, so that
nothing else that reaches the driver's port can take steps), and from then on the driver
sends it steps and the task sends back each event and log line as it is emitted, and the
end of each step.
"""

from __future__ import annotations

import contextlib
import pickle
import socket
import struct
import threading
from typing import Any

_LENGTH = struct.Struct("!I")


class Channel:
    """One end of a connection: whole messages in, whole messages out.

    Sending is safe from several threads (a step's events and its end come from the task's
    one thread, but the driver answers a task from the thread that reads another's).

    Args:
        sock: A connected TCP socket.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        # Small messages (a step's key, one event) must not wait for more to fill a packet.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = sock.makefile("rb")
        self._send_lock = threading.Lock()

    def send(self, *message: Any) -> None:
        """Send one message (a tuple whose first item names it)."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._send_lock:
            self.sock.sendall(_LENGTH.pack(len(data)) + data)

    def receive(self) -> tuple[Any, ...]:
        """The next message.

        Raises:
            EOFError: The other end closed the connection (or it broke).
        """
        header = self._reader.read(_LENGTH.size)
        if len(header) < _LENGTH.size:
            raise EOFError("the connection was closed")
        (length,) = _LENGTH.unpack(header)
        data = self._reader.read(length)
        if len(data) < length:
            raise EOFError("the connection was closed in the middle of a message")
        message: tuple[Any, ...] = pickle.loads(data)
        return message

    def shut(self) -> None:
        """Break the connection from either side, waking a thread blocked in receive()."""
        # OSError: already closed by the other end.
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.shut()
        self._reader.close()
        self.sock.close()
