"""The navigation policy on its own: what is captured, shown as an error, allowed or refused."""

from __future__ import annotations

import pytest

from tiki_gui.webengine import FlowTargets, NavigationEvent, NavigationVerdict, classify

TARGETS = FlowTargets(
    redirect_uri="http://127.0.0.1:8765/callback",
    authorization_endpoint="https://api.tiki.vn/sc/oauth2/auth",
)


def _event(url: str, navigation_type: str = "redirect", *, main: bool = True) -> NavigationEvent:
    return NavigationEvent(url=url, navigation_type=navigation_type, is_main_frame=main)


@pytest.mark.parametrize("navigation_type", ["link", "typed", "form", "redirect", "other"])
@pytest.mark.parametrize("main", [True, False])
def test_the_redirect_uri_is_captured_in_any_frame_for_any_type(
    navigation_type: str, main: bool
) -> None:
    event = _event("http://127.0.0.1:8765/callback?code=c&state=s", navigation_type, main=main)
    assert classify(event, TARGETS, closed=False) is NavigationVerdict.CAPTURE_REDIRECT


@pytest.mark.parametrize(
    "url",
    [
        "HTTP://127.0.0.1:8765/callback?error=access_denied&state=s",  # scheme case
        "http://127.0.0.1:8765/callback",  # no query at all
        "http://127.0.0.1:8765/callback#fragment",
    ],
)
def test_structural_matches_are_captured(url: str) -> None:
    assert classify(_event(url), TARGETS, closed=False) is NavigationVerdict.CAPTURE_REDIRECT


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/callback2?code=c",  # prefix of the path only
        "http://127.0.0.1:8766/callback?code=c",  # other port
        "https://127.0.0.1:8765/callback?code=c",  # other scheme
        "http://127.0.0.1:8765@evil.example/callback?code=c",  # user info trick
        "https://api.tiki.vn/sc/oauth2/auth?client_id=x",
    ],
)
def test_lookalikes_are_not_captured(url: str) -> None:
    # Allowed, or (plain http to another host) refused as insecure: never captured.
    expected = NavigationVerdict.INSECURE if "evil.example" in url else NavigationVerdict.ALLOW
    assert classify(_event(url), TARGETS, closed=False) is expected


def test_the_error_page_is_shown_and_reported_in_the_main_frame_only() -> None:
    url = "https://api.tiki.vn/sc/oauth2/fallbacks/error?error=invalid_client"
    assert classify(_event(url), TARGETS, closed=False) is NavigationVerdict.ERROR_PAGE
    assert classify(_event(url, main=False), TARGETS, closed=False) is NavigationVerdict.ALLOW
    elsewhere = "https://evil.example/sc/oauth2/fallbacks/error?error=invalid_client"
    assert classify(_event(elsewhere), TARGETS, closed=False) is NavigationVerdict.ALLOW


def test_a_closed_flow_refuses_everything() -> None:
    for url in ("https://api.tiki.vn/sc/oauth2/auth", "http://127.0.0.1:8765/callback?code=c"):
        assert classify(_event(url), TARGETS, closed=True) is NavigationVerdict.REFUSE


def test_before_a_flow_starts_everything_is_allowed() -> None:
    event = _event("http://127.0.0.1:8765/callback?code=c")
    assert classify(event, None, closed=False) is NavigationVerdict.ALLOW


def test_the_event_is_frozen_plain_data() -> None:
    event = _event("https://api.tiki.vn/", "link", main=False)
    assert event == NavigationEvent("https://api.tiki.vn/", "link", False)
    with pytest.raises(AttributeError):
        event.url = "https://evil.example/"  # type: ignore[misc]


def test_the_url_stays_out_of_the_repr() -> None:
    event = _event("http://127.0.0.1:8765/callback?code=s3cr3t-code&state=s")
    assert "s3cr3t-code" not in repr(event)
