"""The Qt half of ``tiki-gui self-test``: the real window, driven through a sandbox sign-in.

The window is found and driven only through what a person (or a screen reader) sees: widgets by
their object names (``authorize``, ``consent_browser``, ``access_token``, ``error_message``) and
the sandbox's login and consent pages by their element ids. Each step runs from a timer on the
GUI thread and never blocks it for long; the run ends with the event loop.
"""

from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from tiki_gui import app

if TYPE_CHECKING:
    from tiki_gui.self_test import Outcome

__all__ = ["DRIVE_SCRIPT", "run_sign_in"]

SELLER = "self-test"
PASSWORD = "self-test"  # noqa: S105 - the sandbox takes any non-empty password
_STEP_MS = 100
_JS_TIMEOUT_MS = 2_000
_REASON_LIMIT = 300

DRIVE_SCRIPT = f"""(function () {{
  if (document.readyState === 'loading') return 'loading';
  if (window.__tikiGuiSelfTest) return 'waiting';
  var submit = document.getElementById('login-submit');
  if (submit) {{
    var user = document.getElementById('username');
    var password = document.getElementById('password');
    if (!user || !password) return 'no-login-fields';
    user.value = {json.dumps(SELLER)};
    password.value = {json.dumps(PASSWORD)};
    window.__tikiGuiSelfTest = true;
    submit.click();
    return 'login';
  }}
  var allow = document.getElementById('consent-allow');
  if (allow) {{ window.__tikiGuiSelfTest = true; allow.click(); return 'consent'; }}
  return 'other';
}})()"""
"""Idempotent per document: submits the sandbox's login form, or clicks Allow on its consent
page, once; returns what it saw."""


class _Driver(QObject):
    """Steps through the sign-in from a single-shot timer until tokens, an error or the end."""

    def __init__(self, session: app.AppSession, outcome: Outcome, deadline: float) -> None:
        super().__init__()
        self._session = session
        self._outcome = outcome
        self._deadline = deadline
        self._finished = False
        session.window.closing.connect(self._on_window_closing)

    def start(self) -> None:
        QTimer.singleShot(0, self._step)

    def _finish(self, reason: str | None = None) -> None:
        if self._finished:
            return
        self._finished = True
        if reason is not None:
            self._outcome.reason = reason[:_REASON_LIMIT]
        QTimer.singleShot(0, QApplication.quit)

    def _on_window_closing(self) -> None:
        self._finish("the window was closed before the sign-in completed")

    def _step(self) -> None:
        if self._finished:
            return
        if time.monotonic() > self._deadline:  # tokens seen only now came too late as well
            self._finish(f"timed out while waiting for: {self._outcome.step}")
            return
        try:
            self._advance()
        except Exception as exc:  # report it as the outcome rather than die inside Qt
            self._finish(f"self-test error: {type(exc).__name__}: {exc}")
        if not self._finished:
            QTimer.singleShot(_STEP_MS, self._step)

    def _advance(self) -> None:
        window = self._session.window
        outcome = self._outcome
        access_token = window.findChild(QLineEdit, "access_token")
        if access_token is not None and access_token.text():
            self._check_exchange()
            return
        error = window.findChild(QLabel, "error_message")
        if error is not None and error.isVisible() and error.text():
            self._finish(f"the sign-in failed: {error.text()}")
            return
        if outcome.step == "start":
            authorize = window.findChild(QPushButton, "authorize")
            if authorize is not None and authorize.isEnabled():
                outcome.step = "sign-in page"
                authorize.click()
            return
        answer = self._run_script(window)
        if answer == "login":
            outcome.step = "consent page"
        elif answer == "consent":
            outcome.step = "tokens"

    def _run_script(self, window: QWidget) -> object:
        # Loaded by the window at Authorize; imported here, after that, never before.
        from tiki_gui.webengine import ConsentBrowser, JavaScriptTimeoutError, run_javascript

        browser = window.findChild(ConsentBrowser, "consent_browser")
        if browser is None:
            return None
        try:
            return run_javascript(browser, DRIVE_SCRIPT, _JS_TIMEOUT_MS)
        except JavaScriptTimeoutError:  # the page is being replaced: ask again next step
            return None

    def _check_exchange(self) -> None:
        """Tokens are shown: the sandbox must have answered one code exchange with 200."""
        sandbox = self._session.sandbox
        exchanges = [] if sandbox is None else list(sandbox.token_requests)
        if any(r.grant_type == "authorization_code" and r.status_code == 200 for r in exchanges):
            self._outcome.tokens = True
            self._outcome.step = "done"
            self._finish()
        else:
            self._finish("tokens were shown but the sandbox issued none")


def run_sign_in(outcome: Outcome, timeout: float) -> None:
    """Open the window on the sandbox, drive the sign-in, record the result in ``outcome``."""
    deadline = time.monotonic() + timeout
    session = app.launch(["--sandbox"])
    outcome.chromium_sandbox = os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") != "1"
    driver = _Driver(session, outcome, deadline)
    try:
        driver.start()
        QApplication.exec()  # the application launch() made
    finally:
        session.close()
