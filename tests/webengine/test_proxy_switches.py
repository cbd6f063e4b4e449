"""The proxy variables as Chromium switches (pure: no browser is started here)."""

from __future__ import annotations

import pytest

from tiki_gui.core.proxies import proxy_settings
from tiki_gui.webengine.network import (
    CHROMIUM_FLAGS_ENV,
    chromium_proxy_switches,
    configure_proxy,
    proxy_credentials_for,
)

PROXY = "http://proxy.corp:3128"


def test_per_scheme_proxies_without_credentials() -> None:
    settings = proxy_settings(
        {"HTTPS_PROXY": "http://ann:s3cret@proxy.corp:3128", "HTTP_PROXY": "other.corp:8080"}
    )
    assert chromium_proxy_switches(settings) == [
        "--proxy-server=http=http://other.corp:8080;https=http://proxy.corp:3128"
    ]


def test_no_proxy_becomes_a_bypass_list_with_subdomains() -> None:
    settings = proxy_settings(
        {
            "HTTPS_PROXY": PROXY,
            "NO_PROXY": "tiki.vn,.corp.example,*.intra,10.0.0.0/8,192.168.1.5,[fd00::1],a.b:8443",
        }
    )
    switches = chromium_proxy_switches(settings)
    assert switches[1] == (
        "--proxy-bypass-list=tiki.vn;*.tiki.vn;corp.example;*.corp.example;intra;*.intra;"
        "10.0.0.0/8;192.168.1.5;[fd00::1];a.b:8443;*.a.b:8443"
    )


def test_nothing_without_a_proxy_or_with_no_proxy_star() -> None:
    assert chromium_proxy_switches(proxy_settings({})) == []
    assert chromium_proxy_switches(proxy_settings({"HTTPS_PROXY": PROXY, "NO_PROXY": "*"})) == []


def test_configure_proxy_appends_to_the_existing_flags() -> None:
    env = {"HTTPS_PROXY": PROXY, CHROMIUM_FLAGS_ENV: "--disable-gpu --log-level=3"}
    added = configure_proxy(env)
    assert added == ["--proxy-server=https=http://proxy.corp:3128"]
    assert env[CHROMIUM_FLAGS_ENV] == (
        "--disable-gpu --log-level=3 --proxy-server=https=http://proxy.corp:3128"
    )


def test_a_proxy_the_user_gave_chromium_wins() -> None:
    for own in ("--proxy-server=socks5://s:1080", "--no-proxy-server", "--proxy-pac-url=x"):
        env = {"HTTPS_PROXY": PROXY, CHROMIUM_FLAGS_ENV: own}
        assert configure_proxy(env) == []
        assert env[CHROMIUM_FLAGS_ENV] == own


def test_without_proxy_variables_chromium_keeps_the_system_settings() -> None:
    env = {CHROMIUM_FLAGS_ENV: "--disable-gpu"}
    assert configure_proxy(env) == []
    assert env == {CHROMIUM_FLAGS_ENV: "--disable-gpu"}


def test_proxy_credentials_only_for_their_own_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://ann%40corp:p%3Ass@proxy.corp:3128")
    monkeypatch.delenv("https_proxy", raising=False)
    assert proxy_credentials_for("proxy.corp") == ("ann@corp", "p:ss")
    assert proxy_credentials_for("PROXY.CORP") == ("ann@corp", "p:ss")
    assert proxy_credentials_for("evil.example") is None
