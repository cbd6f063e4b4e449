"""Fixtures for the seller API tools: the app's shared client, and tokens from the sandbox.

Tokens are obtained over real HTTP exactly as the app does (the core's TokenClient), with the
sandbox's login and consent pages driven without a browser (``sandbox.browserless``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.http import make_http_client
from tiki_gui.core.redirect import AuthorizationResponse, parse_redirect
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer

CALLBACK = "https://example.com/tiki/callback"
METHODS = {
    DEMO_BASIC_CLIENT.client_id: AuthMethod.CLIENT_SECRET_BASIC,
    DEMO_POST_CLIENT.client_id: AuthMethod.CLIENT_SECRET_POST,
}

TokenMaker = Callable[..., TokenSet]


def credentials_of(client: SandboxClient) -> ClientCredentials:
    return ClientCredentials(client.client_id, client.client_secret, METHODS[client.client_id])


def fresh_code(
    sandbox: SandboxServer,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    *,
    scope: str = "offline product order",
    username: str = "seller-a",
    use_pkce: bool = False,
) -> tuple[AuthorizationRequest, AuthorizationResponse]:
    """An authorization request and the redirect (with a code) the sandbox sent back for it."""
    request = AuthorizationRequest.create(
        sandbox.authorization_endpoint, client.client_id, CALLBACK, scope, use_pkce=use_pkce
    )
    with httpx.Client(timeout=5.0, follow_redirects=False) as browser:
        response = parse_redirect(authorize(browser, request.url, username=username), request)
    assert response.code
    return request, response


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """The app's shared client."""
    with make_http_client(timeout=httpx.Timeout(10.0)) as client:
        yield client


@pytest.fixture
def token_client(sandbox: SandboxServer, http: httpx.Client) -> TokenClient:
    return TokenClient(sandbox.token_endpoint, credentials_of(DEMO_BASIC_CLIENT), http)


@pytest.fixture
def new_token(sandbox: SandboxServer, token_client: TokenClient) -> TokenMaker:
    """Make a token set for ``scope`` and ``username`` through the whole authorization flow."""

    def make(scope: str = "offline product order", username: str = "seller-a") -> TokenSet:
        request = AuthorizationRequest.create(
            sandbox.authorization_endpoint, DEMO_BASIC_CLIENT.client_id, CALLBACK, scope
        )
        with httpx.Client(timeout=5.0, follow_redirects=False) as browser:
            location = authorize(browser, request.url, username=username)
        return token_client.exchange_code(parse_redirect(location, request), request)

    return make


def waiting_order_and_warehouse(
    http: httpx.Client, sandbox: SandboxServer, token: str
) -> tuple[str, int]:
    """A drop-ship order of the token's seller still waiting for its stock confirmation, and
    one of the seller's warehouses, read through the app's own seller API call."""
    from tiki_gui.api.console import ApiRequest, send_api_request

    found: list[object] = []
    for target in (
        "/integration/v2/orders?status=queueing",
        "/integration/v2/sellers/me/warehouses",
    ):
        answer = send_api_request(http, sandbox.api_base, ApiRequest.parse("GET", target), token)
        assert isinstance(answer.json_body, dict), answer.body_text
        found.append(answer.json_body["data"][0])
    order, warehouse = found
    assert isinstance(order, dict)
    assert isinstance(warehouse, dict)
    return str(order["code"]), int(warehouse["id"])
