"""The token endpoint checked before the seller signs in (issue 12, item 5), against real
servers on 127.0.0.1: the sandbox answers, a closed port and a server that never answers do not,
and a check under way can be cancelled."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.errors import RequestCancelledError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.preflight import TokenEndpointUnreachableError, check_token_endpoint
from tiki_gui.sandbox import SandboxServer

from .hostile_server import HostileServer, answer, silent


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_sandbox_token_endpoint_answers(sandbox: SandboxServer) -> None:
    with make_http_client() as http:
        status = check_token_endpoint(http, sandbox.token_endpoint)
    assert status is not None
    assert status == 405  # Hydra (and the sandbox) answer a GET on the token endpoint so
    # Nothing was asked for: no token request, just one GET.
    assert sandbox.token_requests == []
    assert [(r.method, r.path) for r in sandbox.requests] == [("GET", "/sc/oauth2/token")]


@pytest.mark.parametrize("status", ["404 Not Found", "405 Method Not Allowed", "500 Oops"])
def test_any_http_status_counts_as_an_answer(status: str) -> None:
    with HostileServer(answer(status, b"no")) as server, make_http_client() as http:
        assert check_token_endpoint(http, server.url + "/token") == int(status.split()[0])


def test_a_closed_port_is_unreachable() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/token"
    with make_http_client() as http, pytest.raises(TokenEndpointUnreachableError) as caught:
        check_token_endpoint(http, url)
    assert caught.value.maybe_sent is False
    assert "127.0.0.1" in str(caught.value)


def test_a_server_that_never_answers_fails_within_the_deadline() -> None:
    with HostileServer(silent) as server, make_http_client() as http:
        started = time.monotonic()
        with pytest.raises(TokenEndpointUnreachableError):
            check_token_endpoint(http, server.url + "/token", deadline=1.0)
        assert time.monotonic() - started < 5.0


def test_a_check_under_way_is_cancelled() -> None:
    stop = Cancellation()
    with HostileServer(silent) as server, make_http_client() as http:
        timer = threading.Timer(0.3, stop.cancel)
        timer.start()
        started = time.monotonic()
        with pytest.raises(RequestCancelledError):
            check_token_endpoint(http, server.url + "/token", deadline=30.0, cancellation=stop)
        assert time.monotonic() - started < 5.0
        timer.join()
