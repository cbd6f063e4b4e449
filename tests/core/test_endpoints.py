"""Endpoint and redirect URLs: absolute https, or http on this computer only."""

from __future__ import annotations

import pytest

from tiki_gui.core.endpoints import TIKI_PRODUCTION, Endpoints, is_loopback_host, validate_url
from tiki_gui.core.errors import ValidationError


def test_tiki_production_endpoints() -> None:
    assert TIKI_PRODUCTION.authorization_endpoint == "https://api.tiki.vn/sc/oauth2/auth"
    assert TIKI_PRODUCTION.token_endpoint == "https://api.tiki.vn/sc/oauth2/token"
    assert TIKI_PRODUCTION.api_base == "https://api.tiki.vn"


def test_for_base_url_lays_out_tikis_paths() -> None:
    endpoints = Endpoints.for_base_url(" http://127.0.0.1:8765/ ")
    assert endpoints == Endpoints(
        "http://127.0.0.1:8765/sc/oauth2/auth",
        "http://127.0.0.1:8765/sc/oauth2/token",
        "http://127.0.0.1:8765",
    )


def test_endpoints_validate_every_url() -> None:
    with pytest.raises(ValidationError, match=r"^Token endpoint must use https://"):
        Endpoints(
            "https://api.tiki.vn/sc/oauth2/auth", "http://api.tiki.vn/sc/oauth2/token", "https://x"
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://api.tiki.vn/sc/oauth2/token",
        "https://EXAMPLE.com:8443/cb?x=1",
        "http://127.0.0.1/callback",
        "http://127.5.6.7:9000/callback",
        "http://[::1]:8080/cb",
        "http://localhost:8000/cb",
        "http://LocalHost/cb",
    ],
)
def test_accepted_urls_come_back_unchanged(url: str) -> None:
    assert validate_url(url) == url


def test_surrounding_whitespace_is_removed() -> None:
    assert validate_url("  https://api.tiki.vn/x \n") == "https://api.tiki.vn/x"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Token endpoint is empty"),
        ("api.tiki.vn/sc/oauth2/token", "must be an absolute URL starting with https://"),
        ("/sc/oauth2/token", "must be an absolute URL starting with https://"),
        ("ftp://api.tiki.vn/x", "must be an absolute URL starting with https://"),
        ("javascript:alert(1)", "must be an absolute URL starting with https://"),
        ("http://api.tiki.vn/sc/oauth2/token", "Plain http:// is only allowed for this computer"),
        ("http://10.0.0.1/x", "Plain http:// is only allowed for this computer"),
        ("http://localhost.evil.org/x", "Plain http:// is only allowed for this computer"),
        ("https://user:pw@api.tiki.vn/x", "must not contain a user name or password"),
        ("https://api.tiki.vn/x#frag", "must not contain a #fragment"),
        ("https://api.tiki.vn:99999/x", "is not a valid URL"),
        ("https://api.tiki.vn:0/x", "port 0"),
        ("https://api tiki.vn/x", "must not contain spaces"),
        ("https://:443/x", "has no host name"),
    ],
)
def test_rejected_urls_say_why_in_a_sentence(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        validate_url(url, what="Token endpoint")
    text = str(info.value)
    assert text.startswith("Token endpoint ")
    assert text.endswith(".")


def test_validation_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Redirect URI"):
        validate_url("nope", what="Redirect URI")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("128.0.0.1", False),
        ("example.com", False),
        ("0.0.0.0", False),  # noqa: S104 (a host name under test, not a bind address)
    ],
)
def test_is_loopback_host(host: str, expected: bool) -> None:
    assert is_loopback_host(host) is expected
