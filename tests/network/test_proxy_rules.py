"""The proxy rules shared by the token client and the embedded browser (pure, no network)."""

from __future__ import annotations

import pytest

from tiki_gui.core.proxies import (
    ProxySettings,
    describe_proxy,
    host_matches_no_proxy,
    is_loopback_host,
    proxy_settings,
)

PROXY = "http://proxy.corp:3128"


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]",
     "::ffff:127.0.0.1", "localhost."],
)  # fmt: skip
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host", ["tiki.test", "api.tiki.vn", "10.0.0.1", "128.0.0.1", "::2", "localhost.example"]
)
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


@pytest.mark.parametrize(
    ("url", "proxied"),
    [
        ("https://api.tiki.vn/sc/oauth2/token", True),
        ("http://127.0.0.1:8080/cb", False),
        ("http://localhost:8080/cb", False),
        ("http://[::1]:8080/cb", False),
        ("https://127.0.0.1:9/x", False),
    ],
)
def test_loopback_is_direct_even_without_no_proxy(url: str, proxied: bool) -> None:
    settings = proxy_settings({"HTTPS_PROXY": PROXY, "HTTP_PROXY": PROXY})
    assert (settings.proxy_for(url) is not None) is proxied


@pytest.mark.parametrize(
    ("entry", "host", "port", "matches"),
    [
        ("tiki.vn", "tiki.vn", 443, True),
        ("tiki.vn", "api.tiki.vn", 443, True),
        (".tiki.vn", "api.tiki.vn", 443, True),
        (".tiki.vn", "tiki.vn", 443, True),
        ("*.tiki.vn", "api.tiki.vn", 443, True),
        ("tiki.vn", "nottiki.vn", 443, False),
        ("tiki.vn:8443", "tiki.vn", 443, False),
        ("tiki.vn:443", "tiki.vn", 443, True),
        ("10.0.0.0/8", "10.1.2.3", 443, True),
        ("10.0.0.0/8", "11.1.2.3", 443, False),
        ("10.0.0.0/8", "tiki.vn", 443, False),
        ("192.168.1.5", "192.168.1.5", 80, True),
        ("[fd00::1]", "fd00::1", 80, True),
        ("*", "anything.example", 80, True),
        ("", "tiki.vn", 443, False),
    ],
)
def test_no_proxy_entries(entry: str, host: str, port: int, matches: bool) -> None:
    assert host_matches_no_proxy(entry, host, port) is matches


def test_lower_case_wins_and_all_proxy_fills_in() -> None:
    settings = proxy_settings(
        {"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2", "ALL_PROXY": "all:3"}
    )
    assert settings.https == "http://lower:2"
    assert settings.http == "http://all:3"  # no scheme: http:// is meant


def test_an_empty_lower_case_variable_switches_the_upper_case_one_off() -> None:
    settings = proxy_settings({"HTTPS_PROXY": "http://upper:1", "https_proxy": ""})
    assert settings.https is None


def test_http_proxy_is_ignored_in_a_cgi_request() -> None:
    settings = proxy_settings({"HTTP_PROXY": PROXY, "REQUEST_METHOD": "GET"})
    assert settings.http is None


def test_no_proxy_star_means_no_proxy() -> None:
    settings = proxy_settings({"HTTPS_PROXY": PROXY, "NO_PROXY": "*"})
    assert not settings.any
    assert settings.proxy_for("https://api.tiki.vn/") is None


def test_no_proxy_list_with_spaces() -> None:
    settings = proxy_settings({"HTTPS_PROXY": PROXY, "no_proxy": "a.example, .corp ,10.0.0.0/8"})
    assert settings.no_proxy == ("a.example", ".corp", "10.0.0.0/8")
    assert settings.proxy_for("https://x.corp/") is None
    assert settings.proxy_for("https://tiki.vn/") == PROXY


def test_credentials_never_show() -> None:
    settings = ProxySettings(https="http://ann:s3cret@proxy.corp:3128")
    assert describe_proxy("http://ann:s3cret@proxy.corp:3128") == "proxy.corp:3128"
    assert describe_proxy("[::1]:3128") == "[::1]:3128"
    for text in (str(settings), repr(settings)):
        assert "s3cret" not in text
        assert "ann" not in text
    assert "proxy.corp:3128" in str(settings)


def test_no_settings_at_all() -> None:
    settings = proxy_settings({})
    assert not settings.any
    assert str(settings) == "no proxy"
    assert settings.proxy_for("https://api.tiki.vn/") is None
