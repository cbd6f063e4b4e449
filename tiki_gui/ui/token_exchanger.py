"""Token requests off the GUI thread.

A :class:`TokenExchanger` runs one request at a time on its own one-thread ``QThreadPool``, on one
``httpx.Client`` shared by every request it makes (created at the first request, so ``httpx`` is
not imported before it is needed, and closed by :meth:`close`). The job calls the core and returns
a core value or a core error; it never touches a widget. The outcome comes back to the GUI thread
through a queued signal.

A request cannot be interrupted once sent (a token request is never retried, and httpx has no
cross-thread cancel), so :meth:`abandon` drops the outcome instead; :meth:`close` waits for the
request to end (bounded by the client's timeouts) before closing the client.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    import httpx

    from tiki_gui.core.authorization import AuthorizationRequest
    from tiki_gui.core.redirect import AuthorizationResponse
    from tiki_gui.core.timeline import Timeline
    from tiki_gui.core.tokens import TokenSet
    from tiki_gui.ui.client_config import ClientConfig

__all__ = ["HttpClientFactory", "TokenExchanger"]

_log = logging.getLogger(__name__)

HttpClientFactory = Callable[[], "httpx.Client"]


def _default_http_client() -> httpx.Client:
    from tiki_gui.core.http import make_http_client

    return make_http_client()


class _JobSignals(QObject):
    """Carries one job's outcome to the GUI thread (a QRunnable cannot have signals)."""

    done = Signal(int, object)  # job id, TokenSet or BaseException


class _TokenJob(QRunnable):
    """Calls the core on a pool thread; reports through ``signals``, touches nothing else."""

    def __init__(self, job_id: int, call: Callable[[], TokenSet], signals: _JobSignals) -> None:
        super().__init__()
        self._job_id = job_id
        self._call = call
        self._signals = signals

    def run(self) -> None:
        outcome: object
        try:
            outcome = self._call()
        except Exception as exc:  # every failure goes back to the GUI thread as a value
            outcome = exc
        self._signals.done.emit(self._job_id, outcome)


class TokenExchanger(QObject):
    """Runs token requests on a worker thread; one at a time; results via signals."""

    succeeded = Signal(object)  # TokenSet
    failed = Signal(object)  # BaseException (core errors carry no secrets)
    busy_changed = Signal(bool)

    def __init__(
        self, parent: QObject | None = None, *, http_factory: HttpClientFactory | None = None
    ) -> None:
        super().__init__(parent)
        self._http_factory = http_factory or _default_http_client
        self._http: httpx.Client | None = None
        self._pool = QThreadPool(self)
        self._pool.setObjectName("token_requests")
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._running: int | None = None  # id of the job whose outcome is awaited
        self._signals: dict[int, _JobSignals] = {}  # kept alive until their job reported
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
        if self._http is None:
            self._http = self._http_factory()
        return self._http

    def _start(self, call: Callable[[], TokenSet]) -> None:
        if self._running is not None:
            raise RuntimeError("A token request is already running")
        job_id = next(self._ids)
        signals = _JobSignals()
        signals.done.connect(self._on_job_done)
        self._signals[job_id] = signals
        self._running = job_id
        if self._timeline is not None and self._http is not None:
            self._detach[job_id] = self._timeline.attach(self._http)
        self.busy_changed.emit(True)
        self._pool.start(_TokenJob(job_id, call, signals))

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
        """Abandon the running request, wait for it to end, and close the HTTP client."""
        self.abandon()
        self.wait()
        self._signals.clear()
        for detach in self._detach.values():
            detach()
        self._detach.clear()
        self._closed = True
        if self._http is not None:
            self._http.close()
            self._http = None

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
