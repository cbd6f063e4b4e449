"""Driving the app's window from a driver script that runs the real ``main()`` in a child
process (tests/ui/main_driver.py, tests/e2e/signin_driver.py), where no qtbot exists:
:class:`WindowScript` waits on the event loop, scripts the consent page, and signs in."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtTest import QTest

__all__ = ["WindowScript"]


@dataclass(frozen=True, slots=True)
class WindowScript:
    """Steps on the main window (taken untyped, so that a driver need not import tiki_gui.ui),
    each waiting at most ``timeout_s``, polling every ``poll_ms``; a script in the page may take
    ``js_ms``."""

    timeout_s: float
    poll_ms: int
    js_ms: int

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Run the event loop until ``condition()`` holds; TimeoutError naming ``what``."""
        deadline = time.monotonic() + self.timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            QTest.qWait(self.poll_ms)

    def js(self, window: Any, script: str) -> object:
        """``script``'s value in the consent page; None without a page or after ``js_ms``."""
        from tiki_gui.webengine import JavaScriptTimeoutError, run_javascript

        browser = window.consent_pane.browser
        if browser is None:
            return None
        try:
            return run_javascript(browser.view.page(), script, self.js_ms)
        except JavaScriptTimeoutError:
            return None

    def has(self, window: Any, element_id: str) -> bool:
        """Whether the consent page has loaded and has the element ``element_id``."""
        script = f"document.readyState !== 'loading' && !!document.getElementById('{element_id}')"
        return self.js(window, script) is True

    def log_in(self, window: Any, username: str) -> None:
        """Click Authorize, sign in to the sandbox as ``username``; returns at the consent page."""
        window.form.authorize.click()
        self.wait(lambda: self.has(window, "login-submit"), "the sandbox's login page")
        self.js(
            window,
            f"document.getElementById('username').value = {json.dumps(username)};"
            "document.getElementById('password').value = 'pw';"
            "document.getElementById('login-submit').click(); true",
        )
        self.wait(lambda: self.has(window, "consent-allow"), "the consent page")

    def allow(self, window: Any) -> None:
        """Click Allow on the consent page."""
        self.js(window, "document.getElementById('consent-allow').click(); true")
