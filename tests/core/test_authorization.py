"""The authorization request URL (RFC 6749 4.1.1 + RFC 7636 4.3)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tiki_gui.core.authorization import AuthorizationRequest, make_state
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.pkce import s256_challenge

AUTH = "https://api.tiki.vn/sc/oauth2/auth"
REDIRECT = "https://example.com/tiki/callback"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_make_state_is_long_url_safe_and_fresh() -> None:
    states = {make_state() for _ in range(50)}
    assert len(states) == 50
    for state in states:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", state)


def test_url_carries_every_parameter_once() -> None:
    request = AuthorizationRequest.create(AUTH, "7590139168389961", REDIRECT, "offline product")
    assert request.url.startswith(AUTH + "?")
    assert _query(request.url) == {
        "response_type": ["code"],
        "client_id": ["7590139168389961"],
        "redirect_uri": [REDIRECT],
        "scope": ["offline product"],
        "state": [request.state],
    }
    assert len(request.state) >= 43


def test_scope_is_space_separated_on_the_wire() -> None:
    request = AuthorizationRequest.create(AUTH, "id", REDIRECT, ["offline", "order"])
    assert "scope=offline%20order" in request.url
    assert request.scopes == ("offline", "order")
    assert request.scope == "offline order"


def test_every_request_gets_its_own_state() -> None:
    first = AuthorizationRequest.create(AUTH, "id", REDIRECT, "order")
    second = AuthorizationRequest.create(AUTH, "id", REDIRECT, "order")
    assert first.state != second.state


def test_pkce_adds_an_s256_challenge_but_never_the_verifier() -> None:
    request = AuthorizationRequest.create(AUTH, "id", REDIRECT, "order", use_pkce=True)
    assert request.pkce is not None
    query = _query(request.url)
    assert query["code_challenge"] == [s256_challenge(request.pkce.verifier)]
    assert query["code_challenge_method"] == ["S256"]
    assert request.pkce.verifier not in request.url


def test_no_pkce_by_default() -> None:
    request = AuthorizationRequest.create(AUTH, "id", REDIRECT, "order")
    assert request.pkce is None
    assert "code_challenge" not in _query(request.url)


def test_an_existing_query_on_the_endpoint_is_kept() -> None:
    request = AuthorizationRequest.create(AUTH + "?lang=vi", "id", REDIRECT, "order")
    query = _query(request.url)
    assert query["lang"] == ["vi"]
    assert query["client_id"] == ["id"]
    assert urlsplit(request.url).path == "/sc/oauth2/auth"


def test_the_endpoint_cannot_override_our_parameters() -> None:
    request = AuthorizationRequest.create(AUTH + "?state=evil&client_id=x", "id", REDIRECT, "o")
    query = _query(request.url)
    assert query["state"] == [request.state]
    assert query["client_id"] == ["id"]


def test_a_given_state_of_eight_characters_is_accepted() -> None:
    request = AuthorizationRequest.create(AUTH, "id", REDIRECT, "order", state="12345678")
    assert _query(request.url)["state"] == ["12345678"]


@pytest.mark.parametrize("state", ["", "1234567", "short"])
def test_a_given_state_shorter_than_eight_is_refused(state: str) -> None:
    with pytest.raises(ValidationError, match="at least 8 characters"):
        AuthorizationRequest.create(AUTH, "id", REDIRECT, "order", state=state)


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ValidationError, match="at least 8 characters"):
        AuthorizationRequest(AUTH, "id", REDIRECT, ("order",), state="abc")


def test_state_is_not_in_repr() -> None:
    request = AuthorizationRequest.create(AUTH, "id", REDIRECT, "order", use_pkce=True)
    assert request.pkce is not None
    assert request.state not in repr(request)
    assert request.pkce.verifier not in repr(request)


@pytest.mark.parametrize(
    ("endpoint", "client_id", "redirect_uri", "scope", "message"),
    [
        (AUTH, "id", REDIRECT, "offline,product", "not commas"),
        (AUTH, "id", REDIRECT, "   ", "at least one scope"),
        (AUTH, "id", REDIRECT, [], "at least one scope"),
        (AUTH, "id", "http://example.com/cb", "o", "^Redirect URI must use https://"),
        (AUTH, "id", "example.com/cb", "o", "^Redirect URI must be an absolute URL"),
        ("http://api.tiki.vn/x", "id", REDIRECT, "o", "^Authorization endpoint must use"),
        (AUTH, " ", REDIRECT, "o", "Client ID is required"),
    ],
)
def test_bad_inputs_are_refused_with_a_sentence(
    endpoint: str, client_id: str, redirect_uri: str, scope: str | list[str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        AuthorizationRequest.create(endpoint, client_id, redirect_uri, scope)


def test_loopback_http_redirect_is_allowed() -> None:
    request = AuthorizationRequest.create(AUTH, "id", "http://127.0.0.1:8123/cb", "order")
    assert _query(request.url)["redirect_uri"] == ["http://127.0.0.1:8123/cb"]
