"""Refresh under contention and failure: one request per token, nothing changed on failure."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import signal
import threading
from collections.abc import Callable

import httpx
import pytest

from storage.conftest import SecretService
from storage.flows import closed_port_url, filed_seller, refresh_grants
from tiki_gui.core.errors import ConnectionFailedError, MalformedResponseError, OAuthError
from tiki_gui.sandbox import SandboxClient, SandboxServer
from tiki_gui.storage import (
    ProfileStore,
    ReauthorizationRequiredError,
    SellerRecord,
    TokenNotSavedError,
    TokenStatus,
    TokenVault,
    is_retryable,
)


def test_concurrent_refreshes_in_one_process_make_one_request(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    vault, seen = filed_seller(server, client, http)
    barrier = threading.Barrier(4)
    results: list[SellerRecord] = []
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            results.append(vault.refresh("Shop", seen.seller_id, http, started_from=seen.token))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == 4
    assert len({r.token.access_token for r in results}) == 1
    assert refresh_grants(server) == 1


def test_network_failure_changes_nothing(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    vault, record = filed_seller(server, client, http)
    store = ProfileStore()
    moved = dataclasses.replace(
        store.get("Shop"), token_endpoint=closed_port_url() + "/sc/oauth2/token"
    )
    store.save(moved)

    with pytest.raises(ConnectionFailedError) as raised:
        vault.refresh("Shop", record.seller_id, http)

    assert is_retryable(raised.value)
    assert record.token.access_token not in str(raised.value)
    assert TokenVault(ProfileStore()).get("Shop", record.seller_id) == record
    assert refresh_grants(server) == 0


def _mock_http(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error"),
    [
        (503, "<html>Service Unavailable</html>", "text/html", MalformedResponseError),
        (500, '{"error": "server_error"}', "application/json", OAuthError),
    ],
)
def test_server_errors_change_nothing(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
    status: int,
    body: str,
    content_type: str,
    error: type[Exception],
) -> None:
    # A 5xx the sandbox cannot produce on demand: httpx.MockTransport stands in for the server.
    vault, record = filed_seller(server, client, http)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=body, headers={"Content-Type": content_type})

    with _mock_http(answer) as failing, pytest.raises(error) as raised:
        vault.refresh("Shop", record.seller_id, failing)

    assert is_retryable(raised.value)
    assert not isinstance(raised.value, ReauthorizationRequiredError)
    assert TokenVault(ProfileStore()).get("Shop", record.seller_id) == record


def test_old_refresh_token_kept_when_the_server_sends_none(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    # The sandbox always rotates; a server that does not is imitated with MockTransport.
    vault, record = filed_seller(server, client, http)

    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()))
        assert form["grant_type"] == "refresh_token"
        assert form["refresh_token"] == record.token.refresh_token
        body = {"access_token": "new-access-no-rotation", "token_type": "bearer", "expires_in": 60}
        return httpx.Response(200, json=body)

    with _mock_http(answer) as no_rotation:
        after = vault.refresh("Shop", record.seller_id, no_rotation)

    assert after.token.access_token == "new-access-no-rotation"
    assert after.token.refresh_token == record.token.refresh_token
    assert after.token.scope == record.token.scope
    stored = TokenVault(ProfileStore()).get("Shop", record.seller_id)
    assert stored.token.refresh_token == record.token.refresh_token
    assert stored.status() is TokenStatus.EXPIRING


# keyring's SecretService backend leaves a D-Bus connection open when the daemon is gone.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_keyring_failure_after_refresh_hands_the_new_pair_over(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    http: httpx.Client,
) -> None:
    vault, record = filed_seller(server, client, http)

    def relay(request: httpx.Request) -> httpx.Response:
        # The keyring dies while the (real) refresh is on the wire.
        os.kill(secret_service.keyring_pid, signal.SIGTERM)
        answer = http.post(str(request.url), content=request.content, headers=dict(request.headers))
        return httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)

    with _mock_http(relay) as relaying, pytest.raises(TokenNotSavedError) as raised:
        vault.refresh("Shop", record.seller_id, relaying)

    new = raised.value.token
    assert refresh_grants(server) == 1
    assert new.access_token != record.token.access_token
    assert new.access_token not in str(raised.value)
    assert "copy it now" in str(raised.value)
    assert json.dumps(new.to_json_dict())  # the UI can still show it
    del raised
    gc.collect()
