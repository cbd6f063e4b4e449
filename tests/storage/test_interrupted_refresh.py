"""A refresh interrupted between the server's rotation and the keyring write, and a refresh
cancelled or cut off under way: what is stored, and what the app and ``tiki-gui token`` say.

The token endpoint is a stdlib relay on 127.0.0.1 in front of the sandbox: it forwards the
refresh (the sandbox rotates the pair), then kills the ``tiki-gui token`` process that asked,
before answering. That is the crash window: the old refresh token is revoked, the new pair
never reached the keyring.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from core.hostile_server import HostileServer, answer, drip, silent

from storage.conftest import ROOT, SecretService
from storage.flows import filed_seller, new_client, refresh_grants
from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.errors import MalformedResponseError, RequestCancelledError
from tiki_gui.sandbox import SandboxClient, SandboxServer
from tiki_gui.storage import ProfileStore, ReauthorizationRequiredError, SecretStore, TokenVault
from tiki_gui.token_cli import ExitCode, main


@pytest.fixture
def client() -> SandboxClient:
    return new_client("interrupted-app")


@pytest.fixture
def server(client: SandboxClient) -> Iterator[SandboxServer]:
    with SandboxServer(clients=[client]) as running:
        yield running


class _KillingRelay:
    """Forwards POSTs to ``target``, then SIGKILLs ``victim`` instead of answering."""

    def __init__(self, target: str) -> None:
        self.victim: int | None = None
        self.forwarded = threading.Event()
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization",)}
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                with httpx.Client(timeout=10) as http:
                    http.post(target, content=body, headers=headers)  # the sandbox rotates
                relay.forwarded.set()
                if relay.victim is not None:
                    os.kill(relay.victim, signal.SIGKILL)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/sc/oauth2/token"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _point_token_endpoint(url: str) -> None:
    store = ProfileStore()
    profile = store.get("Shop")
    store.save(dataclasses.replace(profile, token_endpoint=url))


def _expire(vault: TokenVault, seller_id: int) -> None:
    record = vault.get("Shop", seller_id)
    expired = dataclasses.replace(record.token, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    vault.store("Shop", seller_id, record.seller_name, expired)


def test_a_refresh_killed_after_the_rotation_is_named_interrupted(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    vault, record = filed_seller(server, client, http)
    _expire(vault, record.seller_id)
    before = vault.get("Shop", record.seller_id)
    relay = _KillingRelay(server.token_endpoint)
    try:
        _point_token_endpoint(relay.url)
        process = subprocess.Popen(
            [sys.executable, "-m", "tiki_gui.token_cli", "token", "--profile", "Shop"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        relay.victim = process.pid
        out, _ = process.communicate(timeout=120)
    finally:
        relay.close()
    assert relay.forwarded.is_set()
    assert process.returncode == -signal.SIGKILL
    assert out == ""
    assert refresh_grants(server) == 1  # the server rotated: the old refresh token is dead

    after = TokenVault(ProfileStore()).get("Shop", record.seller_id)
    assert after.token == before.token  # the new pair never arrived
    assert after.refresh_interrupted
    assert after.refresh_sent_at is not None
    assert not after.needs_reauthorization

    # The next call, against the real endpoint again: the server refuses the old refresh token
    # and the command says why, instead of a bare invalid_grant.
    _point_token_endpoint(server.token_endpoint)
    result = subprocess.run(
        [sys.executable, "-m", "tiki_gui.token_cli", "token", "--profile", "Shop"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == ExitCode.REFRESH_REFUSED, result.stderr
    assert "this seller's refresh was interrupted; authorize again" in result.stderr.lower()
    assert result.stdout == ""
    # And the app (the vault) says the same from now on, without asking the server again.
    with pytest.raises(ReauthorizationRequiredError) as info:
        TokenVault(ProfileStore()).refresh("Shop", record.seller_id, http)
    assert info.value.interrupted
    assert "refresh was interrupted" in str(info.value)
    assert refresh_grants(server) == 2


def test_a_cancelled_refresh_keeps_the_token_and_the_next_one_works(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    _, record = filed_seller(server, client, http)
    cancellation = Cancellation()
    with HostileServer(silent) as hung:
        _point_token_endpoint(hung.url + "/sc/oauth2/token")
        timer = threading.Timer(0.5, cancellation.cancel)
        timer.start()
        with pytest.raises(RequestCancelledError):
            TokenVault(ProfileStore()).refresh(
                "Shop", record.seller_id, http, cancellation=cancellation
            )
        timer.join()
    stored = TokenVault(ProfileStore()).get("Shop", record.seller_id)
    assert stored.token == record.token
    assert stored.refresh_interrupted  # it was sent: whether the server rotated is unknown

    # The server never got it: the next refresh works, and clears the mark.
    _point_token_endpoint(server.token_endpoint)
    refreshed = TokenVault(ProfileStore()).refresh("Shop", record.seller_id, http)
    assert refreshed.token.refresh_token != record.token.refresh_token
    assert not TokenVault(ProfileStore()).get("Shop", record.seller_id).refresh_interrupted


def test_tiki_gui_token_never_stores_or_prints_an_injected_token(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    vault, record = filed_seller(server, client, http)
    _expire(vault, record.seller_id)
    before = vault.get("Shop", record.seller_id)
    injected = {
        "access_token": "ory_at_x\r\nX-Injected: yes",
        "refresh_token": "ory_rt_fine",
        "token_type": "bearer",
        "expires_in": 3600,
    }
    with HostileServer(answer("200 OK", json.dumps(injected).encode())) as evil:
        _point_token_endpoint(evil.url + "/sc/oauth2/token")
        out, err = io.StringIO(), io.StringIO()
        code = main(["token", "--profile", "Shop"], out=out, err=err)
        with pytest.raises(MalformedResponseError):  # the app's refresh refuses it the same way
            TokenVault(ProfileStore()).refresh("Shop", record.seller_id, http)
    assert code == ExitCode.REFRESH_FAILED, err.getvalue()
    assert out.getvalue() == ""
    assert "X-Injected" not in err.getvalue()
    assert "not a token" in err.getvalue()
    stored = TokenVault(ProfileStore()).get("Shop", record.seller_id)
    assert stored.token == before.token  # nothing of the answer was stored
    assert stored.refresh_interrupted  # a 200 came back: the server may well have rotated


def test_tiki_gui_token_gives_up_on_a_dripping_endpoint_at_its_timeout(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    vault, record = filed_seller(server, client, http)
    _expire(vault, record.seller_id)
    with HostileServer(drip(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 500, 0.2)) as slow:
        _point_token_endpoint(slow.url + "/sc/oauth2/token")
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        code = main(["token", "--profile", "Shop", "--timeout", "1.5"], out=out, err=err)
        took = time.monotonic() - started
    assert code == ExitCode.NETWORK, err.getvalue()
    assert "within 1.5 s" in err.getvalue()
    assert out.getvalue() == ""
    assert took < 1.5 + 2.0, f"tiki-gui token took {took:.2f} s with --timeout 1.5"
    # The refresh lock that other calls wait on is free again.
    with SecretStore().token_lock("Shop", record.seller_id, timeout=0.5):
        pass
    assert main(["token", "--profile", "Shop", "--timeout", "0"], out=out, err=err) == 2
