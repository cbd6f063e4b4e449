"""Whole flows in the main window against the sandbox, in the real QtWebEngine (offscreen)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qt_fixtures import LISTENER_CLIENT_ID
from scripted_server import ScriptedServer
from storage.flows import closed_port_url
from webengine import drive
from webengine.servers import ConnectionCounter

from tiki_gui.core.options import AuthMethod
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.flow import FlowState

from .conftest import WindowFactory
from .fake_token_endpoint import TOKEN_PATH, Mode
from .flow_helpers import (
    FLOW_TIMEOUT_MS,
    click_authorize,
    sandbox_config,
    type_config,
    wait_for_state,
)
from .sign_in_steps import at_login_page, failure_report, sign_in


def _seller_name(sandbox: SandboxServer, access_token: str) -> object:
    response = httpx.get(
        sandbox.api_base + "/integration/v2/sellers/me",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    return response.json()["name"]


@pytest.mark.parametrize("client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=lambda c: c.client_id)
def test_full_flow_ends_with_tokens_that_work(
    qtbot: QtBot,
    make_window: WindowFactory,
    sandbox: SandboxServer,
    client: SandboxClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    window = make_window()
    type_config(qtbot, window, sandbox_config(sandbox, client))
    browser = click_authorize(qtbot, window)

    drive.login(qtbot, browser, username="seller-ui", password="pw")
    drive.allow_consent(qtbot, browser)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)

    panel = window.token_panel
    assert panel.isVisible()
    assert window.consent_pane.browser is None  # shut down once the redirect was caught
    QTest.mouseClick(panel.copy_access_token, Qt.MouseButton.LeftButton)
    access_token = QGuiApplication.clipboard().text()
    assert access_token == panel.access_token.text()
    assert _seller_name(sandbox, access_token) == "seller-ui"
    assert panel.refresh_token.text()
    assert panel.token_type.text() == "bearer"
    assert panel.granted_scope.text() == "offline product order"
    assert panel.expires_in.text().startswith("expires in 59:")
    assert [
        (r.grant_type, r.client_id, r.auth_method, r.status_code) for r in sandbox.token_requests
    ] == [("authorization_code", client.client_id, client.token_endpoint_auth_method, 200)]
    QTest.mouseClick(panel.copy_access_header, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == f"Authorization: Bearer {access_token}"
    assert window.form.authorize.isEnabled()  # ready for another flow
    request = window.flow.request
    assert request is not None
    secrets = (client.client_secret, access_token, panel.refresh_token.text(), request.state)
    assert "token request" in caplog.text  # something was logged, and nothing secret
    assert [s for s in secrets if s in caplog.text] == []


def test_deny_shows_access_denied_and_requests_no_token(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    sign_in(qtbot, window, allow=False)
    wait_for_state(qtbot, window, FlowState.FAILED)

    panel = window.error_panel
    assert panel.isVisible()
    assert "declined" in panel.error_message.text()
    assert panel.report is not None
    assert panel.report.error == "access_denied"
    assert sandbox.token_requests == []


def test_wrong_auth_method_shows_invalid_client_with_the_hint(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, auth_method=AuthMethod.CLIENT_SECRET_POST))
    sign_in(qtbot, window)
    report = failure_report(qtbot, window)
    assert report.error == "invalid_client"
    assert "client_secret_basic" in (report.hint or "") + (report.description or "")
    assert "registered for Basic header; switch the auth method" in report.advice
    assert window.error_panel.error_advice.text() == report.advice
    assert [r.status_code for r in sandbox.token_requests] == [401]


def test_tampered_state_is_refused_without_a_token_request(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = at_login_page(qtbot, window)
    redirect = sandbox_config(sandbox).profile.redirect_uri
    with qtbot.waitSignal(browser.redirect_captured, timeout=FLOW_TIMEOUT_MS):
        drive.js(browser, f"location.href = '{redirect}?code=stolen&state=not-the-one'; true")
    wait_for_state(qtbot, window, FlowState.FAILED)

    assert "state mismatch" in window.error_panel.error_message.text()
    assert "CSRF" in window.error_panel.error_advice.text()
    assert sandbox.token_requests == []


def test_a_second_redirect_after_the_first_is_ignored(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    click_authorize(qtbot, window)
    request = window.flow.request
    assert request is not None
    window.flow.on_redirect_captured(f"{request.redirect_uri}?error=access_denied&state=x")
    assert window.flow.state is FlowState.FAILED
    with qtbot.assertNotEmitted(window.flow.failed):
        window.flow.on_redirect_captured(f"{request.redirect_uri}?code=c&state={request.state}")
    assert window.flow.state is FlowState.FAILED
    assert sandbox.token_requests == []


def test_unknown_client_ends_on_the_error_page_and_says_why(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, client_id="no-such-client"))
    click_authorize(qtbot, window)
    report = failure_report(qtbot, window)
    assert "error page" in window.error_panel.error_message.text()
    assert report.error == "invalid_client"
    assert window.consent_pane.browser is None
    assert sandbox.token_requests == []


def test_the_redirect_host_gets_no_connection_during_the_whole_flow(
    qtbot: QtBot,
    make_window: WindowFactory,
    listener_sandbox: SandboxServer,
    listener: ConnectionCounter,
) -> None:
    client = next(c for c in listener_sandbox.clients if c.client_id == LISTENER_CLIENT_ID)
    window = make_window(sandbox_config(listener_sandbox, client))
    assert window.form.profile().redirect_uri == listener.url("/callback")
    sign_in(qtbot, window)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    qtbot.wait(300)  # room for a late preconnect, which must not come either
    assert listener.count == 0
    assert len(listener_sandbox.token_requests) == 1


def test_double_click_on_authorize_starts_one_flow(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    authorize = window.form.authorize
    # What a window system sends for a double click: press, release, double-click, release.
    with qtbot.waitSignal(window.flow.state_changed, timeout=1000):
        QTest.mouseClick(authorize, Qt.MouseButton.LeftButton)
    QTest.mouseDClick(authorize, Qt.MouseButton.LeftButton)
    QTest.mouseRelease(authorize, Qt.MouseButton.LeftButton)
    QTest.mouseClick(authorize, Qt.MouseButton.LeftButton)
    window.form.authorize_requested.emit()  # even a direct request cannot start a second flow
    browser = window.consent_pane.browser
    assert browser is not None
    drive.wait_for_element(qtbot, browser, "login-submit")
    auth_path = sandbox.authorization_endpoint.removeprefix(sandbox.base_url)
    assert [r.path for r in sandbox.requests if r.path == auth_path] == [auth_path]
    assert not window.form.authorize.isEnabled()
    assert "in progress" in window.form.authorize_reason.text()


def test_cancel_and_escape_end_the_flow(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = at_login_page(qtbot, window)
    assert window.cancel.isVisible()
    QTest.mouseClick(window.cancel, Qt.MouseButton.LeftButton)
    assert window.flow.state is FlowState.CANCELLED
    assert window.consent_pane.browser is None
    assert window.form.authorize.isEnabled()

    browser = at_login_page(qtbot, window)
    drive.js(browser, "document.getElementById('username').focus(); true")
    window.activateWindow()
    browser.view.setFocus()
    focused = QApplication.focusWidget()
    assert focused is not None
    assert browser.view.isAncestorOf(focused)
    QTest.keyClick(focused, Qt.Key.Key_Escape)
    assert window.flow.state is FlowState.CANCELLED
    assert not window.cancel.isVisible()
    assert sandbox.token_requests == []


def test_closing_the_window_on_the_consent_page_is_clean(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = click_authorize(qtbot, window)
    drive.login(qtbot, browser)
    drive.wait_for_element(qtbot, browser, "consent-allow")
    assert window.close()
    assert window.flow.state is FlowState.CANCELLED
    assert window.consent_pane.browser is None
    assert sandbox.token_requests == []


@pytest.fixture
def exchanging(
    qtbot: QtBot,
    make_window: WindowFactory,
    sandbox: SandboxServer,
    fake_token_endpoint: Callable[[Mode], ScriptedServer],
) -> tuple[MainWindow, ScriptedServer]:
    """A window signed in on the sandbox with a slow token endpoint, once that endpoint has
    the request; the exchange hangs until ``slow.release()``. The window, and the endpoint."""
    slow = fake_token_endpoint("slow")
    window = make_window(sandbox_config(sandbox, token_endpoint=slow.url(TOKEN_PATH)))
    sign_in(qtbot, window)
    wait_for_state(qtbot, window, FlowState.EXCHANGING)
    qtbot.waitUntil(slow.received.is_set, timeout=FLOW_TIMEOUT_MS)
    return window, slow


def test_closing_the_window_during_a_slow_exchange_is_clean(
    qtbot: QtBot, exchanging: tuple[MainWindow, ScriptedServer]
) -> None:
    window, slow = exchanging
    assert window.flow_progress.isVisible()

    started = time.monotonic()
    assert window.close()
    assert time.monotonic() - started < 0.5  # closing does not wait for the server
    assert window.flow.state is FlowState.CANCELLED
    assert not window.exchanger.busy
    # The request under way is aborted, not waited for: the server still holds its answer.
    qtbot.waitUntil(lambda: window.exchanger.active_jobs == 0, timeout=5000)
    slow.release()
    assert window.token_panel.tokens is None
    assert not window.error_panel.isVisible()
    assert len(slow.recorded) == 1


def test_the_window_stays_responsive_during_the_exchange(
    qtbot: QtBot, exchanging: tuple[MainWindow, ScriptedServer]
) -> None:
    window, slow = exchanging
    # The GUI thread is free: a timer fires and a click is handled while the request hangs.
    qtbot.wait(100)
    QTest.mouseClick(window.form.advanced_toggle, Qt.MouseButton.LeftButton)
    assert window.exchange_page.isVisible()
    # The status line says what runs and where, the page what it means: not the same words twice.
    assert "127.0.0.1" in window.flow_status.text()
    assert "authorization code" in window.exchange_page.text()
    assert "Esc" in window.exchange_page.text()  # the way out, while it waits
    slow.release()
    report = failure_report(qtbot, window)
    assert report.error == "invalid_grant"


@pytest.mark.parametrize(
    ("mode", "words"),
    [("http_500", "(HTTP 500)"), ("garbage", "not an OAuth token response")],
)
def test_a_broken_token_endpoint_gives_a_readable_error(
    qtbot: QtBot,
    make_window: WindowFactory,
    sandbox: SandboxServer,
    fake_token_endpoint: Callable[[Mode], ScriptedServer],
    mode: Mode,
    words: str,
) -> None:
    broken = fake_token_endpoint(mode)
    window = make_window(sandbox_config(sandbox, token_endpoint=broken.url(TOKEN_PATH)))
    sign_in(qtbot, window)
    wait_for_state(qtbot, window, FlowState.FAILED)
    message = window.error_panel.error_message.text()
    assert words in message
    assert "Traceback" not in message
    assert window.error_panel.error_advice.text()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        # Found when Authorize is pressed, before the seller signs in (test_preflight_ui.py).
        ("token_endpoint", "token endpoint did not answer"),
        ("authorization_endpoint", "sign-in page could not be loaded"),
    ],
    ids=["token-endpoint", "authorization-endpoint"],
)
def test_an_unreachable_endpoint_ends_the_flow_and_says_check_the_network(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer, field: str, message: str
) -> None:
    unreachable: dict[str, Any] = {field: closed_port_url() + "/gone"}  # nothing listens there
    window = make_window(sandbox_config(sandbox, **unreachable))
    click_authorize(qtbot, window)
    wait_for_state(qtbot, window, FlowState.FAILED)
    assert message in window.error_panel.error_message.text()
    assert "network" in window.error_panel.error_advice.text()


def test_an_unknown_scope_is_refused_by_the_server_and_explained(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, scopes=("offline", "no_such_scope")))
    click_authorize(qtbot, window)
    report = failure_report(qtbot, window)
    assert report.error == "invalid_scope"
    assert "scopes" in window.error_panel.error_message.text()
    assert sandbox.token_requests == []


def test_pkce_flow_succeeds(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, use_pkce=True))
    browser = click_authorize(qtbot, window)
    request = window.flow.request
    assert request is not None
    assert request.pkce is not None
    assert "code_challenge=" in request.url
    drive.login(qtbot, browser)
    drive.allow_consent(qtbot, browser)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    assert window.token_panel.access_token.text()
