"""Building requests to the sandbox by hand: authorization URLs, Basic headers, token requests."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

import httpx

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxClient, SandboxServer

from .browserless import authorize

APP_CALLBACK = "https://example.com/tiki/callback"
STATE = "state-0123456789abcdef"
FALLBACK_PATH = "/sc/oauth2/fallbacks/error"
VERIFIER = "v" * 20 + "-._~" + "0123456789abcdefghijk"  # 45 characters from the RFC 7636 set


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def basic_header(client_id: str, client_secret: str, *, form_encode: bool = True) -> str:
    """``Basic base64(id ":" secret)``, each part form-encoded first as RFC 6749 2.3.1 says."""
    if form_encode:
        client_id, client_secret = quote_plus(client_id), quote_plus(client_secret)
    raw = f"{client_id}:{client_secret}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def auth_url(
    server: SandboxServer,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    /,
    *,
    redirect_uri: str | None = APP_CALLBACK,
    scope: str | None = "offline product order",
    state: str | None = STATE,
    **extra: str,
) -> str:
    params = {"response_type": "code", "client_id": client.client_id}
    if redirect_uri is not None:
        params["redirect_uri"] = redirect_uri
    if scope is not None:
        params["scope"] = scope
    if state is not None:
        params["state"] = state
    params.update(extra)
    return f"{server.authorization_endpoint}?{urlencode(params)}"


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


class HasTokenEndpoint(Protocol):
    """A SandboxServer, or anything else that names a token endpoint (a sandbox subprocess)."""

    @property
    def token_endpoint(self) -> str: ...


def token_request(
    http: httpx.Client,
    server: HasTokenEndpoint,
    client: SandboxClient,
    data: Mapping[str, str],
) -> httpx.Response:
    """POST to the token endpoint, authenticating the way ``client`` is registered."""
    body = dict(data)
    headers: dict[str, str] = {}
    if client.token_endpoint_auth_method == "client_secret_basic":
        headers["Authorization"] = basic_header(client.client_id, client.client_secret)
        body.setdefault("client_id", client.client_id)
    else:
        body["client_id"] = client.client_id
        body["client_secret"] = client.client_secret
    return http.post(server.token_endpoint, data=body, headers=headers)


def code_from(location: str) -> str:
    query = query_of(location)
    assert "code" in query, f"no code in the redirect: {query}"
    return query["code"]


def get_code(
    http: httpx.Client,
    server: SandboxServer,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    *,
    username: str = "seller-a",
    **params: str,
) -> str:
    """Run login and consent and return the authorization code."""
    return code_from(authorize(http, auth_url(server, client, **params), username=username))


def exchange(
    http: httpx.Client,
    server: SandboxServer,
    client: SandboxClient,
    code: str,
    *,
    redirect_uri: str = APP_CALLBACK,
    **extra: str,
) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    data.update(extra)
    return token_request(http, server, client, data)


def obtain_tokens(
    http: httpx.Client,
    server: SandboxServer,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    *,
    scope: str = "offline product order",
    username: str = "seller-a",
) -> dict[str, object]:
    """Authorization code flow end to end; returns the token response body."""
    code = get_code(http, server, client, scope=scope, username=username)
    response = exchange(http, server, client, code)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


def refresh(
    http: httpx.Client, server: SandboxServer, client: SandboxClient, refresh_token: object
) -> httpx.Response:
    assert isinstance(refresh_token, str)
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return token_request(http, server, client, data)


def sellers_me(http: httpx.Client, server: SandboxServer, access_token: object) -> httpx.Response:
    assert isinstance(access_token, str)
    return http.get(server.sellers_me_url, headers={"Authorization": f"Bearer {access_token}"})


def assert_app_error(location: str, error: str, *, state: str = STATE) -> dict[str, str]:
    assert location.startswith(APP_CALLBACK + "?"), location
    query = query_of(location)
    assert query["error"] == error, query
    assert query["error_description"]
    assert "error_hint" in query
    assert query["state"] == state
    assert "code" not in query
    return query


def assert_fallback(server: SandboxServer, location: str, error: str) -> dict[str, str]:
    assert location.startswith(server.base_url + FALLBACK_PATH + "?"), location
    query = query_of(location)
    assert query["error"] == error
    assert query["error_description"]
    assert query["error_hint"]
    return query


def assert_token_error(response: httpx.Response, status: int, error: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict)
    assert body["error"] == error
    assert body["error_description"]
    assert body["status_code"] == status
    assert "access_token" not in body
    return body
