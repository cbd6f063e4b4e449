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
from importlib import metadata
from urllib.parse import urlsplit

import httpx

from tiki_gui.core.errors import (
    ConnectionFailedError,
    MalformedResponseError,
    RequestTimeoutError,
    TlsError,
    TransportError,
)
from tiki_gui.core.proxies import proxy_settings
from tiki_gui.core.redact import excerpt, redact_secrets
from tiki_gui.core.routing import RoutingTransport, proxy_failed_error
from tiki_gui.core.trust import tls_context

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "clean_text",
    "make_http_client",
    "read_json",
    "send",
]

_log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)


def _version() -> str:
    try:
        return metadata.version("tiki-gui")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"tiki-gui/{_version()}"


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


def send(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    what: str,
    secrets: Iterable[str] = (),
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: httpx.Auth | None = None,
) -> httpx.Response:
    """Send one request (never retried) and read the whole answer.

    ``what`` names the endpoint in messages ("The token endpoint"). Transport failures become
    :class:`RequestTimeoutError`, :class:`TlsError`, :class:`ConnectionFailedError` or
    :class:`TransportError`, without the httpx exception (and its request) chained; a body
    that cannot be decoded (bad ``Content-Encoding``) is a :class:`MalformedResponseError`.
    """
    secret_list = [s for s in secrets if s]
    where = _where(url)
    target = what[:1].lower() + what[1:]  # "The seller API" -> "the seller API"
    error: TransportError | MalformedResponseError
    try:
        response = http.request(method, url, data=data, headers=headers, auth=auth)
    except httpx.ProxyError as exc:
        error = proxy_failed_error(exc, target=target, where=where, secrets=secret_list)
    except httpx.TimeoutException as exc:
        phase = _TIMEOUT_PHASES.get(type(exc), "")
        error = RequestTimeoutError(
            f"{what} ({where}) did not answer in time{' ' + phase if phase else ''}.",
            reason=_reason(exc, secret_list),
        )
    except httpx.ConnectError as exc:
        if _is_tls_failure(exc):
            error = TlsError(
                f"The secure (TLS) connection to {target} ({where}) failed: the "
                "certificate is not trusted, or the server does not speak https.",
                reason=_reason(exc, secret_list),
            )
        else:
            error = ConnectionFailedError(
                f"Could not connect to {target} ({where}): the host is unknown or "
                "unreachable, or nothing is listening there.",
                reason=_reason(exc, secret_list),
            )
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.CloseError) as exc:
        if _is_tls_failure(exc):
            error = TlsError(
                f"The secure (TLS) connection to {target} ({where}) failed.",
                reason=_reason(exc, secret_list),
            )
        else:
            error = ConnectionFailedError(
                f"The connection to {target} ({where}) broke before the answer was complete.",
                reason=_reason(exc, secret_list),
            )
    except httpx.DecodingError as exc:
        error = MalformedResponseError(
            f"{what} ({where}) answered with a body that could not be decoded "
            "(its Content-Encoding is wrong)",
            excerpt=_reason(exc, secret_list),
        )
    except httpx.RequestError as exc:
        error = TransportError(
            f"The request to {target} ({where}) could not be sent.",
            reason=_reason(exc, secret_list),
        )
    else:
        _log.debug("%s %s -> HTTP %s", method, where, response.status_code)
        return response
    detail = error.reason if isinstance(error, TransportError) else error.excerpt
    _log.info("%s %s failed: %s (%s)", method, where, type(error).__name__, detail)
    raise error


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
