"""Keyring and network work for the profile and token features, off the GUI thread.

A :class:`StorageJobs` runs plain callables on its own ``QThreadPool`` (one thread: keyring
writes stay in order; more for network work) and hands each outcome (a value, or the exception
raised) to a callback on the GUI thread through a queued signal. Jobs never touch widgets.
Network jobs use the window's one ``httpx.Client`` (:class:`~tiki_gui.ui.background.SharedHttp`,
made at the first request), so neither httpx nor the keyring is touched while the window is built.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Slot

from tiki_gui.ui.background import Job, JobSignals, SharedHttp

if TYPE_CHECKING:
    import httpx

__all__ = ["StorageJobs"]

_log = logging.getLogger(__name__)

Outcome = Callable[[object], None]


class StorageJobs(QObject):
    """Runs callables on worker threads; ``on_done(outcome)`` is called on the GUI thread."""

    def __init__(
        self,
        name: str,
        *,
        threads: int = 1,
        http: SharedHttp | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setObjectName(name)
        self._pool.setMaxThreadCount(threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[JobSignals, Outcome | None]] = {}
        self._http = http
        self._closed = False

    @property
    def active(self) -> int:
        """Jobs started and not yet reported."""
        return len(self._pending)

    def http(self) -> httpx.Client:
        """The shared HTTP client (made on first use; call from a job or the GUI thread)."""
        if self._closed:
            raise RuntimeError("StorageJobs is closed")
        if self._http is None:
            raise RuntimeError("these jobs were given no HTTP client")
        return self._http.get()

    def submit(self, call: Callable[[], object], on_done: Outcome | None = None) -> None:
        """Run ``call`` on a worker; its value or exception goes to ``on_done``."""
        if self._closed:
            return
        job_id = next(self._ids)
        signals = JobSignals()
        signals.done.connect(self._on_done)
        self._pending[job_id] = (signals, on_done)
        self._pool.start(Job(job_id, call, signals))

    def wait(self, timeout_ms: int = -1) -> bool:
        return self._pool.waitForDone(timeout_ms)

    def close(self) -> None:
        """Wait for running jobs (bounded by the HTTP timeouts) and drop their outcomes."""
        self._closed = True
        self._pool.waitForDone()
        self._pending.clear()

    @Slot(int, object)
    def _on_done(self, job_id: int, outcome: object) -> None:
        entry = self._pending.pop(job_id, None)
        if entry is None or self._closed:
            return
        _signals, on_done = entry
        if isinstance(outcome, BaseException):
            _log.info("%s job failed: %s", self._pool.objectName(), type(outcome).__name__)
        if on_done is not None:
            on_done(outcome)
