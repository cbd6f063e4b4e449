"""The token endpoint check that runs when Authorize is pressed, off the GUI thread.

:class:`TokenEndpointCheck` runs :func:`tiki_gui.core.preflight.check_token_endpoint` on its own
one-thread job runner over the window's shared client, with the core's deadline and a
cancellation (Cancel, Escape, closing the window abort it within a fraction of a second). Its
outcome comes back on the GUI thread as :attr:`passed` or :attr:`failed`.

The shared HTTP client (httpx and its TLS context, ~80 ms of Python) is made on that thread, not
in the click. :meth:`prepare` (the pre-warm calls it once the user reaches for the form, and every
check is followed by it) also loads the token client and the timeline there, which the click and
the redirect would otherwise load on the GUI thread (issue 11, P2/P3). A check before the client
exists probes without it (:func:`tiki_gui.core.preflight.quick_check`), and the window holds
:meth:`prepare` back while the GUI thread starts the consent page
(:meth:`TokenEndpointCheck.hold_preparation`): that Python would hold the GIL the page needs.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QObject, Signal

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.shared_http import SharedHttp
from tiki_gui.ui.shared.jobs import Job, JobRunner

__all__ = ["TokenEndpointCheck"]

_log = logging.getLogger(__name__)

_FLOW_MODULES = ("tiki_gui.core.preflight", "tiki_gui.core.timeline", "tiki_gui.core.token_client")
"""Loaded by :meth:`TokenEndpointCheck.prepare`: the check, the flow's record, the exchange."""


class TokenEndpointCheck(QObject):
    """One check at a time; a new one cancels the one under way."""

    passed = Signal(object)  # the HTTP status (int) or None
    failed = Signal(object)  # the core error (TokenEndpointUnreachableError, cancellation)

    def __init__(self, http: SharedHttp, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._http = http
        self._jobs = JobRunner("preflight", threads=1, parent=self)
        self._job: Job[int | None] | None = None
        self._prepared = False
        self._held = False  # see hold_preparation
        self.deadline: float | None = None  # None: the core's PREFLIGHT_DEADLINE

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.pending

    @property
    def ready(self) -> bool:
        """True once the HTTP client is made: a check is then network I/O, with little Python
        (nothing to import) to hold the GIL the GUI thread needs."""
        return self._http.made

    def prepare(self) -> None:
        """Load the flow's network modules and make the shared HTTP client, on this check's
        thread (a check started meanwhile waits its turn); once, later calls do nothing."""
        if self._prepared or self._held:
            return  # done, or held (done at the end of the hold)
        self._prepared = True
        http = self._http

        def load() -> None:
            for name in _FLOW_MODULES:
                importlib.import_module(name)
            try:
                http.get()
            except RuntimeError:  # the window closed meanwhile
                return
            _log.debug("the sign-in's network modules are loaded")

        self._jobs.submit(load)

    def start(self, token_endpoint: str) -> None:
        """Check ``token_endpoint`` on this check's thread, not on the GUI thread. Before the
        HTTP client exists, a direct probe answers without it (no httpx to import:
        :func:`~tiki_gui.core.preflight.quick_check`), and the client is made there only if the
        probe cannot tell. :meth:`prepare` follows it (unless held)."""
        self.cancel()
        http = self._http
        stop = Cancellation()
        deadline = self.deadline
        ready = self.ready

        def check() -> int | None:
            from tiki_gui.core.preflight import (
                PREFLIGHT_DEADLINE,
                check_token_endpoint,
                quick_check,
            )

            limit = deadline or PREFLIGHT_DEADLINE
            if not ready:
                return quick_check(token_endpoint, http.get, deadline=limit, cancellation=stop)
            return check_token_endpoint(
                http.get(), token_endpoint, deadline=limit, cancellation=stop
            )

        self._job = self._jobs.submit(
            check, self.passed.emit, self.failed.emit, on_cancel=stop.cancel
        )
        self.prepare()  # the rest of the flow's modules, after the check on its thread

    def hold_preparation(self) -> None:
        """Postpone :meth:`prepare` (asked for meanwhile, or by :meth:`start`) until
        :meth:`end_hold`: its Python (httpx, ~80 ms) on the check's thread would take the GIL
        from the GUI thread while that starts the consent page (issue 11, P2)."""
        self._held = True

    @property
    def preparation_held(self) -> bool:
        """True between :meth:`hold_preparation` and :meth:`end_hold`."""
        return self._held

    def end_hold(self) -> None:
        """End :meth:`hold_preparation` and prepare now (if not done yet). Idempotent."""
        if self._held:
            self._held = False
            self.prepare()

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the check's thread is free; True if it is."""
        return self._jobs.wait(timeout_ms)

    def close(self) -> None:
        """Cancel the check under way and wait for its thread (the HTTP client closes after)."""
        self._jobs.close()
