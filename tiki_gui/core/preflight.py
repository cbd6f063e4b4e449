"""Before the seller signs in: does the token endpoint answer at all?

A wrong token endpoint (a typo, a closed port, a server that hangs) would otherwise be found
only after the seller signed in and allowed access, with the code then wasted. The check sends
one plain ``GET`` with no credentials and no parameters to the token endpoint: **any** HTTP
answer (a 405 from Hydra, a 404, a 400) proves something listens there; only no answer fails.
It runs on a worker thread with the shared client, a short deadline and a cancellation;
:func:`quick_check` answers without the client when a direct probe can
(:mod:`tiki_gui.core.probe`: the first check of a window does not wait for httpx).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tiki_gui.core.errors import MalformedResponseError, RequestCancelledError, TransportError
from tiki_gui.core.probe import probe_status

if TYPE_CHECKING:
    import httpx

    from tiki_gui.core.cancellation import Cancellation

__all__ = [
    "PREFLIGHT_DEADLINE",
    "TokenEndpointUnreachableError",
    "check_token_endpoint",
    "quick_check",
]

PREFLIGHT_DEADLINE = 10.0
"""Seconds the check may take in all (connect and answer): a hanging server fails it."""

_LEAST_LEFT = 0.05  # a probe that used the whole deadline: the client's check words the failure
_BODY_LIMIT = 64 * 1024  # the answer is not read for anything: a little is enough


class TokenEndpointUnreachableError(TransportError):
    """The token endpoint gave no answer before the sign-in began; ``cause`` is the transport
    error (timeout, refused, TLS, DNS) whose reason it carries. Nothing secret was sent."""

    cause: TransportError

    def __init__(self, message: str, *, cause: TransportError) -> None:
        self.cause = cause
        super().__init__(message, reason=cause.reason, maybe_sent=False)


def quick_check(
    url: str,
    http: Callable[[], httpx.Client],
    *,
    deadline: float = PREFLIGHT_DEADLINE,
    cancellation: Cancellation | None = None,
) -> int | None:
    """:func:`check_token_endpoint`, with the client ``http`` gives only when needed: a direct
    probe without httpx first (:func:`tiki_gui.core.probe.probe_status`), the check with the
    client (within what is left of ``deadline``) when the probe cannot tell. Same outcomes."""
    began = time.monotonic()
    status = probe_status(url, deadline=deadline, cancellation=cancellation)
    if status is not None:
        return status
    if cancellation is not None and cancellation.cancelled:  # no client made for nothing
        raise RequestCancelledError(
            "The check of the token endpoint was cancelled.",
            reason="cancelled",
            maybe_sent=False,
        )
    left = max(deadline - (time.monotonic() - began), _LEAST_LEFT)
    return check_token_endpoint(http(), url, deadline=left, cancellation=cancellation)


def check_token_endpoint(
    http: httpx.Client,
    url: str,
    *,
    deadline: float = PREFLIGHT_DEADLINE,
    cancellation: Cancellation | None = None,
) -> int | None:
    """The HTTP status the token endpoint at ``url`` answers a plain GET with (None: it
    answered, but not with a readable body). Raises :class:`TokenEndpointUnreachableError`
    if nothing answers within ``deadline``, or the cancellation's error if cancelled."""
    from tiki_gui.core.http import send  # imports httpx: not before the first check

    try:
        response = send(
            http,
            "GET",
            url,
            what="The token endpoint",
            deadline=deadline,
            cancellation=cancellation,
            max_body=_BODY_LIMIT,
        )
    except MalformedResponseError as exc:  # an answer, just not a readable one: it listens
        return exc.status_code
    except RequestCancelledError:
        raise
    except TransportError as exc:
        raise TokenEndpointUnreachableError(str(exc), cause=exc) from None
    return response.status_code
