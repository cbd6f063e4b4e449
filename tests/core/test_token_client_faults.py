"""Faults a real server cannot easily produce, through ``httpx.MockTransport``.

A reset in the middle of the body, broken or binary bodies, an HTML 500 page, timeouts raised by
the transport and a certificate failure: each becomes the right core error, without the httpx
exception (which holds the request and its body) chained to it.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.errors import (
    ConnectionFailedError,
    MalformedResponseError,
    ProxyFailedError,
    RequestTimeoutError,
    TikiGuiError,
    TlsError,
    TransportError,
)
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet

TOKEN_ENDPOINT = "https://api.tiki.vn/sc/oauth2/token"
SECRET = "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew"
REFRESH = "ory_rt_0123456789abcdefghijABCDEFGHIJ.xyz"
ACCESS = "ory_at_9876543210zyxwvutsrqpo.abc"
T0 = datetime(2024, 5, 1, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


class _ResetMidBody(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b'{"access_token": "ory_at_partial'
        raise httpx.ReadError("[Errno 104] Connection reset by peer")


def _raise(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def _refresh(handler: Handler) -> TikiGuiError:
    credentials = ClientCredentials("7590139168389961", SECRET, AuthMethod.CLIENT_SECRET_POST)
    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = TokenClient(TOKEN_ENDPOINT, credentials, http)
        with pytest.raises(TikiGuiError) as info:
            client.refresh(TokenSet(ACCESS, "bearer", T0, None, refresh_token=REFRESH))
    error = info.value
    # Never chained to the httpx exception (its request carries the secret and the token) or
    # to a JSON decode error (it holds the whole body).
    chained: BaseException | None = error
    while chained is not None:
        assert isinstance(chained, TikiGuiError), repr(chained)
        chained = chained.__cause__ or chained.__context__
    for text in (str(error), repr(error)):
        assert SECRET not in text
        assert REFRESH not in text
        assert ACCESS not in text
    return error


def test_connection_reset_in_the_middle_of_the_body() -> None:
    error = _refresh(lambda request: httpx.Response(200, stream=_ResetMidBody()))
    assert type(error) is ConnectionFailedError
    assert "broke before the answer was complete" in str(error)
    assert "reset by peer" in error.reason


def test_truncated_json() -> None:
    error = _refresh(lambda request: httpx.Response(200, content=b'{"access_token": "abc'))
    assert isinstance(error, MalformedResponseError)
    assert error.status_code == 200
    assert error.excerpt == '{"access_token": "abc'
    assert "not JSON" in str(error)


def test_binary_garbage() -> None:
    error = _refresh(lambda request: httpx.Response(200, content=bytes(range(256)) * 4))
    assert isinstance(error, MalformedResponseError)
    assert len(error.excerpt) <= 120
    assert all(ch.isprintable() for ch in error.excerpt)


def test_html_500_page_quotes_a_short_scrubbed_excerpt() -> None:
    page = (
        "<html><head><title>500 Internal Server Error</title></head><body>"
        f"<p>request client_secret={SECRET} refresh_token={REFRESH} "
        "session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo</p>" + "x" * 500 + "</body></html>"
    )
    error = _refresh(
        lambda request: httpx.Response(
            500, content=page.encode(), headers={"Content-Type": "text/html"}
        )
    )
    assert isinstance(error, MalformedResponseError)
    assert error.status_code == 500
    assert len(error.excerpt) <= 120
    assert error.excerpt.startswith("<html><head><title>500 Internal Server Error</title>")
    assert "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo" not in str(error)
    assert "HTTP 500" in str(error)


def test_html_page_with_the_secret_early_scrubs_it_from_the_excerpt() -> None:
    page = f"<p>bad client_secret={SECRET} or token={REFRESH}</p>"
    error = _refresh(lambda request: httpx.Response(500, content=page.encode()))
    assert isinstance(error, MalformedResponseError)
    assert error.excerpt == "<p>bad client_secret=[redacted] or token=[redacted]</p>"


@pytest.mark.parametrize(
    ("exc", "phase"),
    [
        (httpx.ReadTimeout("timed out"), "while waiting for the answer"),
        (httpx.ConnectTimeout("timed out"), "while connecting"),
        (httpx.WriteTimeout("timed out"), "while sending the request"),
        (httpx.PoolTimeout("timed out"), "while waiting for a free connection"),
    ],
)
def test_timeouts(exc: httpx.TimeoutException, phase: str) -> None:
    error = _refresh(_raise(exc))
    assert type(error) is RequestTimeoutError
    assert isinstance(error, TransportError)
    assert phase in str(error)
    assert "api.tiki.vn" in str(error)


def test_certificate_failure_is_a_tls_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        cause = ssl.SSLCertVerificationError(
            1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed"
        )
        raise httpx.ConnectError("certificate verify failed", request=request) from cause

    error = _refresh(handler)
    assert type(error) is TlsError
    assert "certificate is not trusted" in str(error)


def test_dns_failure_is_a_connection_failure() -> None:
    error = _refresh(_raise(httpx.ConnectError("[Errno -2] Name or service not known")))
    assert type(error) is ConnectionFailedError
    assert "Could not connect to the token endpoint (api.tiki.vn)" in str(error)


def test_remote_protocol_error_is_a_connection_failure() -> None:
    error = _refresh(_raise(httpx.RemoteProtocolError("Server disconnected without response")))
    assert type(error) is ConnectionFailedError


def test_other_transport_errors_stay_transport_errors() -> None:
    error = _refresh(_raise(httpx.UnsupportedProtocol("no transport for gopher://")))
    assert type(error) is TransportError


def test_a_proxy_error_is_a_proxy_failure() -> None:
    error = _refresh(_raise(httpx.ProxyError("proxy said no")))
    assert type(error) is ProxyFailedError
    assert "the proxy" in str(error)


def test_a_transport_message_echoing_a_secret_is_scrubbed() -> None:
    error = _refresh(_raise(httpx.ReadError(f"reset while sending refresh_token={REFRESH}")))
    assert isinstance(error, TransportError)
    assert REFRESH not in error.reason
    assert "[redacted]" in error.reason
