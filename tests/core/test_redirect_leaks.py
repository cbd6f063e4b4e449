"""Redirect parsing: an ``error`` parameter always refuses, and no message or timeline entry
quotes a query, even one percent-encoded into the path."""

from __future__ import annotations

import pytest

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import OAuthError, RedirectError
from tiki_gui.core.redirect import parse_redirect, shown_target
from tiki_gui.core.timeline import Timeline
from tiki_gui.signin import parse_pasted_redirect

STATE = "state-0123456789abcdefghij"
CODE = "SECRETCODEvalue"
REDIRECT = "https://example.com/tiki/callback"


def _request() -> AuthorizationRequest:
    return AuthorizationRequest.create(
        "https://api.tiki.vn/sc/oauth2/auth", "client-1", REDIRECT, "offline", state=STATE
    )


@pytest.mark.parametrize(
    "query",
    [
        f"code={CODE}&error=&state={STATE}",
        f"error=&code={CODE}&state={STATE}",
        f"code={CODE}&error&state={STATE}",
    ],
)
def test_an_empty_error_parameter_refuses_the_code(query: str) -> None:
    with pytest.raises(RedirectError, match="empty 'error' parameter") as info:
        parse_redirect(f"{REDIRECT}?{query}", _request())
    assert CODE not in str(info.value)


def test_an_error_beside_a_code_is_the_error() -> None:
    with pytest.raises(OAuthError) as info:
        parse_redirect(f"{REDIRECT}?code={CODE}&error=server_error&state={STATE}", _request())
    assert info.value.error == "server_error"


# The code hides in the path of a URL that is not the redirect URI.
_SMUGGLED = [
    f"https://example.com/tiki/callback%3Fcode={CODE}&state={STATE}",
    f"https://example.com/tiki/callback%3fcode%3D{CODE}",
    f"https://example.com/tiki/callback%253Fcode={CODE}",
    f"https://example.com/tiki/callback%23code={CODE}",
    f"https://example.com/tiki/callback;code={CODE}",
    f"https://example.com/tiki/cb/code={CODE}",
    f"https://example.com/tiki/x{'a' * 60}%3Fcode={CODE}",
]


@pytest.mark.parametrize("url", _SMUGGLED)
def test_a_wrong_target_message_never_quotes_a_query(url: str) -> None:
    with pytest.raises(RedirectError) as info:
        parse_redirect(url, _request())
    message = str(info.value)
    assert "not the redirect URI" in message
    assert CODE[:6] not in message, message
    assert STATE not in message


def test_a_path_that_is_the_code_itself_is_cut_by_length_not_by_marks() -> None:
    # A path without any query mark is shown (it is a path); only 80 characters of it.
    shown = shown_target("https://example.com/" + "p" * 200)
    assert len(shown) <= 82


@pytest.mark.parametrize("url", _SMUGGLED)
def test_a_pasted_wrong_target_never_quotes_a_query(url: str) -> None:
    with pytest.raises(RedirectError) as info:
        parse_pasted_redirect(url, _request())
    assert CODE not in str(info.value)
    assert STATE not in str(info.value)


@pytest.mark.parametrize("url", _SMUGGLED)
def test_the_timeline_never_shows_a_query_smuggled_into_a_path(url: str) -> None:
    timeline = Timeline()
    timeline.record_navigation(url)
    timeline.record_callback(url)
    text = timeline.as_text()
    assert CODE not in text, text
    assert STATE not in text, text
    assert "…" in text


def test_a_plain_query_is_cut_from_the_shown_target() -> None:
    assert shown_target(f"{REDIRECT}?code={CODE}") == repr(REDIRECT + "…")
    assert shown_target(REDIRECT) == repr(REDIRECT)
