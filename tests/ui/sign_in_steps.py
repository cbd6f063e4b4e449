"""Steps of a sign-in in the main window, taken as the seller would: a window set for the
system browser with a loopback redirect (:func:`loopback_window`), Authorize with the browser
launch caught (:func:`start_in_system_browser`), the embedded sandbox's login and consent
pages (:func:`at_login_page`, :func:`sign_in`), and the report of a flow that must fail
(:func:`failure_report`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from signin.ports import free_port
from webengine import drive

from tiki_gui.core.options import SignIn
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.shared.error_text import ErrorReport
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine import ConsentBrowser

from .conftest import WindowFactory
from .flow_helpers import click_authorize, sandbox_config, wait_for_state

__all__ = [
    "at_login_page",
    "failure_report",
    "loopback_window",
    "sign_in",
    "start_in_system_browser",
]


def at_login_page(qtbot: QtBot, window: MainWindow) -> ConsentBrowser:
    """Click Authorize; the consent browser, once it shows the sandbox's login form (in the DOM
    and on screen: the page loads hidden until the token endpoint check passes, and a hidden
    view takes no focus)."""
    browser = click_authorize(qtbot, window)
    drive.wait_for_element(qtbot, browser, "login-submit")
    qtbot.waitUntil(lambda: not window.consent_pane.held and browser.view.isVisible())
    return browser


def sign_in(qtbot: QtBot, window: MainWindow, *, allow: bool = True) -> ConsentBrowser:
    """Click Authorize, log in to the sandbox as its demo seller, then allow (or deny) the
    consent; returns the consent browser. What follows is the caller's to wait for."""
    browser = click_authorize(qtbot, window)
    drive.login(qtbot, browser)
    if allow:
        drive.allow_consent(qtbot, browser)
    else:
        drive.deny_consent(qtbot, browser)
    return browser


def failure_report(qtbot: QtBot, window: MainWindow) -> ErrorReport:
    """Wait until the flow has failed; the report the error panel shows (there must be one)."""
    wait_for_state(qtbot, window, FlowState.FAILED)
    report = window.error_panel.report
    assert report is not None
    return report


def loopback_window(
    make_window: WindowFactory, sandbox: SandboxServer, port: int | None = None
) -> tuple[MainWindow, int]:
    """A window for the sandbox's demo app that signs in through the system browser, its
    redirect URI ``http://127.0.0.1:PORT/callback`` on ``port`` (a free one if not given)."""
    port = free_port() if port is None else port
    redirect = f"http://127.0.0.1:{port}/callback"
    config = sandbox_config(sandbox, sign_in=SignIn.LOOPBACK, redirect_uri=redirect)
    return make_window(config), port


def start_in_system_browser(qtbot: QtBot, window: MainWindow) -> str:
    """Click Authorize with a system-browser sign-in set; the URL the browser was to open
    (nothing is launched: the pane's opener only records it)."""
    opened: list[str] = []
    window.system_browser_pane.opener = opened.append
    assert window.form.authorize.isEnabled(), window.form.authorize_reason.text()
    QTest.mouseClick(window.form.authorize, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    url = window.system_browser_pane.authorization_url.text()
    assert opened == [url]
    return url
