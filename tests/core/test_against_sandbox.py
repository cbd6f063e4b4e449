"""The core against the sandbox over real HTTP on 127.0.0.1: the proof that the flows work.

The login and consent pages are driven with plain httpx (``sandbox.browserless.authorize``);
everything else goes through the core exactly as the app uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import app_http
import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.errors import (
    ApiForbiddenError,
    ApiUnauthorizedError,
    AuthorizationDeniedError,
    ErrorPageError,
    OAuthError,
    StateMismatchError,
    ValidationError,
)
from tiki_gui.core.pkce import Pkce
from tiki_gui.core.redirect import (
    AuthorizationResponse,
    is_error_page,
    parse_error_page,
    parse_redirect,
)
from tiki_gui.core.seller import Seller, SellerApi
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import (
    DEMO_BASIC_CLIENT,
    DEMO_POST_CLIENT,
    SandboxClient,
    SandboxServer,
    seller_for,
)

CALLBACK = "https://example.com/tiki/callback"
SCOPE = "offline product order"
METHODS = {
    DEMO_BASIC_CLIENT.client_id: AuthMethod.CLIENT_SECRET_BASIC,
    DEMO_POST_CLIENT.client_id: AuthMethod.CLIENT_SECRET_POST,
}
http = app_http.http  # the fixture: the app's shared client
BOTH_CLIENTS = pytest.mark.parametrize(
    "client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=["basic", "post"]
)


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    """Stands in for the web view: keeps the sandbox's cookies, follows nothing by itself."""
    with httpx.Client(timeout=5.0, follow_redirects=False) as client:
        yield client


def _credentials(client: SandboxClient, method: AuthMethod | None = None) -> ClientCredentials:
    return ClientCredentials(
        client.client_id, client.client_secret, method or METHODS[client.client_id]
    )


def _tokens(
    sandbox: SandboxServer, http: httpx.Client, credentials: ClientCredentials
) -> TokenClient:
    return TokenClient(sandbox.token_endpoint, credentials, http)


def _request(
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


def _authorized(
    sandbox: SandboxServer,
    browser: httpx.Client,
    client: SandboxClient = DEMO_BASIC_CLIENT,
    *,
    redirect_uri: str = CALLBACK,
    scope: str = SCOPE,
    use_pkce: bool = False,
) -> tuple[AuthorizationRequest, AuthorizationResponse]:
    """A request sent, signed in as seller-a, consent given, and the redirect parsed."""
    request = _request(sandbox, client, redirect_uri=redirect_uri, scope=scope, use_pkce=use_pkce)
    location = authorize(browser, request.url)
    return request, parse_redirect(location, request)


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
    request = _request(sandbox, client)
    location = authorize(browser, request.url, username="seller-a", password="pw")
    response = parse_redirect(location, request)
    assert response.scope == ("offline", "product", "order")

    token = _tokens(sandbox, http, _credentials(client)).exchange_code(response, request)
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
    request, response = _authorized(
        sandbox, browser, redirect_uri="http://127.0.0.1:54321/callback"
    )
    token = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, request)
    assert SellerApi(sandbox.api_base, http).me(token.access_token).name == "seller-a"


def test_pkce_end_to_end(sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client) -> None:
    request, response = _authorized(sandbox, browser, use_pkce=True)
    assert request.pkce is not None
    token = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, request)
    assert SellerApi(sandbox.api_base, http).me(token.access_token).name == "seller-a"


def test_pkce_with_the_wrong_verifier_is_refused(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = _authorized(sandbox, browser, use_pkce=True)
    wrong = replace(request, pkce=Pkce.generate())
    with pytest.raises(OAuthError) as info:
        _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, wrong)
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
    request, response = _authorized(sandbox, browser, client)
    with pytest.raises(OAuthError) as info:
        _tokens(sandbox, http, _credentials(client, wrong_method)).exchange_code(response, request)
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
        _tokens(sandbox, http, wrong).client_credentials()
    assert info.value.error == "invalid_client"
    assert info.value.status_code == 401
    assert info.value.hint is None


def test_the_secret_is_form_encoded_in_the_basic_header(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    """The demo secret holds '+ : / % space': sent raw, '+' would arrive as a space."""
    assert all(ch in DEMO_BASIC_CLIENT.client_secret for ch in "+:/% ")
    token = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).client_credentials()
    assert token.access_token


# -- codes --------------------------------------------------------------------------------------


def test_code_reuse_is_invalid_grant_and_revokes_the_first_token(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = _authorized(sandbox, browser)
    credentials = _credentials(DEMO_BASIC_CLIENT)
    first = _tokens(sandbox, http, credentials).exchange_code(response, request)
    api = SellerApi(sandbox.api_base, http)
    assert api.me(first.access_token).name == "seller-a"

    # A second client (the callback handled twice): one TokenClient refuses to resend a code.
    with pytest.raises(OAuthError) as info:
        _tokens(sandbox, http, credentials).exchange_code(response, request)
    assert info.value.error == "invalid_grant"
    assert info.value.status_code == 400

    with pytest.raises(ApiUnauthorizedError) as unauthorized:
        api.me(first.access_token)
    assert unauthorized.value.status_code == 401
    assert unauthorized.value.messages
    with pytest.raises(OAuthError, match="invalid_grant"):
        _tokens(sandbox, http, credentials).refresh(first)


def test_an_expired_code_is_invalid_grant(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = _authorized(sandbox, browser)
    sandbox.advance_clock(601)
    with pytest.raises(OAuthError) as info:
        _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, request)
    assert info.value.error == "invalid_grant"


def test_a_code_is_bound_to_its_redirect_uri(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client
) -> None:
    request, response = _authorized(sandbox, browser)
    other = replace(request, redirect_uri="http://127.0.0.1/callback")
    with pytest.raises(OAuthError) as info:
        _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, other)
    assert info.value.error == "invalid_grant"


# -- the redirect -------------------------------------------------------------------------------


def test_a_tampered_state_discards_the_code_before_any_token_request(
    sandbox: SandboxServer, browser: httpx.Client
) -> None:
    request = _request(sandbox)
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
    first, second = _request(sandbox), _request(sandbox)
    location = authorize(browser, first.url)
    with pytest.raises(StateMismatchError):
        parse_redirect(location, second)
    assert parse_redirect(location, first).code


def test_denied_consent(sandbox: SandboxServer, browser: httpx.Client) -> None:
    request = _request(sandbox)
    location = authorize(browser, request.url, allow=False)
    with pytest.raises(AuthorizationDeniedError) as info:
        parse_redirect(location, request)
    assert info.value.error == "access_denied"
    assert info.value.description


def test_a_scope_the_client_may_not_request(sandbox: SandboxServer, browser: httpx.Client) -> None:
    request = _request(sandbox, scope="offline fulfillment")
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


# -- tokens -------------------------------------------------------------------------------------


@BOTH_CLIENTS
def test_refresh_rotates_and_the_old_refresh_token_is_dead(
    sandbox: SandboxServer, http: httpx.Client, browser: httpx.Client, client: SandboxClient
) -> None:
    request, response = _authorized(sandbox, browser, client)
    tokens = _tokens(sandbox, http, _credentials(client))
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
    stale = _tokens(sandbox, http, _credentials(client))
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
    request, response = _authorized(sandbox, browser)
    tokens = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT))
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
    request, response = _authorized(sandbox, browser, scope="product order")
    token = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, request)
    assert token.refresh_token is None
    assert token.scope == ("product", "order")


@BOTH_CLIENTS
def test_client_credentials(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    token = _tokens(sandbox, http, _credentials(client)).client_credentials("product order")
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
    request = _request(sandbox)
    location = authorize(browser, request.url, username="inactive-shop")
    response = parse_redirect(location, request)
    token = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT)).exchange_code(response, request)
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
    request, response = _authorized(sandbox, browser)
    tokens = _tokens(sandbox, http, _credentials(DEMO_BASIC_CLIENT))
    stored = TokenSet.from_json_dict(tokens.exchange_code(response, request).to_json_dict())
    assert SellerApi(sandbox.api_base, http).me(stored.access_token).name == "seller-a"
    assert tokens.refresh(stored).refresh_token
