"""The one profile model: what the form holds and the settings file keeps, checked without Qt."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.options import AuthMethod, Grant, SignIn
from tiki_gui.storage.profiles import Profile, ProfileWithSecret

VALID = ProfileWithSecret(
    Profile(
        client_id="7590139168389961",
        redirect_uri="https://example.com/tiki/callback",
        scopes=("offline", "product", "order"),
    ),
    "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew",
)


def test_defaults_are_tiki_production_with_empty_credentials() -> None:
    value = ProfileWithSecret()
    profile = value.profile
    assert profile.endpoints == TIKI_PRODUCTION
    assert (profile.client_id, value.secret, profile.redirect_uri) == ("", "", "")
    assert [p.field for p in value.problems()] == ["client_id", "client_secret", "redirect_uri"]
    assert [p.field for p in profile.problems()] == ["client_id", "redirect_uri"]


def test_a_complete_value_has_no_problem() -> None:
    assert VALID.problems() == ()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"client_id": ""}, "client_id", "Client ID is required"),
        ({"client_id": "759 0139"}, "client_id", "spaces"),
        ({"redirect_uri": ""}, "redirect_uri", "Redirect URI is required"),
        ({"redirect_uri": "example.com/cb"}, "redirect_uri", "absolute"),
        ({"redirect_uri": "http://example.com/cb"}, "redirect_uri", "https://"),
        ({"redirect_uri": "https://example.com/cb#x"}, "redirect_uri", "#fragment"),
        ({"scopes": ("offline,product",)}, "scope", "commas"),
        ({"scopes": ()}, "scope", "at least one scope"),
        ({"authorization_endpoint": "ftp://x"}, "authorization_endpoint", "Authorization"),
        ({"token_endpoint": "http://api.tiki.vn/t"}, "token_endpoint", "Token endpoint"),
        ({"api_base": ""}, "api_base", "API base URL is required"),
        ({"issuer": "tiki"}, "issuer", "Issuer"),
        (
            {"sign_in": SignIn.LOOPBACK},
            "redirect_uri",
            "Receiving the redirect on this computer needs a loopback redirect URI",
        ),
    ],
)
def test_each_unusable_field_is_named_with_a_reason(
    change: dict[str, Any], field: str, words: str
) -> None:
    problems = _with(**change).problems()
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message


@pytest.mark.parametrize(
    ("secret", "words"), [("", "Client secret is required"), ("abc\ndef", "line break")]
)
def test_the_secret_is_checked_beside_the_profile(secret: str, words: str) -> None:
    problems = dataclasses.replace(VALID, secret=secret).problems()
    assert [p.field for p in problems] == ["client_secret"]
    assert words in problems[0].message


def test_the_url_fields_are_named_in_the_callers_words() -> None:
    problems = _with(api_base="").problems({"api_base": "URL gốc của API"})
    assert [p.message for p in problems] == ["URL gốc của API is required"]


def test_http_on_loopback_is_allowed() -> None:
    value = _with(
        redirect_uri="http://127.0.0.1:8765/callback",
        token_endpoint="http://localhost:4444/oauth2/token",
        sign_in=SignIn.LOOPBACK,
    )
    assert value.problems() == ()


def test_the_client_credentials_grant_needs_no_redirect_uri() -> None:
    in_house = _with(grant=Grant.CLIENT_CREDENTIALS, redirect_uri="")
    assert in_house.problems() == ()


def test_authorization_request_carries_the_form_values_and_a_fresh_state() -> None:
    first = VALID.profile.authorization_request()
    second = VALID.profile.authorization_request()
    assert first.client_id == VALID.profile.client_id
    assert first.scopes == ("offline", "product", "order")
    assert first.redirect_uri == VALID.profile.redirect_uri
    assert len(first.state) >= 43
    assert first.state != second.state
    assert first.pkce is None
    with_pkce = _with(use_pkce=True).profile.authorization_request()
    assert with_pkce.pkce is not None
    with pytest.raises(ValidationError, match="Redirect URI is required"):
        _with(redirect_uri="").profile.authorization_request()


def test_credentials_use_the_chosen_method() -> None:
    post = _with(auth_method=AuthMethod.CLIENT_SECRET_POST)
    assert post.credentials().method is AuthMethod.CLIENT_SECRET_POST
    assert VALID.credentials().method is AuthMethod.CLIENT_SECRET_BASIC
    assert VALID.credentials().client_secret == VALID.secret


def test_auth_method_labels_are_tikis_words() -> None:
    assert {method.value: method.label for method in AuthMethod} == {
        "client_secret_basic": "Basic header",
        "client_secret_post": "Request body",
    }


def test_the_secret_is_not_in_the_repr() -> None:
    assert VALID.secret not in repr(VALID)
    assert "secret=" not in repr(VALID)  # nor its field name: nothing hints at one


def test_options_given_as_strings_become_the_cores_types() -> None:
    profile = Profile(sign_in="loopback", grant="client_credentials")  # type: ignore[arg-type]
    assert profile.sign_in is SignIn.LOOPBACK
    assert profile.grant is Grant.CLIENT_CREDENTIALS
    with pytest.raises(ValidationError, match="Sign-in must be one of"):
        Profile(sign_in="carrier pigeon")  # type: ignore[arg-type]


def _with(**changes: Any) -> ProfileWithSecret:
    return dataclasses.replace(VALID, profile=dataclasses.replace(VALID.profile, **changes))
