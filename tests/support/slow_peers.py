"""Misbehaving HTTP servers on 127.0.0.1 for the tests: trickling, oversized. Bounded."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import requests

from cds_service.fhir.client import FhirClient, FhirLimits, FhirServerPolicy

__all__ = ["LOCAL_TESTING", "Peer", "fhir_client", "huge", "serving", "trickle"]

_MAX_SECONDS = 20.0  # no test server outlives this, whatever the test does


class Peer:
    """A server whose every connection is handled by ``handle`` (socket, stop event)."""

    def __init__(self, handle: Callable[[socket.socket, threading.Event], None]) -> None:
        self._handle = handle
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.connections = 0
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """The base URL of a FHIR server here."""
        return f"http://127.0.0.1:{self.port}/fhir"

    def _accept(self) -> None:
        started = time.monotonic()
        while not self._stop.is_set() and time.monotonic() - started < _MAX_SECONDS:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self._handle(conn, self._stop)

    def start(self) -> None:
        """Accept connections in a thread."""
        thread = threading.Thread(target=self._accept, daemon=True)
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        """Stop accepting and serving; wait for the threads."""
        self._stop.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)


@contextlib.contextmanager
def serving(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[Peer]:
    """A running :class:`Peer`, stopped on exit."""
    peer = Peer(handle)
    peer.start()
    try:
        yield peer
    finally:
        peer.stop()


def read_request(conn: socket.socket) -> None:
    """Read up to the end of the request headers (bounded)."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def trickle(interval_s: float = 0.2) -> Callable[[socket.socket, threading.Event], None]:
    """A server answering a byte every ``interval_s`` (headers first), for at most 20 s."""

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        answer = b'HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\n\r\n{"resourceType"'
        for byte in answer * 10:
            if stop.wait(interval_s):
                return
            conn.sendall(bytes([byte]))

    return handle


def huge(total_bytes: int) -> Callable[[socket.socket, threading.Event], None]:
    """A server answering a JSON body of ``total_bytes`` as fast as it can (no length)."""

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\n")
        conn.sendall(b"Connection: close\r\n\r\n")
        conn.sendall(b'{"resourceType": "Patient", "id": "')
        chunk = b"x" * 65536
        sent = 0
        while sent < total_bytes and not stop.is_set():
            conn.sendall(chunk)
            sent += len(chunk)

    return handle


LOCAL_TESTING = FhirServerPolicy(allow_http=True)


def fhir_client(
    url: str, limits: FhirLimits, policy: FhirServerPolicy = LOCAL_TESTING
) -> FhirClient:
    """A FHIR client of ``url`` (plain HTTP allowed: the peers are on loopback)."""
    return FhirClient(url, "token", limits=limits, session=requests.Session(), policy=policy)
