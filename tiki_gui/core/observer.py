"""Watching one client's requests: an observer handed to the code that sends them.

A :class:`HttpObserver` (the flow's :class:`~tiki_gui.core.timeline.Timeline` is one) is given to
a :class:`~tiki_gui.core.token_client.TokenClient`, which wraps its client authentication in
:func:`observed`: the observer sees exactly this client's requests (as sent, authentication
included) and their responses, and nothing else that shares the ``httpx.Client``. No hook is
added to the shared client and nothing is filtered by thread. A failure to record never breaks
the request.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Protocol

import httpx

from tiki_gui.core.errors import TikiGuiError

__all__ = ["HttpObserver", "observed"]

_log = logging.getLogger(__name__)


class HttpObserver(Protocol):
    """Told about each request just before it is sent and about its response."""

    def record_request(self, request: httpx.Request) -> object: ...
    def record_response(self, response: httpx.Response) -> object: ...
    def record_error(self, error: BaseException | str) -> object: ...


class _ObservedAuth(httpx.Auth):
    # The body is not read here: the observer reads it within the request's size cap
    # (Timeline.record_response uses core.body.read_body), as the caller then does.
    requires_response_body = False

    def __init__(self, inner: httpx.Auth | None, observer: HttpObserver) -> None:
        self._inner = inner
        self._observer = observer

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self._inner.sync_auth_flow(request) if self._inner is not None else None
        outgoing = next(flow) if flow is not None else request
        while True:
            self._seen(outgoing)
            response = yield outgoing
            self._answered(response)
            if flow is None:
                return
            try:
                outgoing = flow.send(response)
            except StopIteration:
                return

    def _seen(self, request: httpx.Request) -> None:
        try:
            self._observer.record_request(request)
        except Exception as exc:  # recording must never break the request
            self._observer.record_error(f"Could not record a request ({type(exc).__name__}).")

    def _answered(self, response: httpx.Response) -> None:
        try:
            self._observer.record_response(response)
        except (httpx.HTTPError, TikiGuiError):
            raise  # the answer could not be read: the caller gets the same error
        except Exception as exc:  # recording must never break the request
            self._observer.record_error(f"Could not record a response ({type(exc).__name__}).")


def observed(auth: httpx.Auth | None, observer: HttpObserver | None) -> httpx.Auth | None:
    """``auth`` (None: no authentication header) with ``observer`` told about the exchange."""
    if observer is None:
        return auth
    return _ObservedAuth(auth, observer)
