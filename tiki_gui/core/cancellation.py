"""Stop a request under way: a cancellation handle for callers, and the guard ``send`` puts on it.

:class:`Cancellation` is what a caller (a GUI job, a command) keeps: pass it to
:meth:`~tiki_gui.core.token_client.TokenClient.exchange_code`, ``refresh``,
``client_credentials``, :meth:`~tiki_gui.core.seller.SellerApi.me` or the vault's network
methods, and call :meth:`Cancellation.cancel` from any thread (the Cancel button, closing the
window). The request under way then ends within a fraction of a second with
:class:`~tiki_gui.core.errors.RequestCancelledError`, whatever the server does.

:class:`RequestGuard` is the mechanism, used by :func:`tiki_gui.core.http.send` for one request:
it learns the request's socket through httpcore's ``trace`` extension and, when the total
deadline passes or the cancellation fires, shuts that socket down. Every blocking call on it
(sending, waiting for the headers, reading the body, TLS included) then returns at once, so
neither a server that never answers nor one that drips a byte every 29 seconds can hold a
request (and the refresh lock behind it) longer than the deadline.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from tiki_gui.core.deadlines import call_at

__all__ = ["DEFAULT_DEADLINE", "Cancellation", "RequestGuard", "StopReason"]

DEFAULT_DEADLINE = 30.0
"""Seconds one request may take in all (connect, send, wait, read), whatever the server does."""

_log = logging.getLogger(__name__)

# httpcore's trace events that hand over a new network stream (plain TCP, then TLS over it).
_STREAM_EVENTS = frozenset(
    {
        "connection.connect_tcp.complete",
        "connection.start_tls.complete",
        "http_proxy.start_tls.complete",  # TLS through a proxy tunnel
    }
)


class Cancellation:
    """A thread-safe, one-way switch: once :meth:`cancel` is called, it stays cancelled.

    One handle may serve several requests (a refresh, then the seller check): each request
    under way registers with it and is stopped by one ``cancel()``. A request started after
    the cancel fails at once, without being sent.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next_id = 0

    def __repr__(self) -> str:
        return f"Cancellation(cancelled={self._cancelled})"

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Cancel every request using this handle, now and later. Idempotent; any thread."""
        with self._lock:
            if self._cancelled:
                return
            self._cancelled = True
            callbacks, self._callbacks = list(self._callbacks.values()), {}
        for callback in callbacks:
            try:
                callback()
            except Exception:
                _log.exception("a cancellation callback failed")

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` (on the cancelling thread) when cancelled; at once if already.

        Returns a function that unregisters it.
        """
        with self._lock:
            if not self._cancelled:
                key = self._next_id
                self._next_id += 1
                self._callbacks[key] = callback

                def unregister() -> None:
                    with self._lock:
                        self._callbacks.pop(key, None)

                return unregister
        callback()
        return lambda: None


class StopReason(StrEnum):
    """Why a :class:`RequestGuard` stopped its request."""

    DEADLINE = "deadline"
    CANCELLED = "cancelled"


def _abort(sock: socket.socket) -> None:
    # The plain socket call, also for an SSLSocket: its own shutdown() would tear down the TLS
    # object under the thread reading from it; at the descriptor level the read just ends.
    with contextlib.suppress(OSError, ValueError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class RequestGuard:
    """Stops one request at its total ``deadline`` (seconds from now) or when cancelled.

    Pass :meth:`trace` as the request's ``trace`` extension; call :meth:`close` when the
    request is over (a context manager does). :attr:`stopped` says why it was stopped, if it was.
    """

    def __init__(self, deadline: float, cancellation: Cancellation | None = None) -> None:
        if not deadline > 0:
            raise ValueError("deadline must be positive")
        self.deadline = deadline
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._stopped: StopReason | None = None
        self._cancel_deadline = call_at(self._started + deadline, self._on_deadline)
        self._unregister: Callable[[], None] = lambda: None
        if cancellation is not None:
            self._unregister = cancellation.on_cancel(lambda: self.stop(StopReason.CANCELLED))

    def __enter__(self) -> RequestGuard:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def stopped(self) -> StopReason | None:
        return self._stopped

    def remaining(self) -> float:
        """Seconds left before the deadline (0 once passed)."""
        return max(0.0, self.deadline - (time.monotonic() - self._started))

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def _on_deadline(self) -> None:
        self.stop(StopReason.DEADLINE)

    def stop(self, reason: StopReason) -> None:
        """Stop the request now: its socket is shut down. The first reason given is kept."""
        with self._lock:
            if self._stopped is not None:
                return
            self._stopped = reason
            sockets = list(self._sockets)
        for sock in sockets:
            _abort(sock)

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's ``trace`` extension: remember each socket the request opens."""
        if event not in _STREAM_EVENTS:
            return
        stream = info.get("return_value")
        get_extra_info = getattr(stream, "get_extra_info", None)
        sock = get_extra_info("socket") if callable(get_extra_info) else None
        if isinstance(sock, socket.socket):
            self.watch(sock)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down too when the request is stopped (at once if it already is)."""
        with self._lock:
            self._sockets.append(sock)
            stopped = self._stopped is not None
        if stopped:
            _abort(sock)  # stopped while connecting: end it as soon as it exists

    def close(self) -> None:
        """The request is over: no timer, no callback, no socket kept."""
        self._cancel_deadline()
        self._unregister()
        with self._lock:
            self._sockets.clear()
