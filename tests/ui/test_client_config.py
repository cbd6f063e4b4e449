"""ClientConfig: what the form holds, checked without Qt."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.core.options import AuthMethod
from tiki_gui.ui.signin.client_config import ClientConfig

VALID = ClientConfig(
    client_id="7590139168389961",
    client_secret="tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew",
    redirect_uri="https://example.com/tiki/callback",
    scope="offline product order",
)


def test_defaults_are_tiki_production_with_empty_credentials() -> None:
    config = ClientConfig()
    assert config.authorization_endpoint == TIKI_PRODUCTION.authorization_endpoint
    assert config.token_endpoint == TIKI_PRODUCTION.token_endpoint
    assert config.api_base == TIKI_PRODUCTION.api_base
    assert (config.client_id, config.client_secret, config.redirect_uri) == ("", "", "")
    assert [p.field for p in config.problems()] == ["client_id", "client_secret", "redirect_uri"]


def test_a_complete_config_has_no_problem() -> None:
    assert VALID.problems() == ()
    assert VALID.is_valid


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"client_id": ""}, "client_id", "Client ID is required"),
        ({"client_id": "759 0139"}, "client_id", "spaces"),
        ({"client_secret": ""}, "client_secret", "Client secret is required"),
        ({"client_secret": "abc\ndef"}, "client_secret", "line break"),
        ({"redirect_uri": ""}, "redirect_uri", "Redirect URI is required"),
        ({"redirect_uri": "example.com/cb"}, "redirect_uri", "absolute"),
        ({"redirect_uri": "http://example.com/cb"}, "redirect_uri", "https://"),
        ({"redirect_uri": "https://example.com/cb#x"}, "redirect_uri", "#fragment"),
        ({"scope": "offline,product"}, "scope", "commas"),
        ({"scope": "   "}, "scope", "at least one scope"),
        ({"authorization_endpoint": "ftp://x"}, "authorization_endpoint", "Authorization"),
        ({"token_endpoint": "http://api.tiki.vn/t"}, "token_endpoint", "Token endpoint"),
        ({"api_base": ""}, "api_base", "API base URL is required"),
    ],
)
def test_each_unusable_field_is_named_with_a_reason(
    change: dict[str, str], field: str, words: str
) -> None:
    config = _with(**change)
    problems = config.problems()
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message


def test_http_on_loopback_is_allowed() -> None:
    config = _with(
        redirect_uri="http://127.0.0.1:8765/callback",
        token_endpoint="http://localhost:4444/oauth2/token",
    )
    assert config.problems() == ()


def test_authorization_request_carries_the_form_values_and_a_fresh_state() -> None:
    first = VALID.authorization_request()
    second = VALID.authorization_request()
    assert first.client_id == VALID.client_id
    assert first.scopes == ("offline", "product", "order")
    assert first.redirect_uri == VALID.redirect_uri
    assert len(first.state) >= 43
    assert first.state != second.state
    assert first.pkce is None
    with_pkce = _with(use_pkce=True).authorization_request()
    assert with_pkce.pkce is not None


def test_credentials_use_the_chosen_method() -> None:
    post = _with(auth_method=AuthMethod.CLIENT_SECRET_POST)
    assert post.credentials().method is AuthMethod.CLIENT_SECRET_POST
    assert VALID.credentials().method is AuthMethod.CLIENT_SECRET_BASIC
    assert VALID.credentials().client_secret == VALID.client_secret


def test_auth_method_labels_are_tikis_words() -> None:
    assert {method.value: method.label for method in AuthMethod} == {
        "client_secret_basic": "Basic header",
        "client_secret_post": "Request body",
    }


def test_the_secret_is_not_in_the_repr() -> None:
    assert VALID.client_secret not in repr(VALID)


def _with(**changes: Any) -> ClientConfig:
    return dataclasses.replace(VALID, **changes)
