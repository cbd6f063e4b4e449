"""The whole sign-in and consent run against the sandbox, in the real QtWebEngine."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QProgressBar
from pytestqt.qtbot import QtBot
from qt_fixtures import LISTENER_CLIENT_ID

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import AuthorizationDeniedError
from tiki_gui.core.redirect import parse_error_page, parse_redirect
from tiki_gui.sandbox import SandboxServer
from tiki_gui.webengine import ConsentBrowser

from . import drive
from .servers import ConnectionCounter

SCOPE = "offline product order"
FLOW_TIMEOUT_MS = 10_000


def _start(
    browser: ConsentBrowser, server: SandboxServer, redirect_uri: str, client_id: str
) -> AuthorizationRequest:
    request = AuthorizationRequest.create(
        server.authorization_endpoint, client_id, redirect_uri, SCOPE
    )
    browser.start(
        request.url,
        redirect_uri=request.redirect_uri,
        authorization_endpoint=server.authorization_endpoint,
    )
    return request


@pytest.fixture
def auth_request(
    browser: ConsentBrowser, listener_sandbox: SandboxServer, listener: ConnectionCounter
) -> AuthorizationRequest:
    """The listener app's authorization request, started in ``browser``; its redirect URI is
    the listener, which counts every connection."""
    return _start(browser, listener_sandbox, listener.url("/callback"), LISTENER_CLIENT_ID)


def test_allow_ends_in_the_captured_redirect_with_code_and_state(
    qtbot: QtBot,
    browser: ConsentBrowser,
    auth_request: AuthorizationRequest,
    listener_sandbox: SandboxServer,
) -> None:
    drive.login(qtbot, browser, username="seller-one", password="pw")
    with qtbot.waitSignal(browser.redirect_captured, timeout=FLOW_TIMEOUT_MS) as captured:
        drive.allow_consent(qtbot, browser)

    response = parse_redirect(str(captured.args[0]), auth_request)
    assert response.code
    assert response.state == auth_request.state
    assert response.scope is not None
    assert "product" in response.scope
    # The view still shows the consent page: the redirect was refused, not followed.
    assert browser.view.url().toString().startswith(listener_sandbox.base_url)
    assert listener_sandbox.token_requests == []


def test_the_redirect_host_gets_no_connection_during_the_whole_flow(
    qtbot: QtBot,
    browser: ConsentBrowser,
    auth_request: AuthorizationRequest,
    listener: ConnectionCounter,
) -> None:
    drive.login(qtbot, browser)
    with (
        qtbot.waitSignal(browser.redirect_captured, timeout=FLOW_TIMEOUT_MS),
        qtbot.assertNotEmitted(browser.load_failed, wait=500),  # the refused load is no failure
    ):
        drive.allow_consent(qtbot, browser)
    # The wait above also leaves room for a late preconnect, had the navigation gone through.
    assert listener.count == 0


def test_deny_ends_in_the_captured_redirect_with_access_denied(
    qtbot: QtBot,
    browser: ConsentBrowser,
    auth_request: AuthorizationRequest,
    listener: ConnectionCounter,
) -> None:
    drive.login(qtbot, browser)
    with qtbot.waitSignal(browser.redirect_captured, timeout=FLOW_TIMEOUT_MS) as captured:
        drive.deny_consent(qtbot, browser)

    with pytest.raises(AuthorizationDeniedError) as denied:
        parse_redirect(str(captured.args[0]), auth_request)
    assert denied.value.error == "access_denied"
    assert listener.count == 0


def test_unknown_client_id_reaches_the_error_page_and_shows_it(
    qtbot: QtBot,
    browser: ConsentBrowser,
    listener_sandbox: SandboxServer,
    listener: ConnectionCounter,
) -> None:
    with (
        qtbot.waitSignal(browser.error_page_reached, timeout=FLOW_TIMEOUT_MS) as reached,
        qtbot.assertNotEmitted(browser.redirect_captured),
    ):
        _start(browser, listener_sandbox, listener.url("/callback"), "no-such-client")

    error = parse_error_page(str(reached.args[0]))
    assert error.error == "invalid_client"
    # The page is let through, so the user reads the server's explanation.
    qtbot.waitUntil(lambda: browser.view.url().path().endswith("/oauth2/fallbacks/error"))
    qtbot.waitUntil(lambda: "invalid_client" in str(drive.js(browser, "document.body.innerText")))
    assert listener.count == 0


def test_location_reports_the_sandbox_host_without_tls(
    qtbot: QtBot,
    browser: ConsentBrowser,
    listener_sandbox: SandboxServer,
    listener: ConnectionCounter,
) -> None:
    with qtbot.waitSignal(browser.location_changed, timeout=FLOW_TIMEOUT_MS) as changed:
        _start(browser, listener_sandbox, listener.url("/callback"), LISTENER_CLIENT_ID)

    assert changed.args == ["127.0.0.1", False]
    drive.wait_for_element(qtbot, browser, "login-submit")
    assert browser.location_bar.text() == f"127.0.0.1:{listener_sandbox.port} (not encrypted)"
    assert "not encrypted" in browser.location_bar.accessibleDescription()


def test_loading_is_reported_while_the_login_page_loads(
    qtbot: QtBot,
    browser: ConsentBrowser,
    listener_sandbox: SandboxServer,
    listener: ConnectionCounter,
) -> None:
    progress = browser.findChild(QProgressBar, "consent_progress")
    assert progress is not None
    assert not progress.isVisible()
    with qtbot.waitSignal(browser.loading_changed) as started:
        _start(browser, listener_sandbox, listener.url("/callback"), LISTENER_CLIENT_ID)
    assert started.args == [True]
    assert progress.isVisible()
    with qtbot.waitSignal(browser.loading_changed, timeout=FLOW_TIMEOUT_MS) as finished:
        pass
    assert finished.args == [False]
    assert not progress.isVisible()
    assert drive.has_element(browser, "login-submit")


def _colours(browser: ConsentBrowser) -> int:
    image = browser.view.grab().toImage()
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    )


def test_the_login_page_is_rendered_under_the_location_line(
    qtbot: QtBot,
    browser: ConsentBrowser,
    listener_sandbox: SandboxServer,
    listener: ConnectionCounter,
) -> None:
    with qtbot.waitSignal(browser.view.loadFinished, timeout=FLOW_TIMEOUT_MS):
        _start(browser, listener_sandbox, listener.url("/callback"), LISTENER_CLIENT_ID)

    # The first frames after loadFinished may show only the background: wait for the content
    # (text, inputs, the banner), which proves the offscreen view really renders pages.
    qtbot.waitUntil(lambda: _colours(browser) > 5, timeout=FLOW_TIMEOUT_MS)
    assert browser.location_bar.geometry().bottom() < browser.view.geometry().top()
    assert browser.location_bar.isVisible()
