"""The flow's token request, off the GUI thread.

A :class:`TokenExchanger` sends one token request at a time (code exchange, or the client
credentials grant) on its own one-thread :class:`~tiki_gui.ui.shared.jobs.JobRunner`, over the
window's one ``httpx.Client`` (:class:`~tiki_gui.core.shared_http.SharedHttp`, made at the
first request, so ``httpx`` is not imported before it is needed). The flow's timeline is handed to
the :class:`~tiki_gui.core.token_client.TokenClient` as its observer: it sees this request and its
response, nothing else on the shared client.

A token request is never retried. :meth:`abandon` (Cancel, Escape, closing the window) cancels
the job: its outcome is dropped and its :class:`~tiki_gui.core.cancellation.Cancellation` stops
the request under way within a fraction of a second. :meth:`close` then waits for the worker;
the window closes the shared client after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.shared_http import SharedHttp
from tiki_gui.ui.shared.jobs import Job, JobRunner

if TYPE_CHECKING:
    from tiki_gui.core.authorization import AuthorizationRequest
    from tiki_gui.core.observer import HttpObserver
    from tiki_gui.core.redirect import AuthorizationResponse
    from tiki_gui.core.token_client import TokenClient
    from tiki_gui.core.tokens import TokenSet
    from tiki_gui.storage.profiles import ProfileWithSecret

__all__ = ["TokenExchanger"]

_log = logging.getLogger(__name__)


class TokenExchanger(QObject):
    """Runs the flow's token request on a worker thread; one at a time; results via signals."""

    succeeded = Signal(object)  # TokenSet
    failed = Signal(object)  # Exception (core errors carry no secrets)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, http: SharedHttp | None = None) -> None:
        super().__init__(parent)
        self._http = http or SharedHttp()
        self._jobs = JobRunner("token_requests", threads=1, parent=self)
        self._job: Job[TokenSet] | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        """True while a request is awaited (False again once it reported or was abandoned)."""
        return self._job is not None and self._job.pending

    @property
    def active_jobs(self) -> int:
        """Requests not yet ended, abandoned ones included."""
        return self._jobs.active

    def exchange_code(
        self,
        value: ProfileWithSecret,
        response: AuthorizationResponse,
        request: AuthorizationRequest,
        *,
        observer: HttpObserver | None = None,
    ) -> None:
        """Exchange ``response.code`` at the profile's token endpoint; the outcome is signalled."""
        client = self._client(value, observer)  # ValidationError here, on the GUI thread
        stop = Cancellation()
        self._start(lambda: client().exchange_code(response, request, cancellation=stop), stop)

    def client_credentials(
        self, value: ProfileWithSecret, *, observer: HttpObserver | None = None
    ) -> None:
        """Run the client credentials grant (in-house apps); the outcome is signalled."""
        client = self._client(value, observer)
        scope = value.profile.scope.strip() or None
        stop = Cancellation()
        self._start(lambda: client().client_credentials(scope, cancellation=stop), stop)

    def _client(
        self, value: ProfileWithSecret, observer: HttpObserver | None
    ) -> Callable[[], TokenClient]:
        """What makes the request's client on the worker, ``value`` checked here (ValidationError
        on the GUI thread). The shared HTTP client may still be in the making on the token
        endpoint check's thread (httpx's import and the TLS context: ~0.1 s on a slow machine,
        when the redirect comes right after the page, as with a remembered consent): the worker
        waits for it, not the window (issue 11, P3)."""
        if self._closed:
            raise RuntimeError("TokenExchanger is closed")
        credentials = value.credentials()
        endpoint = validate_url(value.profile.token_endpoint, what="Token endpoint")
        http = self._http

        def make() -> TokenClient:
            from tiki_gui.core.token_client import TokenClient

            return TokenClient(endpoint, credentials, http.get(), observer=observer)

        return make

    def _start(self, call: Callable[[], TokenSet], stop: Cancellation) -> None:
        if self.busy:
            raise RuntimeError("A token request is already running")
        # Abandoning the job (Cancel, closing the window) aborts the request under way.
        self._job = self._jobs.submit(call, self._on_tokens, self._on_error, on_cancel=stop.cancel)
        self.busy_changed.emit(True)

    def abandon(self) -> None:
        """Forget the running request: its outcome is dropped when it arrives."""
        if self.busy and self._job is not None:
            _log.info("token request %d abandoned", self._job.job_id)
            self._job.cancel()
            self.busy_changed.emit(False)

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every started request has ended; True if none is left running."""
        return self._jobs.wait(timeout_ms)

    def close(self) -> None:
        """Abandon the running request and wait for it to end (the window closes HTTP after)."""
        self.abandon()
        self._jobs.close()
        self._closed = True

    def _on_tokens(self, tokens: TokenSet) -> None:
        _log.info("token request succeeded")
        self.busy_changed.emit(False)
        self.succeeded.emit(tokens)

    def _on_error(self, error: Exception) -> None:
        _log.info("token request failed: %s", type(error).__name__)
        self.busy_changed.emit(False)
        self.failed.emit(error)
