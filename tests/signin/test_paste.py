"""Paste the redirect URL: any redirect URI, checked exactly like an intercepted redirect.

Codes come from the sandbox over real HTTP (its login and consent pages driven by a plain client
standing in for the browser whose address bar the user copies from).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    ErrorPageError,
    RedirectError,
    StateMismatchError,
    ValidationError,
)
from tiki_gui.core.redirect import IssuerMismatchError
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.signin import clean_pasted_url, parse_pasted_redirect

CALLBACK = "https://example.com/tiki/callback"
STATE = "state-0123456789abcdefghij"
CODE = "ory_ac_c29tZUNvZGUxMjM0NTY3ODkw.c2lnbmF0dXJl"


def _request(sandbox: SandboxServer, redirect_uri: str = CALLBACK) -> AuthorizationRequest:
    return AuthorizationRequest.create(
        sandbox.authorization_endpoint, DEMO_BASIC_CLIENT.client_id, redirect_uri, "offline product"
    )


def _offline(redirect_uri: str = CALLBACK) -> AuthorizationRequest:
    return AuthorizationRequest.create(
        "https://api.tiki.vn/sc/oauth2/auth", "client-1", redirect_uri, "offline", state=STATE
    )


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.mark.parametrize(
    "decorate",
    [
        lambda url: url,
        lambda url: f"  {url}\n",
        lambda url: f'"{url}"',
        lambda url: f"<{url}>",
        lambda url: f"\u201c{url}\u201d",
        lambda url: f"'{url[:40]}\n{url[40:]}'",  # wrapped over two lines
    ],
    ids=["plain", "whitespace", "double-quotes", "angle-brackets", "curly-quotes", "wrapped"],
)
def test_the_right_url_gives_a_code_that_exchanges_for_tokens(
    sandbox: SandboxServer,
    browser_http: httpx.Client,
    http: httpx.Client,
    decorate: Callable[[str], str],
) -> None:
    request = _request(sandbox)
    location = authorize(browser_http, request.url)  # where the browser landed
    response = parse_pasted_redirect(decorate(location), request)
    assert response.scope == ("offline", "product")
    credentials = ClientCredentials(
        DEMO_BASIC_CLIENT.client_id,
        DEMO_BASIC_CLIENT.client_secret,
        AuthMethod.CLIENT_SECRET_BASIC,
    )
    token = TokenClient(sandbox.token_endpoint, credentials, http).exchange_code(response, request)
    assert token.access_token
    assert token.refresh_token is not None


def test_a_tampered_state_is_refused_and_nothing_is_sent(
    sandbox: SandboxServer, browser_http: httpx.Client
) -> None:
    request = _request(sandbox)
    location = authorize(browser_http, request.url)
    tampered = _with_query(location, state="attacker-state-0123456789")
    with pytest.raises(StateMismatchError):
        parse_pasted_redirect(tampered, request)
    without = urlunsplit(
        urlsplit(location)._replace(
            query=urlencode(
                [(k, v) for k, v in parse_qsl(urlsplit(location).query) if k != "state"]
            )
        )
    )
    # Without a state it is a retryable mistake (issue 12 item 6), still never exchanged.
    with pytest.raises(ValidationError, match="carries no state"):
        parse_pasted_redirect(without, request)
    assert sandbox.token_requests == []


@pytest.mark.parametrize(
    ("pasted", "shown"),
    [
        (f"https://evil.example/tiki/callback?code={CODE}&state={STATE}", "evil.example"),
        (f"https://example.com.evil.org/tiki/callback?code={CODE}&state={STATE}", "evil.org"),
        (f"https://example.com/tiki/callback2?code={CODE}&state={STATE}", "callback2"),
        (f"http://example.com/tiki/callback?code={CODE}&state={STATE}", "http://example.com"),
        (f"https://example.com:8443/tiki/callback?code={CODE}&state={STATE}", ":8443"),
    ],
)
def test_a_wrong_host_or_path_is_not_your_redirect_uri(pasted: str, shown: str) -> None:
    with pytest.raises(RedirectError) as info:
        parse_pasted_redirect(pasted, _offline())
    message = str(info.value)
    assert message.startswith("This is not your redirect URI: the pasted address goes to ")
    assert shown in message
    assert repr(CALLBACK) in message
    assert CODE not in message
    assert STATE not in message


def test_an_error_redirect_is_reported(sandbox: SandboxServer, browser_http: httpx.Client) -> None:
    request = _request(sandbox)
    location = authorize(browser_http, request.url, allow=False)
    with pytest.raises(AuthorizationDeniedError) as info:
        parse_pasted_redirect(location, request)
    assert info.value.error == "access_denied"


def test_the_servers_error_page_is_reported(
    sandbox: SandboxServer, browser_http: httpx.Client
) -> None:
    # An unregistered redirect URI: the sandbox (like Hydra) shows its own error page instead.
    request = _request(sandbox, "https://unregistered.example/callback")
    location = authorize(browser_http, request.url)
    with pytest.raises(ErrorPageError) as info:
        parse_pasted_redirect(location, request)
    assert info.value.error == "invalid_request"


def test_the_sign_in_page_itself_is_recognised(sandbox: SandboxServer) -> None:
    request = _request(sandbox)
    with pytest.raises(RedirectError, match="address of the sign-in page itself"):
        parse_pasted_redirect(request.url, request)


def test_an_iss_for_another_server_is_refused() -> None:
    request = _offline()
    pasted = f"{CALLBACK}?code={CODE}&state={STATE}&iss=https%3A%2F%2Fevil.example"
    with pytest.raises(IssuerMismatchError):
        parse_pasted_redirect(pasted, request, issuer="https://api.tiki.vn")
    good = f"{CALLBACK}?code={CODE}&state={STATE}&iss=https%3A%2F%2Fapi.tiki.vn%2F"
    assert parse_pasted_redirect(good, request, issuer="https://api.tiki.vn").code == CODE


@pytest.mark.parametrize(
    ("pasted", "words"),
    [
        ("", "Nothing was pasted"),
        ("  \n ", "Nothing was pasted"),
        ('""', "Nothing was pasted"),
        ("hello there", "is not a URL"),
        (CODE, "is not a URL"),
        (f"code={CODE}&state={STATE}", "only part of an address"),
        (f"?code={CODE}&state={STATE}", "only part of an address"),
        (f"example.com/tiki/callback?code={CODE}&state={STATE}", "no https://"),
        (f"example.com:443/tiki/callback?code={CODE}", "no https://"),
        (f"ftp://example.com/tiki/callback?code={CODE}", "not a web address"),
        (f"https:///tiki/callback?code={CODE}", "no valid host name"),
        (f"https://user@example.com/tiki/callback?code={CODE}", "no valid host name"),
        (f"https://example.com:99999/tiki/callback?code={CODE}", "not a valid URL"),
    ],
)
def test_text_that_is_not_a_redirect_url(pasted: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as info:
        parse_pasted_redirect(pasted, _offline())
    assert "copy" in str(info.value).lower()
    assert CODE not in str(info.value)
    assert STATE not in str(info.value)


def test_clean_pasted_url() -> None:
    assert clean_pasted_url("  'https://a.example/cb?x=1'\n") == "https://a.example/cb?x=1"
    assert clean_pasted_url("https://a.example/cb?x=1&\n  y=2") == "https://a.example/cb?x=1&y=2"
    assert clean_pasted_url("«<https://a.example/>»") == "https://a.example/"


@pytest.mark.parametrize(
    ("pasted", "missing"),
    [
        (CALLBACK, "code and state"),
        (f"{CALLBACK}?code={CODE}", "state"),
        (f"{CALLBACK}?state={STATE}", "code"),
        (f"{CALLBACK}?scope=offline", "code and state"),
    ],
    ids=["bare", "no-state", "no-code", "other-query"],
)
def test_the_redirect_uri_without_its_answer_is_a_retryable_mistake(
    pasted: str, missing: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_pasted_redirect(pasted, _offline())
    message = str(caught.value)
    assert f"carries no {missing}" in message
    assert "CSRF" not in message
    assert CODE not in message


def test_a_present_but_different_state_is_still_a_state_mismatch() -> None:
    with pytest.raises(StateMismatchError):
        parse_pasted_redirect(f"{CALLBACK}?code={CODE}&state=another-state-1234", _offline())
