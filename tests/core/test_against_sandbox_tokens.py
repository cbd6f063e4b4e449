"""The core's tokens against the sandbox over real HTTP on 127.0.0.1: refresh and rotation,
expiry, no offline scope, client credentials, and the seller API with the tokens (the flows that
obtain them: test_against_sandbox.py).
"""

from __future__ import annotations

import app_http
import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.errors import (
    ApiForbiddenError,
    ApiUnauthorizedError,
    OAuthError,
    ValidationError,
)
from tiki_gui.core.redirect import parse_redirect
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxClient, SandboxServer

from . import sandbox_flow
from .sandbox_flow import BOTH_CLIENTS, authorized, request_for, token_client

http = app_http.http  # the fixtures: the app's shared client, and a browser stand-in
browser = sandbox_flow.browser


# -- tokens -------------------------------------------------------------------------------------


@BOTH_CLIENTS
def test_refresh_rotates_and_the_old_refresh_token_is_dead(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client, client: SandboxClient
) -> None:
    request, response = authorized(sandbox, browser, client)
    tokens = token_client(sandbox, http, client)
    first = tokens.exchange_code(response, request)
    second = tokens.refresh(first)
    assert second.access_token != first.access_token
    assert second.refresh_token not in (None, first.refresh_token)
    api = SellerApi(sandbox.api_base, http)
    assert api.me(second.access_token).name == "seller-a"
    with pytest.raises(ApiUnauthorizedError):
        api.me(first.access_token)

    # This client refuses to send a rotated refresh token again...
    with pytest.raises(ValidationError, match="already exchanged"):
        tokens.refresh(first)
    assert len(sandbox.token_requests) == 2
    # ...because the server answers invalid_grant (here from a stale copy in another client)
    stale = token_client(sandbox, http, client)
    with pytest.raises(OAuthError) as info:
        stale.refresh(first)
    assert info.value.error == "invalid_grant"
    # ...and revokes the whole chain, the new pair included.
    with pytest.raises(ApiUnauthorizedError):
        api.me(second.access_token)
    with pytest.raises(OAuthError, match="invalid_grant"):
        tokens.refresh(second)


def test_expiry_then_refresh(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser)
    tokens = token_client(sandbox, http)
    token = tokens.exchange_code(response, request)
    api = SellerApi(sandbox.api_base, http)
    sandbox.advance_clock(3601)
    with pytest.raises(ApiUnauthorizedError):
        api.me(token.access_token)
    fresh = tokens.refresh(token)
    assert api.me(fresh.access_token).name == "seller-a"


def test_without_offline_there_is_no_refresh_token(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser, scope="product order")
    token = token_client(sandbox, http).exchange_code(response, request)
    assert token.refresh_token is None
    assert token.scope == ("product", "order")


@BOTH_CLIENTS
def test_client_credentials(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    token = token_client(sandbox, http, client).client_credentials("product order")
    assert token.token_type == "bearer"
    assert token.refresh_token is None
    assert token.expires_at is not None
    # An app token is linked to no seller.
    with pytest.raises(ApiUnauthorizedError):
        SellerApi(sandbox.api_base, http).me(token.access_token)
    assert sandbox.token_requests[-1].grant_type == "client_credentials"


def test_an_inactive_seller_is_forbidden(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request = request_for(sandbox)
    location = authorize(browser, request.url, username="inactive-shop")
    response = parse_redirect(location, request)
    token = token_client(sandbox, http).exchange_code(response, request)
    with pytest.raises(ApiForbiddenError) as info:
        SellerApi(sandbox.api_base, http).me(token.access_token)
    assert info.value.status_code == 403
    assert info.value.messages


def test_an_unknown_token_is_unauthorized(sandbox: SandboxServer, http: httpx.Client) -> None:
    with pytest.raises(ApiUnauthorizedError):
        SellerApi(sandbox.api_base, http).me("ory_at_not-a-real-token")


def test_a_stored_token_set_still_works_after_a_round_trip(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser)
    tokens = token_client(sandbox, http)
    stored = TokenSet.from_json_dict(tokens.exchange_code(response, request).to_json_dict())
    assert SellerApi(sandbox.api_base, http).me(stored.access_token).name == "seller-a"
    assert tokens.refresh(stored).refresh_token
