"""System-browser sign-in through the main window: loopback with a real headless Chromium, the
pasted redirect URL, the iss check (RFC 9207), client credentials, and the timeline's masking."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sandbox.browserless import authorize
from signin import webdriver
from signin.ports import can_bind, is_listening
from signin.webdriver import Browser

from tiki_gui.core.options import Grant, SignIn
from tiki_gui.core.redirect import IssuerMismatchError
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.signin import PortInUseError, open_in_system_browser
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.shared.error_text import LoopbackTimeoutError
from tiki_gui.ui.signin.flow import FlowState

from .conftest import WindowFactory
from .flow_helpers import click_once_in_place, sandbox_config, wait_for_state
from .sign_in_steps import loopback_window, start_in_system_browser

chromium = webdriver.chromium  # the fixture of a real headless Chromium


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


def _assert_no_secret(texts: list[str], secrets: list[str]) -> None:
    for form in {form for secret in secrets if secret for form in _forms(secret)}:
        assert not any(form in text for text in texts), "a secret reached the timeline"


def test_loopback_flow_with_a_real_browser(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer, chromium: Browser
) -> None:
    window, port = loopback_window(make_window, sandbox)
    url = start_in_system_browser(qtbot, window)
    assert window.pages.currentWidget() is window.system_browser_pane
    assert window.system_browser_pane.copy_authorization_url.isVisible()
    assert not window.system_browser_pane.pasted_url.isVisible()
    assert is_listening("127.0.0.1", port)

    chromium.navigate(url)
    chromium.find("input[name=username]").send_keys("seller-loop")
    chromium.find("input[name=password]").send_keys("pw")
    chromium.find("#login-submit").click()
    chromium.find("#consent-allow").click()
    chromium.wait_for_text("You can close this tab")
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)

    assert window.token_panel.access_token.text()
    assert window.token_panel.refresh_token.text()
    assert can_bind("127.0.0.1", port)  # the listener is closed
    assert [(r.grant_type, r.status_code) for r in sandbox.token_requests] == [
        ("authorization_code", 200)
    ]


def test_loopback_port_in_use_says_so(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        window, port = loopback_window(make_window, sandbox, taken.getsockname()[1])
        with qtbot.waitSignal(window.flow.failed) as failed:
            QTest.mouseClick(window.form.authorize, Qt.MouseButton.LeftButton)
    assert isinstance(failed.args[0], PortInUseError)
    assert window.pages.currentWidget() is window.error_panel
    shown = window.error_panel.error_message.text() + window.error_panel.error_advice.text()
    assert str(port) in shown
    assert window.flow.state is FlowState.FAILED


def test_cancel_closes_the_listener(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window, port = loopback_window(make_window, sandbox)
    start_in_system_browser(qtbot, window)
    assert is_listening("127.0.0.1", port)
    QTest.mouseClick(window.cancel, Qt.MouseButton.LeftButton)
    assert window.flow.state is FlowState.CANCELLED
    assert can_bind("127.0.0.1", port)


def test_loopback_timeout_fails_the_flow_and_frees_the_port(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window, port = loopback_window(make_window, sandbox)
    window.flow.loopback_timeout = 0.5
    with qtbot.waitSignal(window.flow.failed, timeout=5000) as failed:
        start_in_system_browser(qtbot, window)
        assert is_listening("127.0.0.1", port)
    assert isinstance(failed.args[0], LoopbackTimeoutError)
    assert window.flow.state is FlowState.FAILED
    assert window.pages.currentWidget() is window.error_panel
    message = window.error_panel.error_message.text()
    assert "No redirect arrived within 0.5 seconds" in message
    assert "Press Authorize to start again." in message
    assert "sooner" in window.error_panel.error_advice.text()
    assert window.flow.receiver is None
    qtbot.waitUntil(lambda: can_bind("127.0.0.1", port), timeout=2000)
    assert sandbox.token_requests == []


def _crash(url: str) -> None:
    raise OSError("no display")


@pytest.mark.parametrize(
    ("opener", "expected"),
    [
        # The real opener with a browser command that fails (exit status 1).
        (partial(open_in_system_browser, browser="false"), "could not be started"),
        (_crash, "could not be opened"),  # an opener that breaks: the app stays up
    ],
    ids=["failing-command", "opener-raises"],
)
def test_when_the_browser_cannot_be_opened_the_url_and_copy_remain(
    qtbot: QtBot,
    make_window: WindowFactory,
    sandbox: SandboxServer,
    opener: Callable[[str], None],
    expected: str,
) -> None:
    window = _paste_window(make_window, sandbox)
    pane = window.system_browser_pane
    pane.opener = opener
    QTest.mouseClick(window.form.authorize, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(pane.browser_message.isVisible, timeout=10_000)
    message = pane.browser_message.text()
    assert expected in message
    assert "copy" in message.lower()
    request = window.flow.request
    assert request is not None
    assert request.state not in message  # the URL (with its state) is not in the message
    assert window.flow.state is FlowState.CONSENT  # the sign-in goes on
    assert window.pages.currentWidget() is pane
    assert pane.authorization_url.text() == request.url
    assert pane.copy_authorization_url.isVisible()
    assert pane.copy_authorization_url.isEnabled()
    QTest.mouseClick(pane.copy_authorization_url, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == request.url
    with httpx.Client(timeout=5, trust_env=False) as http:  # the user opens it themselves
        landed = authorize(http, request.url)
    _paste(window, landed)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)


def test_the_form_says_when_loopback_needs_a_loopback_redirect_uri(
    make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(
        sandbox_config(sandbox, sign_in=SignIn.LOOPBACK, redirect_uri="https://example.com/cb")
    )
    assert not window.form.authorize.isEnabled()
    assert "loopback redirect URI" in window.form.authorize_reason.text()


def _paste_window(make_window: WindowFactory, sandbox: SandboxServer, **changes: Any) -> MainWindow:
    return make_window(sandbox_config(sandbox, DEMO_BASIC_CLIENT, sign_in=SignIn.PASTE, **changes))


def _landed(qtbot: QtBot, window: MainWindow, *, allow: bool = True) -> str:
    """Authorize; where the seller's browser lands after signing in and answering the consent
    page (the redirect URL a paste sign-in asks for)."""
    url = start_in_system_browser(qtbot, window)
    with httpx.Client(timeout=5, trust_env=False) as http:
        return authorize(http, url, allow=allow)


def _paste(window: MainWindow, text: str) -> None:
    pane = window.system_browser_pane
    pane.pasted_url.setText(text)
    QTest.mouseClick(pane.use_pasted_url, Qt.MouseButton.LeftButton)


def test_paste_flow_with_the_right_url_gets_tokens_and_the_timeline_is_masked(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = _paste_window(make_window, sandbox, use_pkce=True)
    url = start_in_system_browser(qtbot, window)
    assert window.system_browser_pane.pasted_url.isVisible()
    QTest.mouseClick(window.system_browser_pane.copy_authorization_url, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == url
    with httpx.Client(timeout=5, trust_env=False) as http:
        landed = authorize(http, url, username="seller-paste")
    _paste(window, f"  {landed}\n")
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    panel = window.token_panel
    assert panel.access_token.text()

    request = window.flow.request
    assert request is not None
    assert request.pkce is not None
    code = landed.split("code=", 1)[1].split("&", 1)[0]
    qtbot.waitUntil(lambda: "HTTP 200" in window.timeline_panel.text.toPlainText())
    click_once_in_place(qtbot, window.timeline_panel.copy_timeline)
    texts = [window.timeline_panel.text.toPlainText(), QGuiApplication.clipboard().text()]
    assert "authorization request" in texts[0]
    assert "callback" in texts[0]
    assert "code_verifier=«masked" in texts[1]
    _assert_no_secret(
        texts,
        [
            DEMO_BASIC_CLIENT.client_secret,
            code,
            request.state,
            request.pkce.verifier,
            panel.access_token.text(),
            panel.refresh_token.text(),
        ],
    )


@pytest.mark.parametrize("problem", ["wrong_host", "not_a_url", "bare_redirect_uri"])
def test_paste_of_something_else_is_refused_and_the_flow_waits(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer, problem: str
) -> None:
    window = _paste_window(make_window, sandbox)
    landed = _landed(qtbot, window)
    host = urlsplit(landed).hostname or ""
    text = {
        "wrong_host": landed.replace(host, "evil.example", 1),
        "not_a_url": "code=abc",
        "bare_redirect_uri": landed.split("?", 1)[0],  # the query cut off when copying
    }[problem]
    _paste(window, text)
    message = window.system_browser_pane.paste_message.text()
    assert message
    assert "CSRF" not in message
    assert window.pages.currentWidget() is window.system_browser_pane
    assert ("evil.example" in message) == (problem == "wrong_host")
    assert window.flow.state is FlowState.CONSENT
    _paste(window, landed)  # the right one still works
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)


def test_paste_with_tampered_state_is_refused_without_a_token_request(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = _paste_window(make_window, sandbox)
    landed = _landed(qtbot, window)
    request = window.flow.request
    assert request is not None
    _paste(window, landed.replace(quote_plus(request.state), "tampered-state-123456"))
    wait_for_state(qtbot, window, FlowState.FAILED)
    assert "state" in window.error_panel.error_message.text()
    assert sandbox.token_requests == []


def test_paste_of_an_error_redirect_shows_the_error(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = _paste_window(make_window, sandbox)
    landed = _landed(qtbot, window, allow=False)
    with qtbot.waitSignal(window.flow.failed) as failed:
        _paste(window, landed)
    assert getattr(failed.args[0], "error", None) == "access_denied"
    assert sandbox.token_requests == []


def test_iss_mismatch_is_refused_end_to_end(qtbot: QtBot, make_window: WindowFactory) -> None:
    with SandboxServer(issue_iss=True, issuer="https://other-issuer.example") as other:
        window = _paste_window(make_window, other, issuer=other.base_url)
        landed = _landed(qtbot, window)
        assert "iss=" in landed
        with qtbot.waitSignal(window.flow.failed) as failed:
            _paste(window, landed)
        assert isinstance(failed.args[0], IssuerMismatchError)
        assert other.token_requests == []


def test_iss_that_matches_is_accepted(qtbot: QtBot, make_window: WindowFactory) -> None:
    with SandboxServer(issue_iss=True) as server:
        window = _paste_window(make_window, server, issuer=server.issuer)
        landed = _landed(qtbot, window)
        _paste(window, landed)
        wait_for_state(qtbot, window, FlowState.SUCCEEDED)


def test_client_credentials_grant_needs_no_browser(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(
        sandbox_config(
            sandbox, grant=Grant.CLIENT_CREDENTIALS, redirect_uri="", scopes=("product",)
        )
    )
    assert window.form.authorize.isEnabled(), window.form.authorize_reason.text()
    QTest.mouseClick(window.form.authorize, Qt.MouseButton.LeftButton)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    assert window.consent_pane.browser is None
    assert window.token_panel.access_token.text()
    assert not window.token_panel.refresh_token.text()
    assert [r.grant_type for r in sandbox.token_requests] == ["client_credentials"]
