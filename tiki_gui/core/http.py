"""The one shared ``httpx.Client``, and how its failures become core errors.

httpx's transport exceptions carry the request (with its body: codes, tokens, a client secret),
so they are translated into :mod:`tiki_gui.core.errors` without chaining (``from None``), with a
short secret-free reason.
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import httpx

from tiki_gui import USER_AGENT
from tiki_gui.core.body import ACCEPT_ENCODING, LIMIT_EXTENSION, MAX_BODY_BYTES, read_body
from tiki_gui.core.cancellation import DEFAULT_DEADLINE, Cancellation, RequestGuard, StopReason
from tiki_gui.core.errors import (
    ConnectionFailedError,
    MalformedResponseError,
    RequestCancelledError,
    RequestTimeoutError,
    TlsError,
    TransportError,
)
from tiki_gui.core.proxies import proxy_settings
from tiki_gui.core.redact import excerpt, redact_secrets
from tiki_gui.core.routing import RoutingTransport, proxy_failed_error
from tiki_gui.core.trust import tls_context

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_TIMEOUT",
    "MAX_BODY_BYTES",
    "USER_AGENT",
    "clean_text",
    "make_http_client",
    "read_json",
    "send",
]

_log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)


def make_http_client(*, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """The client every request goes through: explicit timeouts, no redirects followed, the
    operating system's certificate store (:mod:`tiki_gui.core.trust`), and the proxy settings
    of the environment with loopback always direct (:mod:`tiki_gui.core.proxies`).

    Create one, share it, and close it on quit.
    """
    settings = proxy_settings()
    if settings.any:
        _log.info("HTTP requests use %s; loopback is always direct", settings)
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        transport=RoutingTransport(settings, tls_context()),
        trust_env=False,  # the proxy variables are read by proxy_settings(), not by httpx
    )


_TIMEOUT_PHASES: Mapping[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "while connecting",
    httpx.ReadTimeout: "while waiting for the answer",
    httpx.WriteTimeout: "while sending the request",
    httpx.PoolTimeout: "while waiting for a free connection",
}


def _is_tls_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        current = current.__cause__ or current.__context__
    text = str(exc)
    return "[SSL" in text or "CERTIFICATE_VERIFY_FAILED" in text


def _reason(exc: BaseException, secrets: Iterable[str]) -> str:
    text = str(exc) or type(exc).__name__
    return excerpt(text, secrets)


def _where(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _bounded(value: float | None, deadline: float) -> float:
    return deadline if value is None else min(value, deadline)


def _request_timeout(timeout: httpx.Timeout, deadline: float) -> httpx.Timeout:
    """The client's timeouts, none longer than the request's whole deadline."""
    return httpx.Timeout(
        connect=_bounded(timeout.connect, deadline),
        read=_bounded(timeout.read, deadline),
        write=_bounded(timeout.write, deadline),
        pool=_bounded(timeout.pool, deadline),
    )


def _stopped_error(guard: RequestGuard, what: str, target: str, where: str) -> TransportError:
    if guard.stopped is StopReason.CANCELLED:
        return RequestCancelledError(
            f"The request to {target} ({where}) was cancelled before its answer was read; what "
            "the server did with it is unknown.",
            reason=f"cancelled after {guard.elapsed():.1f} s",
        )
    return RequestTimeoutError(
        f"{what} ({where}) did not finish answering within {guard.deadline:g} s, so the "
        "request was abandoned.",
        reason=f"total deadline of {guard.deadline:g} s passed",
    )


_DROPPED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """A read response with the decoded ``body`` (httpx does not decode it again)."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in _DROPPED_HEADERS
    ]
    extensions: dict[str, object] = {
        key: response.extensions[key]
        for key in ("http_version", "reason_phrase")
        if key in response.extensions
    }
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions=extensions,
    )


def send(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    what: str,
    secrets: Iterable[str] = (),
    data: Mapping[str, str] | None = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    auth: httpx.Auth | None = None,
    deadline: float = DEFAULT_DEADLINE,
    cancellation: Cancellation | None = None,
    max_body: int = MAX_BODY_BYTES,
) -> httpx.Response:
    """Send one request (never retried) and read the whole answer, within bounds.

    ``what`` names the endpoint in messages ("The token endpoint"). ``data`` is a form body,
    ``content`` a body already encoded (its ``Content-Type`` given in ``headers``). The request
    and its answer take at most ``deadline`` seconds in all, whatever the server does (a drip of
    one byte every 29 s included); ``cancellation`` stops it from another thread within a
    fraction of a second (:mod:`tiki_gui.core.cancellation`). The body is read by
    :func:`~tiki_gui.core.body.read_body`: more than ``max_body`` bytes, compressed or decoded,
    is a :class:`ResponseTooLargeError`.
    The response returned is fully read and decoded.

    Transport failures become :class:`RequestTimeoutError` (a phase timed out or the deadline
    passed), :class:`RequestCancelledError`, :class:`TlsError`, :class:`ConnectionFailedError`
    or :class:`TransportError`, without the httpx exception (and its request) chained; a body
    that cannot be decoded (bad ``Content-Encoding``) is a :class:`MalformedResponseError`.
    """
    secret_list = [s for s in secrets if s]
    where = _where(url)
    target = what[:1].lower() + what[1:]  # "The seller API" -> "the seller API"
    if cancellation is not None and cancellation.cancelled:
        raise RequestCancelledError(
            f"The request to {target} ({where}) was cancelled before it was sent.",
            reason="cancelled before sending",
            maybe_sent=False,
        )
    error: TransportError | MalformedResponseError
    with RequestGuard(deadline, cancellation) as guard:
        try:
            request = http.build_request(
                method,
                url,
                data=data,
                content=content,
                headers={
                    **(headers or {}),
                    "Accept-Encoding": ACCEPT_ENCODING,
                    # A fresh connection per request, so the guard always knows its socket.
                    "Connection": "close",
                },
                timeout=_request_timeout(http.timeout, deadline),
                extensions={"trace": guard.trace, LIMIT_EXTENSION: max_body},
            )
            streamed = http.send(request, auth=auth, stream=True)
            try:
                body = read_body(streamed, what=what, limit=max_body)
            finally:
                streamed.close()
            if guard.stopped is not None:
                raise httpx.ReadError("stopped")  # an end of body caused by the guard
        except httpx.HTTPError as exc:
            error = _translate(exc, what, target, where, secret_list)
            if guard.stopped is not None:
                error = _stopped_error(guard, what, target, where)
        except MalformedResponseError as exc:
            error = exc if guard.stopped is None else _stopped_error(guard, what, target, where)
        else:
            _log.debug("%s %s -> HTTP %s", method, where, streamed.status_code)
            return _with_body(streamed, body)
    detail = error.reason if isinstance(error, TransportError) else error.excerpt
    _log.info("%s %s failed: %s (%s)", method, where, type(error).__name__, detail)
    raise error


def _translate(
    exc: httpx.HTTPError, what: str, target: str, where: str, secrets: list[str]
) -> TransportError | MalformedResponseError:
    """The core error for an httpx failure (its message scrubbed, nothing chained)."""
    if isinstance(exc, httpx.ProxyError):  # before ConnectError and the other RequestErrors
        return proxy_failed_error(exc, target=target, where=where, secrets=secrets)
    if isinstance(exc, httpx.TimeoutException):
        phase = _TIMEOUT_PHASES.get(type(exc), "")
        return RequestTimeoutError(
            f"{what} ({where}) did not answer in time{' ' + phase if phase else ''}.",
            reason=_reason(exc, secrets),
            maybe_sent=not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout),
        )
    if isinstance(exc, httpx.ConnectError):
        if _is_tls_failure(exc):
            return TlsError(
                f"The secure (TLS) connection to {target} ({where}) failed: the "
                "certificate is not trusted, or the server does not speak https.",
                reason=_reason(exc, secrets),
                maybe_sent=False,
            )
        return ConnectionFailedError(
            f"Could not connect to {target} ({where}): the host is unknown or "
            "unreachable, or nothing is listening there.",
            reason=_reason(exc, secrets),
            maybe_sent=False,
        )
    if isinstance(
        exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError | httpx.CloseError
    ):
        if _is_tls_failure(exc):
            return TlsError(
                f"The secure (TLS) connection to {target} ({where}) failed.",
                reason=_reason(exc, secrets),
            )
        return ConnectionFailedError(
            f"The connection to {target} ({where}) broke before the answer was complete.",
            reason=_reason(exc, secrets),
        )
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(
            f"{what} ({where}) answered with a body that could not be decoded "
            "(its Content-Encoding is wrong)",
            excerpt=_reason(exc, secrets),
        )
    return TransportError(
        f"The request to {target} ({where}) could not be sent.",
        reason=_reason(exc, secrets),
    )


_NOT_JSON = object()


def read_json(
    response: httpx.Response, *, what: str, secrets: Iterable[str] = ()
) -> Mapping[str, object]:
    """The response body as a JSON object, or :class:`MalformedResponseError` quoting an excerpt.

    The excerpt is at most 120 characters with the request's ``secrets`` and token-like runs
    removed.
    """
    secret_list = [s for s in secrets if s]
    text = response.content.decode("utf-8", errors="replace")
    body: object
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        body = _NOT_JSON  # raised below, outside the handler: the decode error holds the body
    if body is _NOT_JSON:
        raise MalformedResponseError(
            f"{what} answered with something that is not JSON",
            status_code=response.status_code,
            excerpt=excerpt(text, secret_list),
        )
    if not isinstance(body, dict):
        raise MalformedResponseError(
            f"{what} answered with JSON that is not an object",
            status_code=response.status_code,
            excerpt=excerpt(text, secret_list),
        )
    return body


def clean_text(value: object, secrets: Iterable[str]) -> str | None:
    """A server-sent string field with the request's secrets removed; None if absent or empty."""
    if not isinstance(value, str) or not value:
        return None
    return redact_secrets(value, secrets)
