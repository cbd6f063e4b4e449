"""What the core-against-the-sandbox tests share: the demo clients' credentials, the
authorization request, a signed-in consented flow (:func:`authorized`), and the ``browser``
fixture (a test module takes it in with ``browser = sandbox_flow.browser``)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.redirect import AuthorizationResponse, parse_redirect
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer

__all__ = [
    "BOTH_CLIENTS",
    "CALLBACK",
    "METHODS",
    "SCOPE",
    "authorized",
    "browser",
    "credentials_for",
    "request_for",
    "token_client",
]

CALLBACK = "https://example.com/tiki/callback"
SCOPE = "offline product order"
METHODS = {
    DEMO_BASIC_CLIENT.client_id: AuthMethod.CLIENT_SECRET_BASIC,
    DEMO_POST_CLIENT.client_id: AuthMethod.CLIENT_SECRET_POST,
}
BOTH_CLIENTS = pytest.mark.parametrize(
    "client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=["basic", "post"]
)


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    """Stands in for the web view: keeps the sandbox's cookies, follows nothing by itself."""
    with httpx.Client(timeout=5.0, follow_redirects=False) as client:
        yield client


def credentials_for(client: SandboxClient, method: AuthMethod | None = None) -> ClientCredentials:
    return ClientCredentials(
        client.client_id, client.client_secret, method or METHODS[client.client_id]
    )


def token_client(
    sandbox: SandboxServer,
    http: httpx.Client,
    client: SandboxClient | ClientCredentials = DEMO_BASIC_CLIENT,
) -> TokenClient:
    """The core's token client at the sandbox, for a demo ``client`` (its own auth method) or
    for the given credentials."""
    if isinstance(client, SandboxClient):
        client = credentials_for(client)
    return TokenClient(sandbox.token_endpoint, client, http)


def request_for(
    sandbox: SandboxServer,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    *,
    redirect_uri: str = CALLBACK,
    scope: str = SCOPE,
    use_pkce: bool = False,
) -> AuthorizationRequest:
    return AuthorizationRequest.create(
        sandbox.authorization_endpoint, client.client_id, redirect_uri, scope, use_pkce=use_pkce
    )


def authorized(
    sandbox: SandboxServer,
    browser: httpx.Client,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    *,
    redirect_uri: str = CALLBACK,
    scope: str = SCOPE,
    use_pkce: bool = False,
) -> tuple[AuthorizationRequest, AuthorizationResponse]:
    """A request sent, signed in as seller-a, consent given, and the redirect parsed."""
    request = request_for(
        sandbox, client, redirect_uri=redirect_uri, scope=scope, use_pkce=use_pkce
    )
    location = authorize(browser, request.url)
    return request, parse_redirect(location, request)
