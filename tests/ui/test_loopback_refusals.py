"""Requests to the loopback redirect URI that are not this sign-in's answer: refused, counted in
the timeline and in the system-browser pane, and the sign-in still completes (issue 9)."""

from __future__ import annotations

import httpx
from pytestqt.qtbot import QtBot
from sandbox.browserless import authorize

from tiki_gui.core.timeline import EntryKind
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.signin.flow import FlowState

from .conftest import WindowFactory
from .flow_helpers import wait_for_state
from .sign_in_steps import loopback_window, start_in_system_browser


def test_hostile_requests_are_refused_counted_and_the_sign_in_completes(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window, port = loopback_window(make_window, sandbox)
    redirect = f"http://127.0.0.1:{port}/callback"
    authorization_url = start_in_system_browser(qtbot, window)
    pane = window.system_browser_pane
    assert not pane.refused_message.isVisibleTo(pane)

    hostile = [
        f"{redirect}?code=stolen",  # no state
        f"{redirect}?code=stolen&state=someone-elses-state",  # another flow's state
        f"{redirect}?error=access_denied",  # a forged denial, no state
    ]
    with httpx.Client(timeout=5, trust_env=False) as http:
        for count, url in enumerate(hostile, start=1):
            with qtbot.waitSignal(window.flow.loopback_refused, timeout=5000) as refused:
                answer = http.get(url)
            assert answer.status_code >= 400
            assert refused.args[0] == count
            assert window.flow.state is FlowState.CONSENT  # still waiting for the real one
        assert pane.refused_message.isVisibleTo(pane)
        assert "Refused 3 request(s)" in pane.refused_message.text()

        landed = authorize(http, authorization_url, username="seller-refusals")
        assert landed.startswith(redirect)
        http.get(landed)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    assert window.token_panel.access_token.text()

    timeline = window.flow.timeline
    assert timeline is not None
    notes = [e.summary for e in timeline.entries if e.kind is EntryKind.NOTE]
    refusals = [note for note in notes if note.startswith("Refused a request")]
    assert refusals == [
        "Refused a request to the redirect URI (1 so far): The request carries no state.",
        "Refused a request to the redirect URI (2 so far): "
        "The request carries the state of another sign-in.",
        "Refused a request to the redirect URI (3 so far): The request carries no state.",
    ]
    assert "stolen" not in "\n".join(e.as_text() for e in timeline.entries)
    assert [(r.grant_type, r.status_code) for r in sandbox.token_requests] == [
        ("authorization_code", 200)
    ]
