"""SandboxServer as a component: lifecycle, request records, clock, quietness, routing."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, RequestRecord, SandboxServer

from .browserless import authorize
from .wire import auth_url, token_request


def test_endpoints_are_tikis_paths_on_the_base_url(sandbox: SandboxServer) -> None:
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}"
    assert sandbox.port > 0
    assert sandbox.authorization_endpoint == sandbox.base_url + "/sc/oauth2/auth"
    assert sandbox.token_endpoint == sandbox.base_url + "/sc/oauth2/token"
    assert sandbox.api_base == sandbox.base_url
    assert sandbox.sellers_me_url == sandbox.base_url + "/integration/v2/sellers/me"


def test_requests_are_recorded_without_their_query(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    http.get(auth_url(sandbox))
    http.post(sandbox.token_endpoint, data={"grant_type": "client_credentials"})
    assert sandbox.requests == [
        RequestRecord("GET", "/sc/oauth2/auth"),
        RequestRecord("POST", "/sc/oauth2/token"),
    ]
    (record,) = sandbox.token_requests
    assert record.grant_type == "client_credentials"
    assert record.client_id is None
    assert record.auth_method == "none"
    assert record.status_code == 400


def test_token_records_hold_no_secrets(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = token_request(http, sandbox, DEMO_BASIC_CLIENT, {"grant_type": "client_credentials"})
    token = response.json()["access_token"]
    text = repr(sandbox.token_requests) + repr(sandbox.requests)
    assert DEMO_BASIC_CLIENT.client_secret not in text
    assert token not in text


def test_advance_clock_moves_the_servers_now(sandbox: SandboxServer) -> None:
    before = sandbox.now()
    sandbox.advance_clock(3600)
    assert sandbox.now() - before >= timedelta(seconds=3600)
    assert sandbox.now().tzinfo is not None


def test_in_process_server_writes_nothing_to_stdout_or_stderr(
    sandbox: SandboxServer, http: httpx.Client, capfd: pytest.CaptureFixture[str]
) -> None:
    authorize(http, auth_url(sandbox))
    http.get(sandbox.base_url + "/no/such/path")
    http.get(sandbox.sellers_me_url)
    assert capfd.readouterr() == ("", "")


def test_log_callback_gets_method_path_status_but_never_the_query(http: httpx.Client) -> None:
    lines: list[str] = []
    with SandboxServer(log=lines.append) as server:
        authorize(http, auth_url(server))
    assert lines[0] == '"GET /sc/oauth2/auth" 303'
    assert '"POST /sc/oauth2/login" 303' in lines
    assert not any("state" in line or "challenge" in line or "?" in line for line in lines)


def test_stop_is_idempotent_and_the_port_is_closed(
    new_http: Callable[[], httpx.Client],
) -> None:
    server = SandboxServer().start()
    assert new_http().get(server.base_url + "/").status_code == 200
    server.stop()
    server.stop()
    with pytest.raises(httpx.ConnectError):
        new_http().get(server.base_url + "/")
    with pytest.raises(RuntimeError, match="stopped"):
        server.start()


def test_stop_does_not_wait_for_idle_keep_alive_connections(http: httpx.Client) -> None:
    server = SandboxServer().start()
    response = http.get(server.base_url + "/")
    assert response.headers.get("connection", "").lower() != "close"
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.0


def test_stop_without_start_releases_the_socket() -> None:
    server = SandboxServer()
    server.stop()
    with pytest.raises(RuntimeError):
        server.start()


def test_unknown_path_is_404_and_wrong_method_is_405(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    assert http.get(sandbox.base_url + "/sc/oauth2/nothing").status_code == 404
    not_allowed = http.post(sandbox.authorization_endpoint, data={"a": "b"})
    assert not_allowed.status_code == 405
    assert not_allowed.headers["allow"] == "GET"
    assert http.delete(sandbox.base_url + "/sc/oauth2/login").status_code == 405


def test_chunked_bodies_are_refused(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.post(sandbox.token_endpoint, content=iter([b"grant_type=x"]))
    assert response.status_code == 411


def test_index_page_names_the_endpoints(sandbox: SandboxServer, http: httpx.Client) -> None:
    text = http.get(sandbox.base_url + "/").text
    assert sandbox.token_endpoint in text
    assert "not Tiki" in text
