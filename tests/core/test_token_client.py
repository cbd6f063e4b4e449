"""Token requests on the wire, checked byte for byte against a real HTTP server on 127.0.0.1.

The sandbox (test_against_sandbox.py) proves the flows work end to end; here a scripted server
shows exactly what is sent and how each kind of answer is read.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import pytest
from scripted_server import Recorded, Reply, ScriptedServer

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials, basic_authorization
from tiki_gui.core.errors import MalformedResponseError, OAuthError, ValidationError
from tiki_gui.core.http import USER_AGENT, make_http_client
from tiki_gui.core.redirect import AuthorizationResponse
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CLIENT_ID = "7590139168389961"
SECRET = "tf+Sl0c6:VFv3/fAB%z9F m22IhEnmwq6ew"
CODE = "wwxdZmftI2r0Xn5gbwX.code-0123456789"
REDIRECT = "https://example.com/tiki/callback"
ACCESS = "ory_at_access-0123456789abcdefghij"
REFRESH = "ory_rt_refresh-0123456789abcdefghij"


def _json(status: int, body: object) -> Reply:
    return Reply(status, json.dumps(body).encode())


OK = _json(
    200,
    {
        "access_token": ACCESS,
        "expires_in": 3599,
        "refresh_token": REFRESH,
        "scope": "offline product order",
        "token_type": "bearer",
    },
)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client(timeout=httpx.Timeout(5.0)) as client:
        yield client


def _client(
    server: ScriptedServer, http: httpx.Client, method: AuthMethod = AuthMethod.CLIENT_SECRET_BASIC
) -> TokenClient:
    credentials = ClientCredentials(CLIENT_ID, SECRET, method)
    return TokenClient(server.url("/sc/oauth2/token"), credentials, http, clock=lambda: T0)


def _flow(use_pkce: bool = False) -> tuple[AuthorizationRequest, AuthorizationResponse]:
    request = AuthorizationRequest.create(
        "https://api.tiki.vn/sc/oauth2/auth",
        CLIENT_ID,
        REDIRECT,
        "offline product order",
        use_pkce=use_pkce,
    )
    response = AuthorizationResponse(code=CODE, state=request.state, scope=None, iss=None)
    return request, response


def _form(recorded: Recorded) -> dict[str, list[str]]:
    assert recorded.headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qs(recorded.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)


def test_code_exchange_with_basic_header(http: httpx.Client) -> None:
    request, response = _flow()
    with ScriptedServer(OK) as server:
        token = _client(server, http).exchange_code(response, request)
    (sent,) = server.recorded
    assert (sent.method, sent.path) == ("POST", "/sc/oauth2/token")
    assert sent.headers["authorization"] == basic_authorization(CLIENT_ID, SECRET)
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["user-agent"] == USER_AGENT
    assert _form(sent) == {
        "grant_type": ["authorization_code"],
        "code": [CODE],
        "redirect_uri": [REDIRECT],
        "client_id": [CLIENT_ID],
    }
    assert SECRET.encode() not in sent.body
    assert token == TokenSet(
        access_token=ACCESS,
        token_type="bearer",
        obtained_at=T0,
        expires_at=T0 + timedelta(seconds=3599),
        refresh_token=REFRESH,
        scope=("offline", "product", "order"),
    )


def test_code_exchange_with_secret_in_body(http: httpx.Client) -> None:
    request, response = _flow()
    with ScriptedServer(OK) as server:
        _client(server, http, AuthMethod.CLIENT_SECRET_POST).exchange_code(response, request)
    (sent,) = server.recorded
    assert "authorization" not in sent.headers
    assert _form(sent) == {
        "grant_type": ["authorization_code"],
        "code": [CODE],
        "redirect_uri": [REDIRECT],
        "client_id": [CLIENT_ID],
        "client_secret": [SECRET],
    }


def test_pkce_sends_the_verifier(http: httpx.Client) -> None:
    request, response = _flow(use_pkce=True)
    assert request.pkce is not None
    with ScriptedServer(OK) as server:
        _client(server, http).exchange_code(response, request)
    assert _form(server.recorded[0])["code_verifier"] == [request.pkce.verifier]


def test_a_code_is_never_sent_twice_by_one_client(http: httpx.Client) -> None:
    request, response = _flow()
    with ScriptedServer(_json(400, {"error": "invalid_grant"}), OK) as server:
        client = _client(server, http)
        with pytest.raises(OAuthError):
            client.exchange_code(response, request)
        with pytest.raises(ValidationError, match="already sent"):
            client.exchange_code(response, request)
    assert len(server.recorded) == 1


def test_the_client_of_the_request_must_be_the_token_client(http: httpx.Client) -> None:
    request = AuthorizationRequest.create("https://a.example/auth", "other", REDIRECT, "order")
    response = AuthorizationResponse(code=CODE, state=request.state, scope=None, iss=None)
    with (
        ScriptedServer(OK) as server,
        pytest.raises(ValidationError, match="requested for client 'other'"),
    ):
        _client(server, http).exchange_code(response, request)
    assert server.recorded == []


def test_refresh_sends_the_refresh_token_and_keeps_what_the_answer_lacks(
    http: httpx.Client,
) -> None:
    old = TokenSet("old-access", "bearer", T0, T0, refresh_token=REFRESH, scope=("offline",))
    answer = _json(200, {"access_token": "new-access", "token_type": "Bearer", "expires_in": 60})
    with ScriptedServer(answer) as server:
        new = _client(server, http, AuthMethod.CLIENT_SECRET_POST).refresh(old)
    assert _form(server.recorded[0]) == {
        "grant_type": ["refresh_token"],
        "refresh_token": [REFRESH],
        "client_id": [CLIENT_ID],
        "client_secret": [SECRET],
    }
    assert new.access_token == "new-access"
    assert new.token_type == "bearer"
    assert new.refresh_token == REFRESH
    assert new.scope == ("offline",)
    assert new.expires_at == T0 + timedelta(seconds=60)


def test_refresh_takes_the_rotated_refresh_token(http: httpx.Client) -> None:
    old = TokenSet("old-access", "bearer", T0, None, refresh_token="old-refresh")
    with ScriptedServer(OK) as server:
        new = _client(server, http).refresh(old)
    assert new.refresh_token == REFRESH
    assert new.scope == ("offline", "product", "order")


def test_a_rotated_refresh_token_is_never_sent_again(http: httpx.Client) -> None:
    old = TokenSet("old-access", "bearer", T0, None, refresh_token="old-refresh")
    with ScriptedServer(OK, OK) as server:
        client = _client(server, http)
        new = client.refresh(old)
        with pytest.raises(ValidationError, match="already exchanged for a new one"):
            client.refresh(old)
        assert client.refresh(new).access_token == ACCESS
    assert len(server.recorded) == 2
    assert [_form(r)["refresh_token"] for r in server.recorded] == [["old-refresh"], [REFRESH]]


def test_a_refresh_token_that_did_not_rotate_may_be_used_again(http: httpx.Client) -> None:
    old = TokenSet("old-access", "bearer", T0, None, refresh_token=REFRESH)
    same = _json(200, {"access_token": ACCESS, "token_type": "bearer", "refresh_token": REFRESH})
    with ScriptedServer(same, same) as server:
        client = _client(server, http)
        client.refresh(client.refresh(old))
    assert len(server.recorded) == 2


def test_one_token_is_refreshed_once_at_a_time(http: httpx.Client) -> None:
    old = TokenSet("old-access", "bearer", T0, None, refresh_token="old-refresh")
    results: list[TokenSet] = []
    with ScriptedServer(replace(OK, held=True)) as server:
        client = _client(server, http)
        worker = threading.Thread(target=lambda: results.append(client.refresh(old)))
        worker.start()
        try:
            assert server.received.wait(timeout=5)  # the first refresh is on the wire
            with pytest.raises(ValidationError, match="already being refreshed"):
                client.refresh(old)
        finally:
            server.release()
            worker.join(timeout=5)
    assert len(server.recorded) == 1
    assert results[0].refresh_token == REFRESH


def test_a_failed_refresh_may_be_retried(http: httpx.Client) -> None:
    old = TokenSet("old-access", "bearer", T0, None, refresh_token="old-refresh")
    with ScriptedServer(Reply(503, b"busy"), OK) as server:
        client = _client(server, http)
        with pytest.raises(MalformedResponseError):
            client.refresh(old)
        assert client.refresh(old).refresh_token == REFRESH


def test_refresh_without_a_refresh_token_sends_nothing(http: httpx.Client) -> None:
    with ScriptedServer(OK) as server, pytest.raises(ValidationError, match="no refresh token"):
        _client(server, http).refresh(TokenSet("a", "bearer", T0, None))
    assert server.recorded == []


@pytest.mark.parametrize(
    ("scope", "expected"),
    [(None, None), ("product order", ["product order"]), (["order", "order"], ["order"])],
)
def test_client_credentials(
    http: httpx.Client, scope: str | list[str] | None, expected: list[str] | None
) -> None:
    answer = _json(200, {"access_token": ACCESS, "token_type": "bearer", "expires_in": 3599})
    with ScriptedServer(answer) as server:
        token = _client(server, http).client_credentials(scope)
    form = _form(server.recorded[0])
    assert form["grant_type"] == ["client_credentials"]
    assert form.get("scope") == expected
    assert token.refresh_token is None


def test_client_credentials_rejects_a_comma_scope_before_sending(http: httpx.Client) -> None:
    with ScriptedServer(OK) as server, pytest.raises(ValidationError, match="not commas"):
        _client(server, http).client_credentials("product,order")
    assert server.recorded == []


def test_oauth_error_keeps_code_description_hint_uri_and_status(http: httpx.Client) -> None:
    hint = (
        "The OAuth 2.0 Client supports client authentication method 'client_secret_basic', "
        "but method 'client_secret_post' was requested."
    )
    body = {
        "error": "invalid_client",
        "error_description": "Client authentication failed (e.g., unknown client, no client "
        "authentication included, or unsupported authentication method).",
        "error_hint": hint,
        "error_uri": "https://example.com/errors/invalid_client",
        "status_code": 401,
    }
    with ScriptedServer(_json(401, body)) as server, pytest.raises(OAuthError) as info:
        _client(server, http, AuthMethod.CLIENT_SECRET_POST).client_credentials()
    error = info.value
    assert error.error == "invalid_client"
    assert error.description == body["error_description"]
    assert error.hint == hint
    assert error.uri == "https://example.com/errors/invalid_client"
    assert error.status_code == 401
    assert str(error) == f"invalid_client: {body['error_description']} ({hint})"


def test_error_status_with_json_but_no_error_field_is_malformed(http: httpx.Client) -> None:
    with (
        ScriptedServer(_json(502, {"message": "upstream failed"})) as server,
        pytest.raises(MalformedResponseError, match="no OAuth 'error' field") as info,
    ):
        _client(server, http).client_credentials()
    assert info.value.status_code == 502
    assert info.value.excerpt == "fields: message"


def test_success_without_access_token_is_malformed(http: httpx.Client) -> None:
    with (
        ScriptedServer(_json(200, {"token_type": "bearer", "refresh_token": REFRESH})) as server,
        pytest.raises(MalformedResponseError, match="has no access_token") as info,
    ):
        _client(server, http).client_credentials()
    assert info.value.status_code == 200
    assert REFRESH not in str(info.value)


def test_json_array_is_malformed(http: httpx.Client) -> None:
    with (
        ScriptedServer(_json(200, ["access_token"])) as server,
        pytest.raises(MalformedResponseError, match="not an object") as info,
    ):
        _client(server, http).client_credentials()
    assert info.value.status_code == 200


def test_a_body_that_cannot_be_decoded_is_malformed(http: httpx.Client) -> None:
    broken = Reply(200, b"not gzip at all", (("Content-Encoding", "gzip"),))
    with ScriptedServer(broken) as server, pytest.raises(MalformedResponseError) as info:
        _client(server, http).client_credentials()
    assert "could not be decoded" in str(info.value)
    assert info.value.__context__ is None


def test_a_redirect_is_not_followed(http: httpx.Client) -> None:
    moved = Reply(302, b"", (("Location", "https://evil.example/steal"),))
    with ScriptedServer(moved) as server, pytest.raises(MalformedResponseError) as info:
        _client(server, http).client_credentials()
    assert info.value.status_code == 302
    assert len(server.recorded) == 1


def test_repr_shows_endpoint_and_client_but_not_the_secret(http: httpx.Client) -> None:
    client = TokenClient(
        "https://api.tiki.vn/sc/oauth2/token", ClientCredentials(CLIENT_ID, SECRET), http
    )
    assert SECRET not in repr(client)
    assert CLIENT_ID in repr(client)
    assert client.token_endpoint == "https://api.tiki.vn/sc/oauth2/token"


def test_token_endpoint_is_validated(http: httpx.Client) -> None:
    with pytest.raises(ValidationError, match=r"^Token endpoint must use https://"):
        TokenClient("http://api.tiki.vn/token", ClientCredentials(CLIENT_ID, SECRET), http)
