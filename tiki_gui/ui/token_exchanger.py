"""Token requests off the GUI thread.

A :class:`TokenExchanger` runs one request at a time on its own one-thread ``QThreadPool``, on the
window's one ``httpx.Client`` (:class:`~tiki_gui.ui.background.SharedHttp`, made at the first
request, so ``httpx`` is not imported before it is needed). The job calls the core and returns a
core value or a core error; it never touches a widget. The outcome comes back to the GUI thread
through a queued signal.

A request cannot be interrupted once sent (a token request is never retried, and httpx has no
cross-thread cancel), so :meth:`abandon` drops the outcome instead; :meth:`close` waits for the
request to end (bounded by the client's timeouts); the window closes the shared client after.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from tiki_gui.ui.background import Job, JobSignals, SharedHttp

if TYPE_CHECKING:
    import httpx

    from tiki_gui.core.authorization import AuthorizationRequest
    from tiki_gui.core.redirect import AuthorizationResponse
    from tiki_gui.core.timeline import Timeline
    from tiki_gui.core.tokens import TokenSet
    from tiki_gui.ui.client_config import ClientConfig

__all__ = ["TokenExchanger"]

_log = logging.getLogger(__name__)

_recording = threading.local()
"""``recording.on`` is True on the pool thread while one of this exchanger's requests runs: the
timeline records those, not a refresh the token manager sends on the same client meanwhile."""


def _is_recorded(_request: httpx.Request) -> bool:
    return bool(getattr(_recording, "on", False))


def _recorded(call: Callable[[], TokenSet]) -> Callable[[], TokenSet]:
    def run() -> TokenSet:
        _recording.on = True
        try:
            return call()
        finally:
            _recording.on = False

    return run


class TokenExchanger(QObject):
    """Runs token requests on a worker thread; one at a time; results via signals."""

    succeeded = Signal(object)  # TokenSet
    failed = Signal(object)  # BaseException (core errors carry no secrets)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, http: SharedHttp | None = None) -> None:
        super().__init__(parent)
        self._http = http or SharedHttp()
        self._pool = QThreadPool(self)
        self._pool.setObjectName("token_requests")
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._running: int | None = None  # id of the job whose outcome is awaited
        self._signals: dict[int, JobSignals] = {}  # kept alive until their job reported
        self._closed = False
        self._timeline: Timeline | None = None
        self._detach: dict[int, Callable[[], None]] = {}  # job id -> removes its timeline hooks

    @property
    def busy(self) -> bool:
        """True while a request is awaited (False again once it reported or was abandoned)."""
        return self._running is not None

    @property
    def active_jobs(self) -> int:
        """Jobs not yet finished, abandoned ones included."""
        return len(self._signals)

    def exchange_code(
        self,
        config: ClientConfig,
        response: AuthorizationResponse,
        request: AuthorizationRequest,
    ) -> None:
        """Exchange ``response.code`` at ``config.token_endpoint``; the outcome is signalled."""
        from tiki_gui.core.token_client import TokenClient

        credentials = config.credentials()  # ValidationError here, on the GUI thread
        client = TokenClient(config.token_endpoint, credentials, self._http_client())

        def call() -> TokenSet:
            return client.exchange_code(response, request)

        self._start(call)

    def client_credentials(self, config: ClientConfig) -> None:
        """Run the client credentials grant (in-house apps); the outcome is signalled."""
        from tiki_gui.core.token_client import TokenClient

        credentials = config.credentials()
        client = TokenClient(config.token_endpoint, credentials, self._http_client())
        scope = config.scope.strip() or None

        def call() -> TokenSet:
            return client.client_credentials(scope)

        self._start(call)

    def set_timeline(self, timeline: Timeline | None) -> None:
        """Record the requests started from now on in ``timeline`` (None: stop recording).

        The hooks are added to the shared client for each request and removed when it reports.
        """
        self._timeline = timeline

    def _http_client(self) -> httpx.Client:
        if self._closed:
            raise RuntimeError("TokenExchanger is closed")
        return self._http.get()

    def _start(self, call: Callable[[], TokenSet]) -> None:
        if self._running is not None:
            raise RuntimeError("A token request is already running")
        job_id = next(self._ids)
        signals = JobSignals()
        signals.done.connect(self._on_job_done)
        self._signals[job_id] = signals
        self._running = job_id
        if self._timeline is not None:
            self._detach[job_id] = self._timeline.attach(self._http.get(), only=_is_recorded)
        self.busy_changed.emit(True)
        self._pool.start(Job(job_id, _recorded(call), signals))

    def abandon(self) -> None:
        """Forget the running request: its outcome will be dropped when it arrives."""
        if self._running is not None:
            _log.info("token request %d abandoned", self._running)
            self._running = None
            self.busy_changed.emit(False)

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every started request has ended; True if none is left running."""
        return self._pool.waitForDone(timeout_ms)

    def close(self) -> None:
        """Abandon the running request and wait for it to end (the window closes HTTP after)."""
        self.abandon()
        self.wait()
        self._signals.clear()
        for detach in self._detach.values():
            detach()
        self._detach.clear()
        self._closed = True

    @Slot(int, object)
    def _on_job_done(self, job_id: int, outcome: object) -> None:
        self._signals.pop(job_id, None)
        detach = self._detach.pop(job_id, None)
        if detach is not None:
            detach()
        if job_id != self._running:
            return  # abandoned
        self._running = None
        self.busy_changed.emit(False)
        if isinstance(outcome, BaseException):
            _log.info("token request %d failed: %s", job_id, type(outcome).__name__)
            self.failed.emit(outcome)
        else:
            _log.info("token request %d succeeded", job_id)
            self.succeeded.emit(outcome)
