"""When to refresh a seller's token on its own, and when to try again after a failure.

:func:`refresh_due_at` is pure: a token is refreshed ``lead`` (5 minutes) before it expires, or
at ``fraction`` (80 %) of its lifetime when that comes later (short-lived tokens). The
:class:`AutoRefresher` looks at the current records on a timer and emits
:attr:`~AutoRefresher.refresh_due` for each seller whose time has come, never for a seller whose
refresh is already running, nor for one that needs re-authorization or cannot be refreshed.
After a retryable failure (network, 5xx: :func:`~tiki_gui.storage.is_retryable`) the next try
waits :func:`~tiki_gui.storage.backoff_delay`; after any other failure it stops for that token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tiki_gui.core.options import Grant
from tiki_gui.storage.records import SellerRecord
from tiki_gui.storage.retry import backoff_delay, is_retryable

__all__ = ["AutoRefresher", "RefreshPolicy", "refresh_due_at"]


@dataclass(frozen=True, slots=True)
class RefreshPolicy:
    """How early to refresh, how often to look, and how to back off (seconds)."""

    lead: timedelta = timedelta(minutes=5)
    fraction: float = 0.8
    check_interval_ms: int = 1000
    retry_base: float = 5.0
    retry_cap: float = 300.0


def refresh_due_at(record: SellerRecord, policy: RefreshPolicy) -> datetime | None:
    """When ``record``'s token should be refreshed, or None (no expiry, or re-authorize)."""
    token = record.token
    if record.needs_reauthorization or token.expires_at is None:
        return None
    lifetime = token.expires_at - token.obtained_at
    early = min(policy.lead, lifetime * (1.0 - policy.fraction))
    return token.expires_at - max(early, timedelta(0))


class AutoRefresher(QObject):
    """Emits ``refresh_due(seller_id)`` when a token should be refreshed; see the module."""

    refresh_due = Signal(int)

    def __init__(
        self,
        policy: RefreshPolicy | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy or RefreshPolicy()
        self._now = now or (lambda: datetime.now(UTC))
        self._records: dict[int, SellerRecord] = {}
        self._grant = Grant.AUTHORIZATION_CODE
        self._running: set[int] = set()
        self._attempts: dict[int, int] = {}
        self._retry_at: dict[int, datetime] = {}
        self._stopped: set[int] = set()  # failed for good until the token changes
        self._timer = QTimer(self)
        self._timer.setObjectName("auto_refresh")
        self._timer.setInterval(self.policy.check_interval_ms)
        self._timer.timeout.connect(self._on_tick)
        self._wanted = False

    # -- state ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Check every ``check_interval_ms`` while there are records (no wake-ups without)."""
        self._wanted = True
        self._sync_timer()

    def stop(self) -> None:
        self._wanted = False
        self._timer.stop()

    def _sync_timer(self) -> None:
        if self._wanted and self._records:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    def set_records(self, records: Iterable[SellerRecord], grant: Grant) -> None:
        """The current profile's sellers (replaces the previous profile's entirely)."""
        self._records = {record.seller_id: record for record in records}
        self._grant = grant
        for state in (self._attempts, self._retry_at):
            for seller_id in [k for k in state if k not in self._records]:
                del state[seller_id]
        self._stopped &= set(self._records)
        self._sync_timer()

    def reset(self) -> None:
        """Forget every record and retry (profile switched)."""
        self._records.clear()
        self._attempts.clear()
        self._retry_at.clear()
        self._stopped.clear()
        self._sync_timer()

    def update_record(self, record: SellerRecord) -> None:
        """A new token for a seller (refreshed, re-authorized): its failures are forgotten."""
        old = self._records.get(record.seller_id)
        self._records[record.seller_id] = record
        self._sync_timer()
        if old is None or old.token.access_token != record.token.access_token:
            self._attempts.pop(record.seller_id, None)
            self._retry_at.pop(record.seller_id, None)
            self._stopped.discard(record.seller_id)

    def is_running(self, seller_id: int) -> bool:
        return seller_id in self._running

    def retry_at(self, seller_id: int) -> datetime | None:
        """When the next try after a retryable failure is due, if one is scheduled."""
        return self._retry_at.get(seller_id)

    def attempts(self, seller_id: int) -> int:
        return self._attempts.get(seller_id, 0)

    # -- one refresh -----------------------------------------------------------------------------

    def begin(self, seller_id: int) -> bool:
        """Mark a refresh (automatic or by hand) as started; False if one already runs."""
        if seller_id in self._running:
            return False
        self._running.add(seller_id)
        return True

    def succeeded(self, record: SellerRecord) -> None:
        self._running.discard(record.seller_id)
        self.update_record(record)
        self._attempts.pop(record.seller_id, None)
        self._retry_at.pop(record.seller_id, None)

    def failed(self, seller_id: int, error: BaseException) -> float | None:
        """Record a failure; returns the seconds until the retry, or None if none is planned."""
        self._running.discard(seller_id)
        if not is_retryable(error):
            self._stopped.add(seller_id)
            self._retry_at.pop(seller_id, None)
            return None
        attempt = self._attempts.get(seller_id, 0)
        delay = backoff_delay(attempt, base=self.policy.retry_base, cap=self.policy.retry_cap)
        self._attempts[seller_id] = attempt + 1
        self._retry_at[seller_id] = self._now() + timedelta(seconds=delay)
        return delay

    # -- the timer -------------------------------------------------------------------------------

    def _can_refresh(self, record: SellerRecord) -> bool:
        return self._grant is Grant.CLIENT_CREDENTIALS or record.can_refresh

    def due(self) -> list[int]:
        """Sellers whose refresh should start now."""
        now = self._now()
        found = []
        for seller_id, record in self._records.items():
            if seller_id in self._running or seller_id in self._stopped:
                continue
            if not self._can_refresh(record):
                continue
            retry = self._retry_at.get(seller_id)
            if retry is not None:
                if now >= retry:
                    found.append(seller_id)
                continue
            when = refresh_due_at(record, self.policy)
            if when is not None and now >= when:
                found.append(seller_id)
        return found

    @Slot()
    def _on_tick(self) -> None:
        for seller_id in self.due():
            self.refresh_due.emit(seller_id)
