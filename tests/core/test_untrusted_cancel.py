"""Cancelling a request under way, over plain HTTP and TLS: a misbehaving server on 127.0.0.1
keeps the request waiting; :class:`~tiki_gui.core.cancellation.Cancellation` ends it from another
thread within a fraction of a second, sends nothing when already cancelled, and leaves the client
usable; the total deadline stops a TLS request too."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.errors import RequestCancelledError, RequestTimeoutError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.seller import SellerApi

from .hostile_server import HostileServer, answer, drip, self_signed_tls, silent
from .untrusted import ACCESS, REFRESH, old_token, token_client


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client() as client:
        yield client


# -- cancellation --------------------------------------------------------------------------------


def _cancel_while_waiting(call: object, server: HostileServer, cancellation: Cancellation) -> float:
    """Run ``call`` on a thread, cancel once the server has the request; seconds to return."""
    outcome: list[BaseException | None] = []
    ended = threading.Event()

    def run() -> None:
        try:
            call()  # type: ignore[operator]
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)
        ended.set()

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 5
    while server.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # the request is sent and waiting for its answer
    cancelled_at = time.monotonic()
    cancellation.cancel()
    assert ended.wait(5), "cancel did not end the request"
    took = time.monotonic() - cancelled_at
    thread.join()
    assert len(outcome) == 1
    assert isinstance(outcome[0], RequestCancelledError), repr(outcome[0])
    assert REFRESH not in str(outcome[0])
    return took


@pytest.mark.parametrize("behaviour", [silent, drip(b"HTTP/1.1 200 OK\r\n", 0.1)])
def test_cancel_ends_a_refresh_under_way_at_once(http: httpx.Client, behaviour: object) -> None:
    cancellation = Cancellation()
    with HostileServer(behaviour) as server:  # type: ignore[arg-type]
        client = token_client(server.url, http)
        took = _cancel_while_waiting(
            lambda: client.refresh(old_token(), cancellation=cancellation), server, cancellation
        )
    print(f"refresh cancelled: ended {took * 1000:.0f} ms after cancel()")
    assert took < 0.5, f"ended {took:.3f} s after cancel()"


def test_cancel_ends_a_seller_check_under_way(http: httpx.Client) -> None:
    cancellation = Cancellation()
    with HostileServer(silent) as server:
        api = SellerApi(server.url, http)
        took = _cancel_while_waiting(
            lambda: api.me(ACCESS, cancellation=cancellation), server, cancellation
        )
    assert took < 0.5, f"ended {took:.3f} s after cancel()"


def test_a_cancelled_handle_sends_nothing(http: httpx.Client) -> None:
    cancellation = Cancellation()
    cancellation.cancel()
    with HostileServer(silent) as server:
        with pytest.raises(RequestCancelledError) as info:
            token_client(server.url, http).client_credentials(cancellation=cancellation)
        time.sleep(0.1)
        assert server.connections == 0
    assert not info.value.maybe_sent


def test_the_client_still_works_after_a_cancel(http: httpx.Client) -> None:
    cancellation = Cancellation()
    with HostileServer(silent) as server:
        client = token_client(server.url, http)
        _cancel_while_waiting(
            lambda: client.client_credentials(cancellation=cancellation), server, cancellation
        )
    body = json.dumps({"access_token": ACCESS, "token_type": "bearer"}).encode()
    with HostileServer(answer("200 OK", body)) as server:
        assert token_client(server.url, http).client_credentials().access_token == ACCESS


@pytest.fixture(scope="module")
def tls_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a fresh self-signed certificate for 127.0.0.1, and a client
    context trusting exactly that certificate."""
    server, cert = self_signed_tls(tmp_path_factory.mktemp("tls"))
    return server, ssl.create_default_context(cafile=str(cert))


def test_cancel_and_deadline_also_stop_a_tls_request(
    tls_pair: tuple[ssl.SSLContext, ssl.SSLContext],
) -> None:
    server_tls, client_tls = tls_pair
    cancellation = Cancellation()
    with (
        httpx.Client(verify=client_tls, timeout=30.0) as http,
        HostileServer(silent, tls=server_tls) as server,
    ):
        assert server.url.startswith("https://")
        client = token_client(server.url, http)
        took = _cancel_while_waiting(
            lambda: client.refresh(old_token(), cancellation=cancellation), server, cancellation
        )
        assert took < 0.5, f"TLS request ended {took:.3f} s after cancel()"
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            token_client(server.url, http, deadline=1.0).client_credentials()
        waited = time.monotonic() - started
        assert 1.0 <= waited < 2.5, f"TLS request abandoned after {waited:.2f} s (deadline 1 s)"
