"""A lean HTTP/1.1 load client for the benchmark: one keep-alive socket, one request prebuilt.

The clients share the machine with the servers they measure. ``requests`` spends about a
millisecond of CPU on each 245 kB POST (building the request, copying the body, parsing
the answer), CPU the servers then lack, which compresses every ratio towards 1 and flatters
the slower server. This client sends the same bytes each time with one ``sendall`` and
reads the answer by its ``Content-Length``, as wrk would, so the servers get nearly all of
the machine and the figures compare their own costs.
"""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

__all__ = ["LeanClient", "run_client"]

_HEAD_END = b"\r\n\r\n"


class LeanClient:
    """POSTs one body to one URL, again and again, over one connection."""

    def __init__(self, url: str, body: bytes, timeout_s: float = 10.0) -> None:
        parts = urlsplit(url)
        self._address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._timeout_s = timeout_s
        head = (
            f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self._request = head.encode("ascii") + body
        self._socket: socket.socket | None = None
        self._buffer = b""

    def post(self) -> int:
        """Send the request and read the whole answer; its HTTP status."""
        connection = self._connected()
        connection.sendall(self._request)
        head = self._read_head(connection)
        status = int(head[9:12])
        length, closing = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
                closing = True
        self._read_exactly(connection, length)
        if closing:
            self.close()
        return status

    def close(self) -> None:
        """Close the connection (the next post opens another)."""
        if self._socket is not None:
            self._socket.close()
        self._socket, self._buffer = None, b""

    def _connected(self) -> socket.socket:
        if self._socket is None:
            self._socket = socket.create_connection(self._address, timeout=self._timeout_s)
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._socket

    def _read_head(self, connection: socket.socket) -> bytes:
        while (end := self._buffer.find(_HEAD_END)) < 0:
            self._receive(connection)
        head, self._buffer = self._buffer[:end], self._buffer[end + len(_HEAD_END) :]
        return head

    def _read_exactly(self, connection: socket.socket, length: int) -> None:
        while len(self._buffer) < length:
            self._receive(connection)
        self._buffer = self._buffer[length:]

    def _receive(self, connection: socket.socket) -> None:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection mid-answer")
        self._buffer += chunk


def run_client(url: str, body: bytes, seconds: float) -> tuple[list[float], int]:
    """POST ``body`` to ``url`` back to back for ``seconds``: latencies and the non-200 count."""
    client = LeanClient(url, body)
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status = client.post()
            latencies.append(time.perf_counter() - started)
            errors += status != 200
    finally:
        client.close()
    return latencies, errors
