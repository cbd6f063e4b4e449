"""The token endpoint check that runs when Authorize is pressed, off the GUI thread.

:class:`TokenEndpointCheck` runs :func:`tiki_gui.core.preflight.check_token_endpoint` on its own
one-thread job runner over the window's shared client, with the core's deadline and a
cancellation (Cancel, Escape, closing the window abort it within a fraction of a second). Its
outcome comes back on the GUI thread as :attr:`passed` or :attr:`failed`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.shared_http import SharedHttp
from tiki_gui.ui.shared.jobs import Job, JobRunner

__all__ = ["TokenEndpointCheck"]


class TokenEndpointCheck(QObject):
    """One check at a time; a new one cancels the one under way."""

    passed = Signal(object)  # the HTTP status (int) or None
    failed = Signal(object)  # the core error (TokenEndpointUnreachableError, cancellation)

    def __init__(self, http: SharedHttp, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._http = http
        self._jobs = JobRunner("preflight", threads=1, parent=self)
        self._job: Job[int | None] | None = None
        self.deadline: float | None = None  # None: the core's PREFLIGHT_DEADLINE

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.pending

    def start(self, token_endpoint: str) -> None:
        from tiki_gui.core.preflight import PREFLIGHT_DEADLINE, check_token_endpoint

        self.cancel()
        shared = self._http
        stop = Cancellation()
        deadline = self.deadline or PREFLIGHT_DEADLINE

        def check() -> int | None:
            http = shared.get()  # on the worker: the first one imports httpx (issue 11)
            return check_token_endpoint(http, token_endpoint, deadline=deadline, cancellation=stop)

        self._job = self._jobs.submit(
            check, self.passed.emit, self.failed.emit, on_cancel=stop.cancel
        )

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the check's thread is free; True if it is."""
        return self._jobs.wait(timeout_ms)

    def close(self) -> None:
        """Cancel the check under way and wait for its thread (the HTTP client closes after)."""
        self._jobs.close()
