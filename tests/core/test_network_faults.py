"""Real network faults on 127.0.0.1: a closed port, a server that never answers, a non-TLS peer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from tiki_gui.core.client_auth import ClientCredentials
from tiki_gui.core.errors import ConnectionFailedError, RequestTimeoutError, TlsError
from tiki_gui.core.http import DEFAULT_TIMEOUT, make_http_client
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.token_client import TokenClient

SECRET = "sandbox basic+secret:with/odd%chars"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening: connecting is refused, and nobody else can take it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listening port that accepts connections (in the backlog) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


@pytest.fixture
def plain_text_port() -> Iterator[int]:
    """A server answering plain HTTP to whatever arrives: a TLS client's handshake fails."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.settimeout(5)

        def serve() -> None:
            try:
                connection, _ = sock.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        yield sock.getsockname()[1]
        thread.join(timeout=5)


def _token_client(url: str, http: httpx.Client) -> TokenClient:
    return TokenClient(url, ClientCredentials("tiki-demo-basic", SECRET), http)


def test_default_timeouts_are_explicit() -> None:
    assert (
        DEFAULT_TIMEOUT.connect,
        DEFAULT_TIMEOUT.read,
        DEFAULT_TIMEOUT.write,
        DEFAULT_TIMEOUT.pool,
    ) == (10.0, 30.0, 30.0, 10.0)
    with make_http_client() as http:
        assert http.timeout == DEFAULT_TIMEOUT
        assert http.follow_redirects is False
        assert http.headers["User-Agent"].startswith("tiki-gui/")


def test_connection_refused(closed_port: int) -> None:
    with (
        make_http_client() as http,
        pytest.raises(ConnectionFailedError, match="Could not connect") as info,
    ):
        _token_client(f"http://127.0.0.1:{closed_port}/token", http).client_credentials()
    assert f"127.0.0.1:{closed_port}" in str(info.value)
    assert "refused" in info.value.reason.lower()
    assert info.value.__cause__ is None
    assert SECRET not in str(info.value) + repr(info.value)


def test_connection_refused_at_the_seller_api(closed_port: int) -> None:
    with make_http_client() as http, pytest.raises(ConnectionFailedError):
        SellerApi(f"http://127.0.0.1:{closed_port}", http).me("token-value")


def test_a_server_that_never_answers_times_out(silent_port: int) -> None:
    timeout = httpx.Timeout(connect=2.0, read=0.3, write=2.0, pool=2.0)
    with (
        make_http_client(timeout=timeout) as http,
        pytest.raises(RequestTimeoutError, match="while waiting for the answer") as info,
    ):
        _token_client(f"http://127.0.0.1:{silent_port}/token", http).client_credentials()
    assert info.value.__cause__ is None
    assert info.value.__context__ is None


def test_https_to_a_server_that_does_not_speak_tls(plain_text_port: int) -> None:
    with make_http_client(timeout=httpx.Timeout(5.0)) as http, pytest.raises(TlsError, match="TLS"):
        _token_client(f"https://127.0.0.1:{plain_text_port}/token", http).client_credentials()
