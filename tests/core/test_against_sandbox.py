"""The core against the sandbox over real HTTP on 127.0.0.1: the proof that the flows work
(the whole flow, client authentication, codes, the redirect; tokens, their refresh and the
seller API: test_against_sandbox_tokens.py).

The login and consent pages are driven with plain httpx (``sandbox.browserless.authorize``);
everything else goes through the core exactly as the app uses it.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import app_http
import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.errors import (
    ApiUnauthorizedError,
    AuthorizationDeniedError,
    ErrorPageError,
    OAuthError,
    StateMismatchError,
)
from tiki_gui.core.pkce import Pkce
from tiki_gui.core.redirect import is_error_page, parse_error_page, parse_redirect
from tiki_gui.core.seller import Seller, SellerApi
from tiki_gui.sandbox import (
    DEMO_BASIC_CLIENT,
    DEMO_POST_CLIENT,
    SandboxClient,
    SandboxServer,
    seller_for,
)

from . import sandbox_flow
from .sandbox_flow import (
    BOTH_CLIENTS,
    CALLBACK,
    METHODS,
    SCOPE,
    authorized,
    credentials_for,
    request_for,
    token_client,
)

http = app_http.http  # the fixtures: the app's shared client, and a browser stand-in
browser = sandbox_flow.browser


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


# -- the whole flow -----------------------------------------------------------------------------


@BOTH_CLIENTS
def test_authorization_code_flow_end_to_end(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client, client: SandboxClient
) -> None:
    request = request_for(sandbox, client)
    location = authorize(browser, request.url, username="seller-a", password="pw")
    response = parse_redirect(location, request)
    assert response.scope == ("offline", "product", "order")

    token = token_client(sandbox, http, client).exchange_code(response, request)
    assert token.token_type == "bearer"
    assert token.refresh_token is not None
    assert token.scope == ("offline", "product", "order")
    assert token.expires_at is not None
    remaining = token.expires_in()
    assert remaining is not None
    assert 3500 < remaining.total_seconds() <= 3600

    seller = SellerApi(sandbox.api_base, http).me(token.access_token)
    assert seller == Seller.from_json(seller_for("seller-a"))
    assert seller.name == "seller-a"
    assert seller.active is True

    (record,) = sandbox.token_requests
    assert (record.grant_type, record.client_id, record.auth_method, record.status_code) == (
        "authorization_code",
        client.client_id,
        METHODS[client.client_id].value,
        200,
    )


def test_loopback_redirect_uri_on_any_port(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser, redirect_uri="http://127.0.0.1:54321/callback")
    token = token_client(sandbox, http).exchange_code(response, request)
    assert SellerApi(sandbox.api_base, http).me(token.access_token).name == "seller-a"


def test_pkce_end_to_end(sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client) -> None:
    request, response = authorized(sandbox, browser, use_pkce=True)
    assert request.pkce is not None
    token = token_client(sandbox, http).exchange_code(response, request)
    assert SellerApi(sandbox.api_base, http).me(token.access_token).name == "seller-a"


def test_pkce_with_the_wrong_verifier_is_refused(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser, use_pkce=True)
    wrong = replace(request, pkce=Pkce.generate())
    with pytest.raises(OAuthError) as info:
        token_client(sandbox, http).exchange_code(response, wrong)
    assert info.value.error == "invalid_grant"
    assert info.value.status_code == 400


# -- client authentication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "wrong_method"),
    [
        (DEMO_BASIC_CLIENT, AuthMethod.CLIENT_SECRET_POST),
        (DEMO_POST_CLIENT, AuthMethod.CLIENT_SECRET_BASIC),
    ],
    ids=["basic-client-sent-post", "post-client-sent-basic"],
)
def test_the_wrong_auth_method_is_invalid_client_with_a_hint(
    sandbox: SandboxServer,
    http: httpx.Client,
    browser: httpx.Client,
    client: SandboxClient,
    wrong_method: AuthMethod,
) -> None:
    request, response = authorized(sandbox, browser, client)
    with pytest.raises(OAuthError) as info:
        token_client(sandbox, http, credentials_for(client, wrong_method)).exchange_code(
            response, request
        )
    error = info.value
    assert error.error == "invalid_client"
    assert error.status_code == 401
    assert error.hint is not None
    assert (
        f"supports client authentication method '{METHODS[client.client_id].value}', "
        f"but method '{wrong_method.value}' was requested"
    ) in error.hint
    assert error.hint in str(error)
    assert client.client_secret not in str(error) + repr(error)


@BOTH_CLIENTS
def test_a_wrong_secret_is_a_bare_invalid_client_401(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    wrong = ClientCredentials(
        client.client_id, client.client_secret + "x", METHODS[client.client_id]
    )
    with pytest.raises(OAuthError) as info:
        token_client(sandbox, http, wrong).client_credentials()
    assert info.value.error == "invalid_client"
    assert info.value.status_code == 401
    assert info.value.hint is None


def test_the_secret_is_form_encoded_in_the_basic_header(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    """The demo secret holds '+ : / % space': sent raw, '+' would arrive as a space."""
    assert all(ch in DEMO_BASIC_CLIENT.client_secret for ch in "+:/% ")
    token = token_client(sandbox, http).client_credentials()
    assert token.access_token


# -- codes --------------------------------------------------------------------------------------


def test_code_reuse_is_invalid_grant_and_revokes_the_first_token(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser)
    credentials = credentials_for(DEMO_BASIC_CLIENT)
    first = token_client(sandbox, http, credentials).exchange_code(response, request)
    api = SellerApi(sandbox.api_base, http)
    assert api.me(first.access_token).name == "seller-a"

    # A second client (the callback handled twice): one TokenClient refuses to resend a code.
    with pytest.raises(OAuthError) as info:
        token_client(sandbox, http, credentials).exchange_code(response, request)
    assert info.value.error == "invalid_grant"
    assert info.value.status_code == 400

    with pytest.raises(ApiUnauthorizedError) as unauthorized:
        api.me(first.access_token)
    assert unauthorized.value.status_code == 401
    assert unauthorized.value.messages
    with pytest.raises(OAuthError, match="invalid_grant"):
        token_client(sandbox, http, credentials).refresh(first)


def test_an_expired_code_is_invalid_grant(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser)
    sandbox.advance_clock(601)
    with pytest.raises(OAuthError) as info:
        token_client(sandbox, http).exchange_code(response, request)
    assert info.value.error == "invalid_grant"


def test_a_code_is_bound_to_its_redirect_uri(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = authorized(sandbox, browser)
    other = replace(request, redirect_uri="http://127.0.0.1/callback")
    with pytest.raises(OAuthError) as info:
        token_client(sandbox, http).exchange_code(response, other)
    assert info.value.error == "invalid_grant"


# -- the redirect -------------------------------------------------------------------------------


def test_a_tampered_state_discards_the_code_before_any_token_request(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    request = request_for(sandbox)
    location = authorize(browser, request.url)
    tampered = request.state[:-1] + ("B" if request.state.endswith("A") else "A")
    with pytest.raises(StateMismatchError):
        parse_redirect(_with_query(location, state=tampered), request)
    with pytest.raises(StateMismatchError):
        parse_redirect(_with_query(location, state=""), request)
    assert sandbox.token_requests == []


def test_a_redirect_from_another_flow_is_a_state_mismatch(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    first, second = request_for(sandbox), request_for(sandbox)
    location = authorize(browser, first.url)
    with pytest.raises(StateMismatchError):
        parse_redirect(location, second)
    assert parse_redirect(location, first).code


def test_denied_consent(sandbox: SandboxServer, browser: httpx.Client) -> None:
    request = request_for(sandbox)
    location = authorize(browser, request.url, allow=False)
    with pytest.raises(AuthorizationDeniedError) as info:
        parse_redirect(location, request)
    assert info.value.error == "access_denied"
    assert info.value.description


def test_a_scope_the_client_may_not_request(sandbox: SandboxServer, browser: httpx.Client) -> None:
    request = request_for(sandbox, scope="offline fulfillment")
    with pytest.raises(OAuthError) as info:
        parse_redirect(authorize(browser, request.url), request)
    assert info.value.error == "invalid_scope"


@pytest.mark.parametrize(
    ("client_id", "redirect_uri", "error"),
    [
        ("no-such-client", CALLBACK, "invalid_client"),
        (DEMO_BASIC_CLIENT.client_id, "https://example.com/other", "invalid_request"),
    ],
)
def test_hydras_error_page_ends_the_flow(
    sandbox: SandboxServer,
    browser: httpx.Client,
    client_id: str,
    redirect_uri: str,
    error: str,
) -> None:
    request = AuthorizationRequest.create(
        sandbox.authorization_endpoint, client_id, redirect_uri, SCOPE
    )
    location = authorize(browser, request.url)
    assert is_error_page(location, sandbox.authorization_endpoint)
    assert not is_error_page(location, "https://api.tiki.vn/sc/oauth2/auth")
    page_error = parse_error_page(location)
    assert isinstance(page_error, ErrorPageError)
    assert page_error.error == error
    assert page_error.hint
    # The error page is a real page on the sandbox.
    assert browser.get(location).status_code in (200, 400, 401, 403)
