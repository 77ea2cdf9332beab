"""Where the FHIR fallback may connect, and until when (contract section 6).

Two guards around every connection a hook call's FHIR session opens:

- **Addresses.** A host is resolved once, every address it resolves to is checked, and the
  connection is made to the checked address (a second lookup could answer otherwise: DNS
  rebinding). Loopback, private, link-local, unique-local and other non-global addresses
  are refused unless the host is allow-listed or local testing is on.
- **Wall clock.** Socket timeouts bound each wait, not the whole read: a server sending a
  byte every half second would hold the worker for as long as it likes. Each socket opened
  for a call is shut down when the call's deadline passes, whatever it is waiting for.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

__all__ = [
    "CallGuard",
    "GuardedAdapter",
    "address_refused",
    "host_refused",
]

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_LOCAL_NAMES = ("localhost", "localhost.", "localhost.localdomain")


def address_refused(address: IpAddress) -> bool:
    """True for every address that is not a public unicast one (loopback, private, ...)."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return not address.is_global or address.is_multicast


def _literal(host: str) -> IpAddress | None:
    """The address ``host`` spells, in any form a resolver accepts (``2130706433``, ``0x7f.1``)."""
    host = host.strip("[]")
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host.partition("%")[0])
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _address_of(entry: tuple[Any, ...]) -> IpAddress:
    return ipaddress.ip_address(str(entry[4][0]).partition("%")[0])


def host_refused(host: str) -> bool:
    """True when ``host`` names a local address without any lookup (a literal or localhost)."""
    lowered = host.lower().rstrip(".")
    if lowered in {name.rstrip(".") for name in _LOCAL_NAMES} or lowered.endswith(".localhost"):
        return True
    literal = _literal(lowered)
    return literal is not None and address_refused(literal)


@dataclass
class CallGuard:
    """The guards of one hook call's FHIR session: allowed hosts, deadline, open sockets."""

    check_addresses: bool
    permitted_hosts: frozenset[str] = frozenset()
    deadline: float | None = None  # monotonic seconds
    monotonic: Callable[[], float] = time.monotonic
    refused: bool = False  # a host resolved to an address it may not reach
    _sockets: list[socket.socket] = field(default_factory=list, repr=False)
    _timer: threading.Timer | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def address_for(self, host: str, port: int) -> tuple[Any, ...]:
        """The checked ``getaddrinfo`` entry to connect to; raises OSError when refused."""
        entries = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if self.check_addresses and host.lower() not in self.permitted_hosts:
            addresses = [_address_of(entry) for entry in entries]
            if not addresses or any(address_refused(address) for address in addresses):
                self.refused = True
                raise OSError("the FHIR server's address is not one this service may call")
        return entries[0]

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes."""
        with self._lock:
            self._sockets.append(sock)
            if self._timer is None and self.deadline is not None:
                delay = max(0.0, self.deadline - self.monotonic())
                self._timer = threading.Timer(delay, self._expire)
                self._timer.daemon = True
                self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Stop the deadline's timer (the session is done)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._sockets.clear()


_ACTIVE: ContextVar[CallGuard | None] = ContextVar("fhir_call_guard", default=None)


@contextlib.contextmanager
def guarding(guard: CallGuard) -> Iterator[None]:
    """Connections opened inside the block are checked and watched by ``guard``."""
    token = _ACTIVE.set(guard)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def _connect(conn: HTTPConnection) -> socket.socket:
    guard = _ACTIVE.get()
    if guard is None:
        raise NewConnectionError(conn, "FHIR connections are made only under a call guard")
    try:
        family, kind, proto, _, address = guard.address_for(conn._dns_host, conn.port or 0)
    except socket.gaierror as exc:
        raise NameResolutionError(conn.host, conn, exc) from None
    except OSError as exc:
        raise NewConnectionError(conn, str(exc)) from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(conn.timeout, int | float):
            sock.settimeout(conn.timeout)
        guard.watch(sock)
        sock.connect(address)
    except TimeoutError:
        sock.close()
        raise ConnectTimeoutError(conn, "connecting timed out") from None
    except OSError as exc:
        sock.close()
        raise NewConnectionError(conn, f"could not connect ({exc.__class__.__name__})") from None
    return sock


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A transport adapter whose connections go through :func:`guarding`'s guard."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Build the pool manager with guarded connection pools."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)
