"""The caller-token replay cache (contract section 6): has this issuer used this ``jti``?

The shared database decides (a unique constraint on issuer and token id), so a replay is
refused whichever worker or replica it reaches. With caller authentication on, every hook
call asks, so a database that stops answering must not stop the hook calls (issue 24: a
frozen PostgreSQL held each call 1.5 s and then refused it with 503):

- a check waits on the database at most ``timeout_s`` (50 ms by default); after a failure
  or a missed deadline no check waits at all, and one background thread tries the database
  every ``retry_s`` (2 s) until it answers (so in a long outage one call per worker waits,
  not one every few seconds);
- while the database cannot answer, ``when_unavailable="accept-local"`` (the default)
  checks the token id against this worker's memory of the ids it accepted lately and
  accepts it if new; the ids accepted so are written to the database once it answers again,
  and one found there already is a replay seen late: logged and counted, never silent.
  ``"refuse"`` refuses instead (503, Retry-After), within the same deadline.

The security decision, written down: with ``accept-local``, while the shared database is
unreachable a captured token could be replayed once to *another* worker or replica (this
worker's memory still refuses it); the window closes when the database answers again and
lasts at most the token's lifetime (``GLUTEAL_CDS_JWT_MAX_LIFETIME``). Tokens travel only
over TLS between the EHR and us, and a replayed hook call reads nothing the caller could
not read with its own token: we judged a service that stops answering every clinician
during a database outage the greater harm. An operator who judges otherwise sets
``GLUTEAL_CDS_REPLAY_CHECK_WHEN_DATABASE_DOWN=refuse``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from cds_service.store._deadline import DeadlineError, within
from cds_service.store._errors import StoreError
from cds_service.store.models import SeenToken

__all__ = ["DEFAULT_REPLAY_TIMEOUT_S", "ReplayCache", "TokenUse", "WhenUnavailable"]

log = logging.getLogger(__name__)

WhenUnavailable = Literal["accept-local", "refuse"]
# A healthy database records a token id in a few ms; a frozen one never does.
DEFAULT_REPLAY_TIMEOUT_S = 0.05
DEFAULT_RETRY_S = 2.0
# A retry left waiting on a frozen database is given up on after this long (and tried anew).
_RETRY_TIMEOUT_S = 10.0
# Token ids remembered per worker: about 3 MB; hours of one EHR's calls at clinic rates.
DEFAULT_LOCAL_CAPACITY = 20_000
# Expired rows are deleted at most this often per process.
_PURGE_INTERVAL = timedelta(seconds=60)

Clock = Callable[[], datetime]
# Told "degraded" (a token accepted on this worker's memory alone) or "late-replay".
ReplayListener = Callable[[str], None]


@dataclass(frozen=True)
class TokenUse:
    """One use of a caller token: its issuer, its id and when it can no longer pass."""

    issuer: str
    jti: str
    expires_at: datetime


class ReplayCache:
    """Says whether a token id is used for the first time; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock,
        timeout_s: float = DEFAULT_REPLAY_TIMEOUT_S,
        retry_s: float = DEFAULT_RETRY_S,
        when_unavailable: WhenUnavailable = "accept-local",
        local_capacity: int = DEFAULT_LOCAL_CAPACITY,
    ) -> None:
        """Record token ids in ``engine``'s ``seen_tokens`` table."""
        self._engine = engine
        self._clock = clock
        self._timeout_s = timeout_s
        self._retry_s = retry_s
        self._when_unavailable = when_unavailable
        self._capacity = max(1, local_capacity)
        self._lock = threading.Lock()
        self._recent: OrderedDict[tuple[str, str], datetime] = OrderedDict()
        self._unsaved: deque[TokenUse] = deque(maxlen=self._capacity)
        self._down = threading.Event()  # set: checks do without the database
        self._housekeeping = threading.Lock()  # one background writer at a time
        self._in_flight = 0  # inserts still waiting on the database after their caller left
        self._settled = threading.Condition()
        self._next_purge = datetime.min.replace(tzinfo=clock().tzinfo)
        self.listeners: list[ReplayListener] = []

    def first_use(self, use: TokenUse) -> bool:
        """True when ``use.jti`` is new for its issuer (now remembered); False: a replay.

        :class:`StoreError` when the database cannot answer and the setting says refuse.
        """
        if self._seen_here(use):
            return False
        if self._down.is_set():
            return self._without_database(use)
        waiting = threading.Event()
        waiting.set()
        try:
            fresh = within(self._timeout_s, lambda: self._record(use, waiting))
        except (SQLAlchemyError, DeadlineError) as exc:
            waiting.clear()
            self._went_down(exc)
            # After a missed deadline the insert is still on its way: it saves the id.
            return self._without_database(use, save_later=not isinstance(exc, DeadlineError))
        if fresh:
            self._remember_here(use)
            self._tidy_up()
        return fresh

    def flush(self, timeout_s: float = 10.0) -> None:
        """Wait (``timeout_s`` at most) for the inserts still on their way and for the
        background housekeeping (saving, purging) to finish."""
        with self._settled:
            self._settled.wait_for(lambda: self._in_flight == 0, timeout_s)
        with self._housekeeping:
            pass

    def _record(self, use: TokenUse, caller_waiting: threading.Event) -> bool:
        with self._settled:
            self._in_flight += 1
        try:
            return self._insert(use, caller_waiting)
        finally:
            with self._settled:
                self._in_flight -= 1
                self._settled.notify_all()

    def _insert(self, use: TokenUse, caller_waiting: threading.Event) -> bool:
        try:
            self._save(use)
        except IntegrityError:
            if not caller_waiting.is_set():  # accepted meanwhile on this worker's memory
                self._notify("late-replay")
            return False
        except SQLAlchemyError:
            if not caller_waiting.is_set():
                self._unsaved.append(use)
            raise
        return True

    def _without_database(self, use: TokenUse, *, save_later: bool = True) -> bool:
        if self._when_unavailable == "refuse":
            raise StoreError("cannot check tokens")
        with self._lock:  # check and remember at once: two threads, one token, one passes
            if self._seen_locked(use):
                return False
            self._remember_locked(use)
        if save_later:
            self._unsaved.append(use)
        self._notify("degraded")
        return True

    @property
    def answering(self) -> bool:
        """False while checks do without the database (until a retry reaches it)."""
        return not self._down.is_set()

    def _went_down(self, exc: Exception) -> None:
        with self._lock:
            if self._down.is_set():
                return
            self._down.set()
        log.warning("token replay check without the database (%s)", type(exc).__name__)
        threading.Thread(target=self._retry, name="gluteal-cds-replay-retry", daemon=True).start()

    def _retry(self) -> None:
        """Until the database answers: wait, then save what was accepted without it."""
        while True:
            time.sleep(self._retry_s)
            try:
                within(_RETRY_TIMEOUT_S, self._reconnect)
            except (SQLAlchemyError, DeadlineError):
                continue
            self._down.clear()
            log.warning("token replay check uses the database again")
            self._tidy_up()  # what was accepted while this thread was saving
            return

    def _seen_here(self, use: TokenUse) -> bool:
        with self._lock:
            return self._seen_locked(use)

    def _seen_locked(self, use: TokenUse) -> bool:
        expires = self._recent.get((use.issuer, use.jti))
        return expires is not None and expires >= self._clock()

    def _remember_here(self, use: TokenUse) -> None:
        with self._lock:
            self._remember_locked(use)

    def _remember_locked(self, use: TokenUse) -> None:
        self._recent[(use.issuer, use.jti)] = use.expires_at
        now = self._clock()
        # Oldest first; lifetimes are alike, so the front expires first.
        while self._recent and (
            len(self._recent) > self._capacity or next(iter(self._recent.values())) < now
        ):
            self._recent.popitem(last=False)

    def _tidy_up(self) -> None:
        """With the database answering: save what was accepted without it, purge expired rows.

        In a thread of its own, so no hook call waits for it.
        """
        purge_due = self._clock() >= self._next_purge
        if not (self._unsaved or purge_due) or not self._housekeeping.acquire(blocking=False):
            return
        threading.Thread(target=self._housekeep, name="gluteal-cds-replay", daemon=True).start()

    def _housekeep(self) -> None:
        try:
            self._save_unsaved()
            self._purge_expired()
        except SQLAlchemyError:
            log.warning("token replay cache housekeeping failed; will retry", exc_info=True)
        finally:
            self._housekeeping.release()

    def _reconnect(self) -> None:
        """The database answers (or this raises), then what was accepted without it is saved."""
        with self._engine.connect() as connection:  # asked even with nothing to save
            connection.execute(select(1))
        self._save_unsaved()

    def _save_unsaved(self) -> None:
        while self._unsaved:
            use = self._unsaved.popleft()
            if use.expires_at < self._clock():
                continue
            try:
                self._save(use)
            except IntegrityError:
                self._notify("late-replay")
            except SQLAlchemyError:
                self._unsaved.appendleft(use)
                raise

    def _save(self, use: TokenUse) -> None:
        """Insert one token id; IntegrityError when its issuer used it already."""
        row = {"issuer": use.issuer, "jti": use.jti, "expires_at": use.expires_at}
        with self._engine.begin() as connection:
            connection.execute(insert(SeenToken).values(**row))

    def _purge_expired(self) -> None:
        now = self._clock()
        if now < self._next_purge:
            return
        self._next_purge = now + _PURGE_INTERVAL
        with self._engine.begin() as connection:
            connection.execute(delete(SeenToken).where(SeenToken.expires_at < now))

    def _notify(self, event: str) -> None:
        if event == "late-replay":
            log.warning("a token id accepted while the database was unreachable was used twice")
        for listener in self.listeners:
            listener(event)
