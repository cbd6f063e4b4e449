"""GET /integration/v2/sellers/me: the seller behind an access token, Tiki's error shape."""

from __future__ import annotations

import httpx
import pytest

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer, seller_for

from .wire import obtain_tokens, sellers_me, token_request


def _errors(response: httpx.Response, status: int) -> list[str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["errors"]
    messages = body["errors"]
    assert isinstance(messages, list)
    assert messages
    assert all(isinstance(m, str) and m for m in messages)
    return messages


def test_answers_the_signed_in_seller(sandbox: SandboxServer, http: httpx.Client) -> None:
    tokens = obtain_tokens(http, sandbox, username="shop-42")
    response = sellers_me(http, sandbox, tokens["access_token"])
    assert response.status_code == 200
    seller = response.json()
    assert set(seller) == {
        "id",
        "sid",
        "name",
        "active",
        "logo",
        "operation_models",
        "can_update_product",
        "registration_status",
        "live_at",
    }
    assert seller["name"] == "shop-42"
    assert seller["active"] is True
    assert isinstance(seller["id"], int)
    assert seller["id"] > 0
    assert isinstance(seller["sid"], str)
    assert seller["sid"]
    assert isinstance(seller["operation_models"], list)


def test_seller_id_is_stable_per_username_and_differs_between_names(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    one = sellers_me(http, sandbox, obtain_tokens(http, sandbox, username="a")["access_token"])
    two = sellers_me(http, sandbox, obtain_tokens(http, sandbox, username="a")["access_token"])
    other = sellers_me(http, sandbox, obtain_tokens(http, sandbox, username="b")["access_token"])
    assert one.json()["id"] == two.json()["id"] == seller_for("a")["id"]
    assert one.json()["sid"] == two.json()["sid"]
    assert other.json()["id"] != one.json()["id"]


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic abc", "token"])
def test_missing_token_is_401(
    sandbox: SandboxServer, http: httpx.Client, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = http.get(sandbox.sellers_me_url, headers=headers)
    assert "missing" in _errors(response, 401)[0]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_unknown_token_is_401(sandbox: SandboxServer, http: httpx.Client) -> None:
    assert _errors(sellers_me(http, sandbox, "ory_at_made.up"), 401) == ["access token is invalid"]


def test_expired_token_is_401(sandbox: SandboxServer, http: httpx.Client) -> None:
    tokens = obtain_tokens(http, sandbox)
    sandbox.advance_clock(3599)
    assert sellers_me(http, sandbox, tokens["access_token"]).status_code == 200
    sandbox.advance_clock(2)
    response = sellers_me(http, sandbox, tokens["access_token"])
    assert _errors(response, 401) == ["access token has expired"]


def test_access_token_lifetime_is_configurable(http: httpx.Client) -> None:
    with SandboxServer(access_token_lifetime=60) as server:
        tokens = obtain_tokens(http, server)
        assert tokens["expires_in"] == 60
        server.advance_clock(61)
        assert sellers_me(http, server, tokens["access_token"]).status_code == 401


def test_revoked_token_is_401(sandbox: SandboxServer, http: httpx.Client) -> None:
    tokens = obtain_tokens(http, sandbox)
    data = {"grant_type": "refresh_token", "refresh_token": str(tokens["refresh_token"])}
    assert token_request(http, sandbox, DEMO_BASIC_CLIENT, data).status_code == 200
    response = sellers_me(http, sandbox, tokens["access_token"])
    assert _errors(response, 401) == ["access token has been revoked"]


def test_client_credentials_token_is_not_linked_to_a_seller(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    body = token_request(
        http, sandbox, DEMO_BASIC_CLIENT, {"grant_type": "client_credentials"}
    ).json()
    response = sellers_me(http, sandbox, body["access_token"])
    assert _errors(response, 401) == ["token is not linked to a seller"]


def test_inactive_seller_is_403(sandbox: SandboxServer, http: httpx.Client) -> None:
    tokens = obtain_tokens(http, sandbox, username="inactive-shop")
    response = sellers_me(http, sandbox, tokens["access_token"])
    assert _errors(response, 403) == ["seller is inactive"]
