"""RFC 9207: an ``iss`` in the redirect must name the configured issuer, or the code is refused."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    RedirectError,
    StateMismatchError,
    TikiGuiError,
)
from tiki_gui.core.redirect import IssuerMismatchError, issuer_matches, parse_redirect

REDIRECT = "https://example.com/tiki/callback"
ISSUER = "https://api.tiki.vn"
STATE = "state-0123456789abcdefghij"
CODE = "ory_ac_c29tZUNvZGUxMjM0NTY3ODkw.c2ln"


@pytest.fixture
def request_() -> AuthorizationRequest:
    return AuthorizationRequest.create(
        "https://api.tiki.vn/sc/oauth2/auth", "7590139168389961", REDIRECT, "offline", state=STATE
    )


def _redirect(**params: str) -> str:
    return f"{REDIRECT}?{urlencode(params)}"


def test_a_matching_iss_passes_and_is_kept(request_: AuthorizationRequest) -> None:
    response = parse_redirect(
        _redirect(code=CODE, state=STATE, iss=ISSUER), request_, issuer=ISSUER
    )
    assert response.code == CODE
    assert response.iss == ISSUER


@pytest.mark.parametrize(
    ("received", "configured"),
    [
        ("https://api.tiki.vn/", "https://api.tiki.vn"),
        ("https://api.tiki.vn", "https://api.tiki.vn/"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/"),
    ],
)
def test_a_trailing_slash_is_not_a_mismatch(
    request_: AuthorizationRequest, received: str, configured: str
) -> None:
    response = parse_redirect(
        _redirect(code=CODE, state=STATE, iss=received), request_, issuer=configured
    )
    assert response.iss == received


@pytest.mark.parametrize(
    "received",
    [
        "https://evil.example",
        "https://api.tiki.vn.evil.example",
        "https://API.TIKI.VN",  # simple string comparison: no case folding
        "https://api.tiki.vn/sc",
        "http://api.tiki.vn",
        "",
    ],
)
def test_another_issuer_is_refused(request_: AuthorizationRequest, received: str) -> None:
    url = _redirect(code=CODE, state=STATE, iss=received)
    with pytest.raises(IssuerMismatchError) as info:
        parse_redirect(url, request_, issuer=ISSUER)
    error = info.value
    assert isinstance(error, RedirectError)
    assert isinstance(error, TikiGuiError)
    assert (error.received, error.expected) == (received, ISSUER)
    message = str(error)
    assert repr(ISSUER) in message
    assert "discarded" in message
    for secret in (CODE, STATE):
        assert secret not in message
        assert secret not in repr(error)


def test_no_configured_issuer_means_no_check(request_: AuthorizationRequest) -> None:
    url = _redirect(code=CODE, state=STATE, iss="https://evil.example")
    assert parse_redirect(url, request_).iss == "https://evil.example"
    assert parse_redirect(url, request_, issuer=None).code == CODE


def test_a_redirect_without_iss_is_not_checked(request_: AuthorizationRequest) -> None:
    response = parse_redirect(_redirect(code=CODE, state=STATE), request_, issuer=ISSUER)
    assert response.code == CODE
    assert response.iss is None


def test_an_error_redirect_from_another_issuer_is_refused_too(
    request_: AuthorizationRequest,
) -> None:
    url = _redirect(error="access_denied", state=STATE, iss="https://evil.example")
    with pytest.raises(IssuerMismatchError):
        parse_redirect(url, request_, issuer=ISSUER)
    with pytest.raises(AuthorizationDeniedError):
        parse_redirect(_redirect(error="access_denied", state=STATE, iss=ISSUER), request_)


def test_the_state_is_checked_before_the_issuer(request_: AuthorizationRequest) -> None:
    url = _redirect(code=CODE, state="another-state-123456", iss="https://evil.example")
    with pytest.raises(StateMismatchError):
        parse_redirect(url, request_, issuer=ISSUER)


def test_a_repeated_iss_is_refused(request_: AuthorizationRequest) -> None:
    url = f"{_redirect(code=CODE, state=STATE, iss=ISSUER)}&iss=https%3A%2F%2Fevil.example"
    with pytest.raises(RedirectError, match="'iss' more than once"):
        parse_redirect(url, request_, issuer=ISSUER)


def test_the_old_two_argument_call_still_works(request_: AuthorizationRequest) -> None:
    response = parse_redirect(_redirect(code=CODE, state=STATE, scope="offline"), request_)
    assert (response.code, response.scope, response.iss) == (CODE, ("offline",), None)


def test_issuer_matches() -> None:
    assert issuer_matches("https://a.example/", "https://a.example")
    assert not issuer_matches("https://a.example/x", "https://a.example")
    assert not issuer_matches("https://b.example", "https://a.example")
