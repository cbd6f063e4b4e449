"""The token endpoint check's probe without the HTTP client (issue 11, P2), against real servers
on 127.0.0.1: it answers only with a status line read over a direct connection (https verified
with the client's trust store); anything else is left to the client's check, which words the
failure as before, within the same deadline, and a cancel stops it."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from child_processes import run_python

from tiki_gui import USER_AGENT
from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.errors import RequestCancelledError, TlsError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.preflight import TokenEndpointUnreachableError, quick_check
from tiki_gui.core.probe import probe_status
from tiki_gui.sandbox import SandboxServer

from .hostile_server import HostileServer, answer, read_request, self_signed_tls, silent


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _no_client() -> httpx.Client:
    raise AssertionError("the HTTP client was needed")


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    return self_signed_tls(tmp_path_factory.mktemp("tls"))


def test_the_sandbox_answers_the_probe_without_the_client(sandbox: SandboxServer) -> None:
    assert quick_check(sandbox.token_endpoint, _no_client) == 405
    assert sandbox.token_requests == []
    assert [(r.method, r.path) for r in sandbox.requests] == [("GET", "/sc/oauth2/token")]


def test_the_probe_sends_a_plain_get_as_the_client_would() -> None:
    heads: list[bytes] = []

    def record(conn: socket.socket, _stop: threading.Event) -> None:
        heads.append(read_request(conn))
        conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")

    with HostileServer(record) as server:
        port = server.url.rsplit(":", 1)[1]
        assert probe_status(server.url + "/sc/oauth2/token?a=1", deadline=5.0) == 405
    lines = heads[0].decode("ascii").split("\r\n")
    assert lines[0] == "GET /sc/oauth2/token?a=1 HTTP/1.1"
    assert sorted(lines[1:]) == sorted(
        [f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}", "Accept: */*", "Connection: close"]
    )  # no credentials, no body


@pytest.mark.parametrize("status", ["404 Not Found", "500 Oops", "302 Found"])
def test_any_status_line_is_an_answer(status: str) -> None:
    with HostileServer(answer(status, b"no")) as server:
        assert probe_status(server.url + "/token?x=1", deadline=5.0) == int(status[:3])


def test_a_trusted_certificate_is_verified_with_the_clients_trust_store(
    tls: tuple[ssl.SSLContext, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server_tls, cert = tls
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the system store, as truststore reads it
    with HostileServer(answer("405 Method Not Allowed", b""), tls=server_tls) as server:
        assert server.url.startswith("https://")
        assert quick_check(server.url + "/token", _no_client) == 405


def test_an_untrusted_certificate_is_left_to_the_client_which_words_it(
    tls: tuple[ssl.SSLContext, Path],
) -> None:
    with HostileServer(answer("405 Method Not Allowed", b""), tls=tls[0]) as server:
        assert probe_status(server.url + "/token", deadline=5.0) is None
        with make_http_client() as http, pytest.raises(TokenEndpointUnreachableError) as caught:
            quick_check(server.url + "/token", lambda: http)
    assert isinstance(caught.value.cause, TlsError)


def _not_http(conn: socket.socket, _stop: threading.Event) -> None:
    read_request(conn)
    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda: f"http://127.0.0.1:{_closed_port()}/token", id="closed port"),
        pytest.param(lambda: "ftp://127.0.0.1/token", id="not http"),
    ],
)
def test_no_answer_is_left_to_the_client(where: Callable[[], str]) -> None:
    url = where()
    assert probe_status(url, deadline=5.0) is None
    with make_http_client() as http, pytest.raises(TokenEndpointUnreachableError) as caught:
        quick_check(url, lambda: http)
    assert caught.value.maybe_sent is False


def test_a_server_that_speaks_something_else_fails_as_with_the_client() -> None:
    with HostileServer(_not_http) as server, make_http_client() as http:
        assert probe_status(server.url + "/token", deadline=5.0) is None
        with pytest.raises(TokenEndpointUnreachableError):
            quick_check(server.url + "/token", lambda: http)


def test_a_server_that_never_answers_fails_within_the_deadline() -> None:
    with HostileServer(silent) as server, make_http_client() as http:
        started = time.monotonic()
        with pytest.raises(TokenEndpointUnreachableError):
            quick_check(server.url + "/token", lambda: http, deadline=1.0)
        assert time.monotonic() - started < 5.0
        assert server.connections == 2  # the probe's, then the client's (words the timeout)


def test_a_probe_under_way_is_cancelled_without_making_the_client() -> None:
    stop = Cancellation()
    with HostileServer(silent) as server:
        timer = threading.Timer(0.3, stop.cancel)
        timer.start()
        started = time.monotonic()
        with pytest.raises(RequestCancelledError):
            quick_check(server.url + "/token", _no_client, deadline=30.0, cancellation=stop)
        assert time.monotonic() - started < 5.0
        timer.join()


_FRESH_PROBE = """
import json, sys
from tiki_gui.core.probe import probe_status
before = "encodings.idna" in sys.modules
status = probe_status(sys.argv[1], deadline=5.0)
print(json.dumps({"status": status, "before": before, "after": "encodings.idna" in sys.modules}))
"""


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_an_ascii_host_is_resolved_without_the_idna_codec(host: str) -> None:
    # Its first use imports it (stringprep, unicodedata: ~4-6 ms holding the GIL), on the
    # check's thread while the GUI thread starts the consent page (issue 11, P2).
    with HostileServer(answer("405 Method Not Allowed", b"")) as server:
        url = server.url.replace("127.0.0.1", host) + "/sc/oauth2/token"
        result = run_python("-c", _FRESH_PROBE, url)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen == {"status": 405, "before": False, "after": False}
