"""The location line: host, port and TLS, and how the widget shows them."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tiki_gui.webengine import Location, describe_location
from tiki_gui.webengine.location import LocationBar


@pytest.mark.parametrize(
    ("url", "expected", "text"),
    [
        (
            "https://api.tiki.vn/sc/oauth2/auth?login_challenge=secret",
            Location("api.tiki.vn", None, is_tls=True),
            "api.tiki.vn (TLS)",
        ),
        (
            "https://API.Tiki.VN:443/x",
            Location("api.tiki.vn", None, is_tls=True),
            "api.tiki.vn (TLS)",
        ),
        (
            "http://127.0.0.1:8080/sc/oauth2/auth",
            Location("127.0.0.1", 8080, is_tls=False),
            "127.0.0.1:8080 (not encrypted)",
        ),
        ("http://[::1]:9000/", Location("::1", 9000, is_tls=False), "[::1]:9000 (not encrypted)"),
        ("https://api.tiki.vn:8443/", Location("api.tiki.vn", 8443, is_tls=True), None),
    ],
)
def test_describe_location(url: str, expected: Location, text: str | None) -> None:
    location = describe_location(url)
    assert location == expected
    if text is not None:
        assert location.text == text


@pytest.mark.parametrize(
    "url", ["about:blank", "data:text/html,hi", "file:///etc/passwd", "", "http://x:notaport/"]
)
def test_non_web_urls_have_no_location(url: str) -> None:
    assert describe_location(url) is None


def test_the_bar_shows_host_and_security_but_never_the_query(qtbot: QtBot) -> None:
    bar = LocationBar()
    qtbot.addWidget(bar)
    assert bar.isReadOnly()
    assert bar.objectName() == "consent_location"
    assert bar.accessibleName()

    bar.set_location(describe_location("https://api.tiki.vn/sc/oauth2/auth?state=s3cr3t"))
    assert bar.text() == "api.tiki.vn (TLS)"
    assert "encrypted (TLS)" in bar.toolTip()
    assert "s3cr3t" not in bar.text() + bar.toolTip() + bar.accessibleDescription()
    assert any(action.isVisible() for action in bar.actions())

    bar.set_location(describe_location("http://127.0.0.1:5000/"))
    assert bar.text() == "127.0.0.1:5000 (not encrypted)"
    assert "not encrypted" in bar.accessibleDescription()

    bar.set_location(None)
    assert bar.text() == ""
    assert not any(action.isVisible() for action in bar.actions())
