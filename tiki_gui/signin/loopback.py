"""Receive the redirect on this computer (RFC 8252 7.3): a listener on the loopback address.

For a redirect URI ``http://127.0.0.1:PORT/path`` (or ``http://[::1]:PORT/path``) the app listens
on exactly that address, only while the flow runs; the system browser is sent to the
authorization page and, at the end, to the listener. Typical use (UI thread, no blocking)::

    receiver = LoopbackReceiver(profile.redirect_uri, any_port=True, timeout=600,
                                on_redirect=emit_redirect, on_timeout=emit_timeout)
    receiver.start()                                     # PortInUseError / LoopbackError
    request = AuthorizationRequest.create(..., receiver.redirect_uri, ...)
    receiver.expect(request, issuer=issuer)              # lets the page say what went wrong
    open_in_system_browser(request.url)
    ...  # on_redirect(url) -> parse_redirect(url, request, issuer=issuer) -> exchange_code
    receiver.cancel()                                    # Cancel button; close() on teardown

or, on a worker thread, ``url = receiver.wait(timeout)``. Only a GET on the redirect URI's path
with the right ``Host`` and the flow's own ``state`` counts, once; other paths get a 404 and the
flow goes on. A request to the redirect URI without that state (no state, another state, the
state twice, another site's ``Host``) is refused with an error page and the listener keeps
listening: any local process or web page can send one, and none of them may end the sign-in.
Each refusal is counted (:attr:`LoopbackReceiver.refused_count`) and reported to ``on_refused``.
The browser is answered with a page that never contains the code, then the listener is closed
before anyone is told, so the port is free again when ``wait()`` returns or ``on_redirect`` is
called. Callbacks run on a background thread: a Qt caller should only emit a signal from them.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import socket
import threading
from collections.abc import Callable
from enum import StrEnum
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit, urlunsplit

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.redirect import redirect_uri_matches
from tiki_gui.signin.address import (
    bind_error,
    host_header_matches,
    loopback_address,
    shown_uri,
    url_host_for,
)
from tiki_gui.signin.errors import LoopbackError
from tiki_gui.signin.pages import (
    Page,
    finished_page,
    not_found_page,
    page_for_redirect,
    refused_page,
)

if TYPE_CHECKING:
    from tiki_gui.signin.listener import ListenerServer, RequestHandler

__all__ = ["LoopbackOutcome", "LoopbackReceiver"]

_log = logging.getLogger(__name__)

_POLL_INTERVAL = 0.05


class LoopbackOutcome(StrEnum):
    """How a listening period ended."""

    RECEIVED = "received"
    TIMED_OUT = "timed out"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class LoopbackReceiver:
    """Listens on the loopback redirect URI for one redirect, then closes (see the module doc).

    ``any_port`` listens on a free port chosen by the system instead of the URI's (Hydra accepts
    any port for a registered loopback redirect URI; whether Tiki's console registers one is
    unknown); :attr:`redirect_uri` then gives the URI to send. ``timeout`` (seconds from
    ``start()``) closes the listener and calls ``on_timeout``. ``request`` (or :meth:`expect`)
    gives the state a request must carry to count, and lets the page tell the browser what went
    wrong (``iss`` mismatch, error redirect); the URL handed back is checked by the caller with
    :func:`tiki_gui.core.redirect.parse_redirect`. Without a request, any request carrying one
    non-empty ``state`` counts. ``on_refused(count, reason)`` is called (background thread) for
    each request refused: the number refused so far and a secret-free sentence saying why.
    """

    def __init__(
        self,
        redirect_uri: str,
        *,
        any_port: bool = False,
        timeout: float | None = None,
        request: AuthorizationRequest | None = None,
        issuer: str | None = None,
        on_redirect: Callable[[str], None] | None = None,
        on_timeout: Callable[[], None] | None = None,
        on_refused: Callable[[int, str], object] | None = None,
    ) -> None:
        self._configured_uri = redirect_uri.strip()
        host, port = loopback_address(self._configured_uri)
        parts = urlsplit(self._configured_uri)
        self._host = host
        self._port = 0 if any_port else port
        self._path = parts.path or "/"
        self._query = parts.query
        self._any_port = any_port
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive")
        self._timeout = timeout
        self._on_redirect = on_redirect
        self._on_timeout = on_timeout
        self._on_refused = on_refused
        self._refused = 0
        self._request: AuthorizationRequest | None = None
        self._issuer: str | None = None
        self._state_lock = threading.Lock()
        self._close_lock = threading.Lock()
        self._done = threading.Event()
        self._started = False
        self._closed = False
        self._outcome: LoopbackOutcome | None = None
        self._url: str | None = None
        self._server: ListenerServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._connections: dict[socket.socket, int] = {}
        if request is not None:
            self._request, self._issuer = request, issuer

    def __repr__(self) -> str:
        where = f"{self._url_host}:{self._port}{self._path}"
        return f"LoopbackReceiver({where!r}, outcome={self._outcome})"

    # -- what callers use ------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The loopback IP address listened on ("127.0.0.1" or "::1")."""
        return self._host

    @property
    def port(self) -> int:
        """The port listened on (with ``any_port``, known once started; 0 before)."""
        return self._port

    @property
    def path(self) -> str:
        return self._path

    @property
    def redirect_uri(self) -> str:
        """The redirect URI to send in the authorization request (with the actual port)."""
        if not self._any_port:
            return self._configured_uri
        if self._port == 0:
            raise LoopbackError("Start the listener first: its port is chosen when it starts.")
        netloc = f"{self._url_host}:{self._port}"
        return urlunsplit(("http", netloc, self._path, self._query, ""))

    @property
    def outcome(self) -> LoopbackOutcome | None:
        """None while listening (or not started); then how it ended."""
        return self._outcome

    @property
    def received_url(self) -> str | None:
        """The redirect URL received, once it has arrived."""
        return self._url if self._outcome is LoopbackOutcome.RECEIVED else None

    @property
    def refused_count(self) -> int:
        """Requests to the redirect URI refused so far (no state, another state, wrong Host)."""
        return self._refused

    @property
    def is_listening(self) -> bool:
        return self._started and not self._closed

    def expect(self, request: AuthorizationRequest, *, issuer: str | None = None) -> None:
        """Check redirects against ``request`` (and ``issuer``) to choose the page shown."""
        if self._port and not redirect_uri_matches(self.redirect_uri, request.redirect_uri):
            raise LoopbackError(
                "The authorization request uses the redirect URI "
                f"{shown_uri(request.redirect_uri)}, but this listener serves "
                f"{shown_uri(self.redirect_uri)}."
            )
        with self._state_lock:
            self._request, self._issuer = request, issuer

    def start(self) -> LoopbackReceiver:
        """Listen on exactly the redirect URI's address; returns self.

        Raises :class:`PortInUseError` if another program has the port, :class:`LoopbackError`
        for other addresses that cannot be used. A receiver listens once: start it only once.
        """
        with self._state_lock:
            if self._started or self._outcome is not None:
                raise LoopbackError("This listener was already used; make a new one.")
            self._started = True
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        try:
            from tiki_gui.signin.listener import ListenerServer  # http.server: at first use

            server = ListenerServer((self._host, self._port), family, self)
        except OSError as exc:
            with self._state_lock:
                self._closed = True
                self._outcome = LoopbackOutcome.CLOSED
            self._done.set()
            raise bind_error(exc, self._host, self._port, self._path) from None
        self._server = server
        self._port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"tiki-gui-loopback-{self._port}",
            daemon=True,
        )
        self._thread.start()
        if self._timeout is not None:
            self._timer = threading.Timer(self._timeout, self._expire)
            self._timer.daemon = True
            self._timer.start()
        _log.info("listening for the redirect on %s:%s", self._url_host, self._port)
        return self

    def wait(self, timeout: float | None = None) -> str | None:
        """Block until the redirect arrives; return its URL, or None on timeout or cancel.

        The listener is closed when this returns, whatever the outcome.
        """
        if not self._started:
            raise LoopbackError("Start the listener before waiting for the redirect.")
        if not self._done.wait(timeout):
            self._finish(LoopbackOutcome.TIMED_OUT)
        self.close()
        self._done.wait()
        return self.received_url

    def cancel(self) -> None:
        """Stop waiting (the Cancel button): the listener closes; ``wait()`` returns None."""
        self._finish(LoopbackOutcome.CANCELLED)
        self.close()

    def close(self) -> None:
        """Close the listener and any open connection. Idempotent; safe from any thread."""
        self._finish(LoopbackOutcome.CLOSED)
        with self._close_lock:
            if self._closed:
                return
            if self._timer is not None:
                self._timer.cancel()
            server, thread = self._server, self._thread
            if server is not None:
                server.shutdown()
                if thread is not None and thread is not threading.current_thread():
                    thread.join()
                server.server_close()
            me = threading.get_ident()
            with self._state_lock:
                others = [sock for sock, owner in self._connections.items() if owner != me]
                self._closed = True
            for sock in others:
                with contextlib.suppress(OSError):  # already closed by its handler
                    sock.shutdown(socket.SHUT_RDWR)
            _log.info("stopped listening on %s:%s", self._url_host, self._port)

    def __enter__(self) -> LoopbackReceiver:
        if not self._started:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- called by the handler threads -----------------------------------------------------------

    def connection_opened(self, sock: socket.socket) -> None:
        with self._state_lock:
            self._connections[sock] = threading.get_ident()

    def connection_closed(self, sock: socket.socket) -> None:
        with self._state_lock:
            self._connections.pop(sock, None)

    def handle_get(self, handler: RequestHandler) -> None:
        target = handler.path
        path, _, query = target.partition("?")
        if not target.startswith("/") or path != self._path:
            handler.send_page(not_found_page())  # favicon.ico and anything else: flow goes on
            return
        if not host_header_matches(handler.headers.get("Host"), self._host, self._port):
            # DNS rebinding: another site's name for us. Counted, but told nothing.
            self._refuse(handler, "The request named another host.", not_found_page())
            return
        url = f"http://{self._url_host}:{self._port}{path}" + (f"?{query}" if query else "")
        with self._state_lock:
            ended = self._outcome is not None or self._closed
            request, issuer = self._request, self._issuer
        if not ended:
            problem = _state_problem(query, None if request is None else request.state)
            if problem is not None:
                self._refuse(handler, problem)
                return
        with self._state_lock:
            first = self._outcome is None and not self._closed
            if first:
                self._outcome = LoopbackOutcome.RECEIVED
                self._url = url
        if not first:
            handler.send_page(finished_page())
            return
        handler.send_page(page_for_redirect(url, request, issuer))
        _log.info("redirect received on %s:%s", self._url_host, self._port)
        self.close()
        self._done.set()
        if self._on_redirect is not None:
            try:
                self._on_redirect(url)
            except Exception:
                _log.exception("the on_redirect callback failed")

    # -- internals -------------------------------------------------------------------------------

    @property
    def _url_host(self) -> str:
        return url_host_for(self._host)

    def _refuse(self, handler: RequestHandler, reason: str, page: Page | None = None) -> None:
        with self._state_lock:
            self._refused += 1
            count = self._refused
        _log.info("refused a request to the redirect URI (%s so far): %s", count, reason)
        if self._on_refused is not None:  # before the answer: whoever sent it sees it counted
            try:
                self._on_refused(count, reason)
            except Exception:
                _log.exception("the on_refused callback failed")
        handler.send_page(page or refused_page(reason))

    def _finish(self, outcome: LoopbackOutcome) -> bool:
        """Set the outcome if none is set yet; True if this call set it."""
        with self._state_lock:
            if self._outcome is not None:
                return False
            self._outcome = outcome
        self._done.set()
        return True

    def _expire(self) -> None:
        if self._finish(LoopbackOutcome.TIMED_OUT):
            _log.info("no redirect within %s s: closing the listener", self._timeout)
            self.close()
            if self._on_timeout is not None:
                try:
                    self._on_timeout()
                except Exception:
                    _log.exception("the on_timeout callback failed")


def _state_problem(query: str, expected: str | None) -> str | None:
    """Why a request to the redirect URI is not this flow's answer, or None if it is.

    It is when it carries exactly one ``state``, equal to ``expected`` (compared in constant
    time); without an ``expected`` state, any one non-empty state. The sentence never quotes
    the request.
    """
    try:
        states = parse_qs(query, keep_blank_values=True).get("state", [])
    except ValueError:
        return "The request's query cannot be read."
    if not states or not states[0]:
        return "The request carries no state."
    if len(states) > 1:
        return "The request carries the state more than once."
    if expected is not None and not hmac.compare_digest(
        states[0].encode("utf-8"), expected.encode("utf-8")
    ):
        return "The request carries the state of another sign-in."
    return None
