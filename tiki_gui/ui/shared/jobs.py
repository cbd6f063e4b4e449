"""Work off the GUI thread: one typed job runner for network and keyring work, with cancellation.

:meth:`JobRunner.submit` runs ``call`` on the runner's ``QThreadPool`` and hands its value to
``on_value``, or the exception it raised to ``on_error``, on the GUI thread (through a queued
signal: a ``QRunnable`` cannot have signals). Jobs never touch widgets. The :class:`Job` handle
returned can be cancelled: its outcome is then dropped and its ``on_cancel`` is called (for
example a core cancellation handle that aborts a request in flight).

Each runner has its own pool: one thread for the keyring (writes stay in order), a few for
network work, one for the flow's token request.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, SignalInstance, Slot

__all__ = ["Job", "JobRunner"]

_log = logging.getLogger(__name__)

T = TypeVar("T")


class Job(Generic[T]):
    """One submitted call: run on a worker, its outcome delivered once on the GUI thread.

    A plain class, not a dataclass: it is state, not a value, and a dataclass's generated
    methods cost ~1 ms at import, before the window's first paint (issue 11)."""

    def __init__(
        self,
        job_id: int,
        call: Callable[[], T],
        on_value: Callable[[T], None] | None,
        on_error: Callable[[Exception], None] | None,
        on_cancel: Callable[[], None] | None,
    ) -> None:
        self.job_id = job_id
        self._call = call
        self._on_value = on_value
        self._on_error = on_error
        self._on_cancel = on_cancel
        self._result: tuple[T] | None = None  # (value,) once returned
        self._error: Exception | None = None
        self._finished = False
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def pending(self) -> bool:
        """True until the outcome was delivered or the job was cancelled."""
        return not (self._finished or self._cancelled)

    def cancel(self) -> None:
        """Drop the outcome and call ``on_cancel`` (once; nothing if the outcome was delivered)."""
        if not self.pending:
            return
        self._cancelled = True
        if self._on_cancel is not None:
            self._on_cancel()

    def _run(self) -> None:
        """On the worker thread: call, keep the value or the exception."""
        try:
            self._result = (self._call(),)
        except Exception as exc:  # every failure goes back to the GUI thread as a value
            self._error = exc

    def _deliver(self, runner: str) -> None:
        """On the GUI thread, once the call returned."""
        if not self.pending:
            return
        self._finished = True
        if self._error is not None:
            _log.info("%s job failed: %s", runner, type(self._error).__name__)
            if self._on_error is not None:
                self._on_error(self._error)
        elif self._on_value is not None and self._result is not None:
            self._on_value(self._result[0])


class _Work(Protocol):
    """What the runner needs of a :class:`Job`, whatever its value type."""

    job_id: int

    def cancel(self) -> None: ...
    def _run(self) -> None: ...
    def _deliver(self, runner: str) -> None: ...


class _Signals(QObject):
    done = Signal(int)  # job id


class _Runnable(QRunnable):
    def __init__(self, job: _Work, signals: _Signals) -> None:
        super().__init__()
        self._job = job
        self._signals = signals

    def run(self) -> None:
        self._job._run()
        self._signals.done.emit(self._job.job_id)


class JobRunner(QObject):
    """Runs callables on its own worker threads; outcomes come back on the GUI thread."""

    def __init__(self, name: str, *, threads: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setObjectName(name)
        self._pool.setMaxThreadCount(threads)
        self._ids = itertools.count(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._running: dict[int, _Work] = {}
        self._held: list[_Work] | None = None  # submitted, waiting for a first paint
        self._closed = False

    @property
    def active(self) -> int:
        """Jobs started whose call has not returned yet (cancelled ones included)."""
        return len(self._running)

    def submit(
        self,
        call: Callable[[], T],
        on_value: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        on_cancel: Callable[[], None] | None = None,
    ) -> Job[T]:
        """Run ``call`` on a worker; ``on_value(value)`` or ``on_error(exception)`` follows on
        the GUI thread unless the job is cancelled first. After :meth:`close` nothing runs."""
        job = Job(next(self._ids), call, on_value, on_error, on_cancel)
        if self._closed:
            job.cancel()
            return job
        self._running[job.job_id] = job
        if self._held is not None:
            self._held.append(job)
        else:
            self._pool.start(_Runnable(job, self._signals))
        return job

    def hold_until(self, painted: SignalInstance, *, at_most_ms: int = 500) -> None:
        """Keep calls submitted from now on waiting until ``painted`` is emitted (a window's
        first paint, :attr:`~tiki_gui.ui.main_window.MainWindow.painted`) or ``at_most_ms``
        passed (a window never shown): work such as the keyring's import and backend lookup then
        does not compete with the first paint for the GIL."""
        if self._held is not None or self._closed:
            return
        self._held = []
        painted.connect(self.release)
        # A timer of the runner's own: singleShot(ms, context, slot) makes PySide6's QMetaMethod
        # class (with its enums) before the first paint (issue 11).
        deadline = QTimer(self)
        deadline.setSingleShot(True)
        deadline.timeout.connect(self.release)
        deadline.start(at_most_ms)

    @Slot()
    def release(self) -> None:
        """Start the calls held by :meth:`hold_until` (nothing if none are held)."""
        held, self._held = self._held, None
        for job in held or ():
            if job.job_id in self._running and not self._closed:
                self._pool.start(_Runnable(job, self._signals))

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every submitted call has returned (held ones are started first); True if
        none is left running."""
        self.release()
        return self._pool.waitForDone(timeout_ms)

    def close(self) -> None:
        """Cancel every job, wait for running calls (bounded by the HTTP timeouts)."""
        self._closed = True
        for job in list(self._running.values()):
            job.cancel()
        self._pool.waitForDone()
        self._running.clear()

    @Slot(int)
    def _on_done(self, job_id: int) -> None:
        job = self._running.pop(job_id, None)
        if job is not None and not self._closed:
            job._deliver(self._pool.objectName())
