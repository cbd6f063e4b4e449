"""What the timeline tests share: a fake monotonic clock, the ``clock`` and ``timeline``
fixtures (a test module takes them in with ``timeline = timeline_checks.timeline``), the
authorization request they record, and the check that no secret shows in any of its texts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import quote, quote_plus

import pytest

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.timeline import Timeline

__all__ = [
    "CALLBACK",
    "STATE",
    "T0",
    "FakeClock",
    "assert_no_secret",
    "auth_request",
    "clock",
    "timeline",
]

T0 = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
STATE = "state-0123456789abcdefghijklmnopqrstuvwxyz"
CALLBACK = "https://example.com/tiki/callback"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timeline(clock: FakeClock) -> Timeline:
    return Timeline(clock=clock, wall_clock=lambda: T0)


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


def _texts(timeline: Timeline) -> list[str]:
    entries = timeline.entries
    return [
        timeline.as_text(),
        repr(timeline),
        *(repr(entry) for entry in entries),
        *(entry.as_text() for entry in entries),
    ]


def assert_no_secret(timeline: Timeline, secrets: list[str]) -> None:
    """No form of any of ``secrets`` (as is, URL- or JSON-encoded) in any text of ``timeline``."""
    forms = {form for secret in secrets if secret for form in _forms(secret)}
    for text in _texts(timeline):
        leaked = sorted(form for form in forms if form in text)
        assert not leaked, f"secret(s) leaked into the timeline: {len(leaked)}"


def auth_request(*, use_pkce: bool = True, state: str | None = STATE) -> AuthorizationRequest:
    """The authorization request the tests record (``state`` and PKCE as asked)."""
    return AuthorizationRequest.create(
        "https://api.tiki.vn/sc/oauth2/auth",
        "7590139168389961",
        CALLBACK,
        "offline product",
        use_pkce=use_pkce,
        state=state,
    )
