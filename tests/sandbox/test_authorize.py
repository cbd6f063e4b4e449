"""The authorization request: validation order, redirect URI rules, the fallback error page."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from tiki_gui.sandbox import SandboxClient, SandboxServer

from .browserless import authorize
from .wire import (
    APP_CALLBACK,
    FALLBACK_PATH,
    STATE,
    VERIFIER,
    assert_app_error,
    assert_fallback,
    auth_url,
    query_of,
    s256,
)


def _client(client_id: str, redirect_uri: str, method: str = "client_secret_post") -> SandboxClient:
    """An app registration with the one ``redirect_uri``, for the authorization code grant."""
    return SandboxClient(
        client_id=client_id,
        client_secret="s",
        token_endpoint_auth_method=method,
        redirect_uris=(redirect_uri,),
        scope="product",
        grant_types=("authorization_code",),
    )


def test_allow_redirects_to_the_app_with_code_scope_and_state(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    location = authorize(http, auth_url(sandbox, scope="offline product  order"))
    query = query_of(location)
    assert location.startswith(APP_CALLBACK + "?code=")
    assert query["code"].startswith("ory_ac_")
    assert query["scope"] == "offline product order"
    assert query["state"] == STATE
    assert sandbox.token_requests == []


def test_an_existing_query_in_the_redirect_uri_is_kept(http: httpx.Client) -> None:
    client = _client("with-query", "https://example.com/cb?tenant=7", "client_secret_basic")
    cb = "https://example.com/cb?tenant=7"
    with SandboxServer(clients=[client]) as server:
        ok = authorize(http, auth_url(server, client, redirect_uri=cb, scope="product"))
        denied = authorize(
            http, auth_url(server, client, redirect_uri=cb, scope="product"), allow=False
        )
        bad_state = authorize(
            http, auth_url(server, client, redirect_uri=cb, scope="product", state="x")
        )
    assert ok.startswith("https://example.com/cb?tenant=7&code=")
    assert denied.startswith("https://example.com/cb?tenant=7&error=access_denied&")
    assert query_of(bad_state)["tenant"] == "7"
    assert query_of(bad_state)["error"] == "invalid_state"


@pytest.mark.parametrize("client_id", ["no-such-client", ""])
def test_unknown_client_goes_to_the_fallback_error_page_not_the_app(
    sandbox: SandboxServer, http: httpx.Client, client_id: str
) -> None:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": APP_CALLBACK}
    params["state"] = STATE
    location = authorize(http, f"{sandbox.authorization_endpoint}?{urlencode(params)}")
    query = assert_fallback(sandbox, location, "invalid_client")
    assert "does not exist" in query["error_hint"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://example.com/tiki/callback/",  # not an exact match
        "https://example.com/tiki/callback?x=1",
        "https://EXAMPLE.com/tiki/callback",
        "https://example.com:8443/tiki/callback",  # the port rule is for loopback only
        "http://localhost/callback",  # Hydra's loopback rule: IP literals only
        "http://127.0.0.1:8080/other",
        "https://attacker.example/tiki/callback",
    ],
)
def test_unregistered_redirect_uri_goes_to_the_fallback_error_page(
    sandbox: SandboxServer, http: httpx.Client, redirect_uri: str
) -> None:
    location = authorize(http, auth_url(sandbox, redirect_uri=redirect_uri))
    query = assert_fallback(sandbox, location, "invalid_request")
    assert "redirect" in query["error_hint"]


def test_missing_redirect_uri_with_two_registered_goes_to_the_fallback_page(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    location = authorize(http, auth_url(sandbox, redirect_uri=None))
    assert_fallback(sandbox, location, "invalid_request")


def test_client_and_redirect_uri_are_checked_before_anything_else(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    bad = auth_url(
        sandbox, redirect_uri="https://elsewhere.example/cb", state="x", response_type="token"
    )
    assert_fallback(sandbox, authorize(http, bad), "invalid_request")


@pytest.mark.parametrize("port", ["", ":1", ":8123", ":65535"])
def test_loopback_redirect_uri_matches_any_port(
    sandbox: SandboxServer, http: httpx.Client, port: str
) -> None:
    redirect_uri = f"http://127.0.0.1{port}/callback"
    location = authorize(http, auth_url(sandbox, redirect_uri=redirect_uri))
    assert location.startswith(redirect_uri + "?code=")


def test_ipv6_loopback_redirect_uri_matches_any_port(http: httpx.Client) -> None:
    client = _client("v6", "http://[::1]/cb")
    with SandboxServer(clients=[client]) as server:
        good = auth_url(server, client, redirect_uri="http://[::1]:4711/cb", scope="product")
        bad = auth_url(server, client, redirect_uri="http://[::1]:4711/x", scope="product")
        location = authorize(http, good)
        other = authorize(http, bad)
    assert location.startswith("http://[::1]:4711/cb?code=")
    assert urlsplit(other).path == FALLBACK_PATH


def test_redirect_uri_may_be_omitted_when_only_one_is_registered(http: httpx.Client) -> None:
    client = _client("single", "https://example.com/only")
    with SandboxServer(clients=[client]) as server:
        location = authorize(http, auth_url(server, client, redirect_uri=None, scope="product"))
    assert location.startswith("https://example.com/only?code=")


@pytest.mark.parametrize("response_type", ["token", "code id_token", ""])
def test_response_type_other_than_code_is_unsupported(
    sandbox: SandboxServer, http: httpx.Client, response_type: str
) -> None:
    location = authorize(http, auth_url(sandbox, response_type=response_type))
    assert_app_error(location, "unsupported_response_type")


@pytest.mark.parametrize("state", ["", "1234567"])
def test_short_or_missing_state_is_invalid_state(
    sandbox: SandboxServer, http: httpx.Client, state: str
) -> None:
    location = authorize(http, auth_url(sandbox, state=state))
    query = assert_app_error(location, "invalid_state", state=state)
    assert "at least be 8 characters" in query["error_hint"]


def test_missing_state_parameter_is_invalid_state_with_empty_state(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    location = authorize(http, auth_url(sandbox, state=None))
    assert "state=" in location
    assert_app_error(location, "invalid_state", state="")


def test_eight_character_state_is_enough(sandbox: SandboxServer, http: httpx.Client) -> None:
    location = authorize(http, auth_url(sandbox, state="12345678"))
    assert query_of(location)["state"] == "12345678"
    assert "code" in query_of(location)


@pytest.mark.parametrize(
    ("scope", "named"),
    [
        ("offline,product,order", "'offline,product,order'"),  # comma-joined: one unknown scope
        ("product openid", "'openid'"),  # a scope not registered for the client
    ],
    ids=["comma-joined", "not-registered"],
)
def test_an_unknown_scope_is_invalid_scope_and_named(
    sandbox: SandboxServer, http: httpx.Client, scope: str, named: str
) -> None:
    location = authorize(http, auth_url(sandbox, scope=scope))
    query = assert_app_error(location, "invalid_scope")
    assert named in query["error_hint"]


def test_no_scope_is_allowed_and_grants_nothing(sandbox: SandboxServer, http: httpx.Client) -> None:
    location = authorize(http, auth_url(sandbox, scope=None))
    assert query_of(location)["scope"] == ""


@pytest.mark.parametrize(
    ("method", "hint"),
    [(None, "plain is not allowed"), ("plain", "plain is not allowed"), ("S512", "use S256")],
)
def test_pkce_method_other_than_s256_is_invalid_request(
    sandbox: SandboxServer, http: httpx.Client, method: str | None, hint: str
) -> None:
    extra = {"code_challenge": s256(VERIFIER)}
    if method is not None:
        extra["code_challenge_method"] = method
    location = authorize(http, auth_url(sandbox, **extra))
    query = assert_app_error(location, "invalid_request")
    assert hint in query["error_hint"]


def test_pkce_s256_is_accepted(sandbox: SandboxServer, http: httpx.Client) -> None:
    extra = {"code_challenge": s256(VERIFIER), "code_challenge_method": "S256"}
    assert "code" in query_of(authorize(http, auth_url(sandbox, **extra)))


def test_fallback_error_page_renders_the_error_readably_and_escaped(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    params = {
        "error": "invalid_client",
        "error_description": "Client authentication failed",
        "error_hint": "<script>alert(1)</script> does not exist",
    }
    page = http.get(f"{sandbox.base_url}{FALLBACK_PATH}?{urlencode(params)}")
    assert page.status_code == 200
    assert "<title>Tiki Sandbox</title>" in page.text
    assert "invalid_client" in page.text
    assert "Client authentication failed" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; does not exist" in page.text
    assert "<script>" not in page.text


def test_the_fallback_page_a_bad_request_lands_on_renders(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    location = authorize(http, auth_url(sandbox, client_id="nobody"))
    page = http.get(location)
    assert page.status_code == 200
    assert "The requested OAuth 2.0 Client does not exist." in page.text
