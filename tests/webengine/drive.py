"""Drive a consent page like a person would, for tests (pytest-qt ``qtbot`` based).

Every function takes a :class:`~tiki_gui.webengine.ConsentBrowser` or a bare ``QWebEngineView``
(the UI tests pass the main window's browser). Form fields are set and buttons clicked through
JavaScript (``document.getElementById(id).click()``), which submits the real form: the page
navigates exactly as it does when a person clicks.

Typical use::

    login(qtbot, browser, username="seller", password="pw")
    allow_consent(qtbot, browser)
    with qtbot.waitSignal(browser.redirect_captured) as blocker: ...
"""

from __future__ import annotations

import json

from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot

from tiki_gui.webengine import ConsentBrowser, JavaScriptTimeoutError, run_javascript

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "DEMO_PASSWORD",
    "Target",
    "allow_consent",
    "click",
    "deny_consent",
    "has_element",
    "js",
    "login",
    "page_of",
    "wait_for_element",
    "wait_for_load",
]

Target = ConsentBrowser | QWebEngineView
DEFAULT_TIMEOUT_MS = 10_000
DEMO_PASSWORD = "correct horse"  # the sandbox takes any non-empty password
_POLL_CALL_TIMEOUT_MS = 1_000


def page_of(target: Target) -> QWebEnginePage:
    view = target.view if isinstance(target, ConsentBrowser) else target
    return view.page()


def js(target: Target, script: str, timeout_ms: int = 5_000) -> object:
    """Run ``script`` in the page's main frame and return its result."""
    return run_javascript(page_of(target), script, timeout_ms)


def has_element(target: Target, element_id: str) -> bool:
    """True if the current document is parsed and holds an element with id ``element_id``."""
    script = (
        f"document.readyState !== 'loading' && !!document.getElementById({json.dumps(element_id)})"
    )
    try:
        return js(target, script, _POLL_CALL_TIMEOUT_MS) is True
    except JavaScriptTimeoutError:  # the document is being replaced; ask again
        return False


def wait_for_element(
    qtbot: QtBot, target: Target, element_id: str, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> None:
    """Wait until a page whose DOM has an element with id ``element_id`` is shown."""
    qtbot.waitUntil(lambda: has_element(target, element_id), timeout=timeout_ms)


def wait_for_load(qtbot: QtBot, target: Target, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> bool:
    """Wait for the next ``loadFinished`` of the page and return its ``ok`` flag."""
    with qtbot.waitSignal(page_of(target).loadFinished, timeout=timeout_ms) as blocker:
        pass
    return bool(blocker.args[0]) if blocker.args else False


def click(
    qtbot: QtBot, target: Target, element_id: str, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> None:
    """Wait for the element with id ``element_id``, then click it (``element.click()``)."""
    wait_for_element(qtbot, target, element_id, timeout_ms)
    clicked = js(
        target,
        f"(function(){{ var e = document.getElementById({json.dumps(element_id)});"
        " if (!e) return false; e.click(); return true; })()",
    )
    assert clicked is True, f"element #{element_id} vanished before it could be clicked"


def login(
    qtbot: QtBot,
    target: Target,
    username: str = "seller",
    password: str = DEMO_PASSWORD,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
) -> None:
    """Wait for the login page (button ``login-submit``), fill username and password, and
    click ``login-submit``."""
    wait_for_element(qtbot, target, "login-submit", timeout_ms)
    filled = js(
        target,
        "(function(){"
        " var u = document.querySelector('input[name=\"username\"]');"
        " var p = document.querySelector('input[name=\"password\"]');"
        " if (!u || !p) return false;"
        f" u.value = {json.dumps(username)}; p.value = {json.dumps(password)};"
        " return true; })()",
    )
    assert filled is True, "the login page has no username/password inputs"
    click(qtbot, target, "login-submit", timeout_ms)


def allow_consent(qtbot: QtBot, target: Target, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
    """Wait for the consent page and click ``consent-allow``."""
    click(qtbot, target, "consent-allow", timeout_ms)


def deny_consent(qtbot: QtBot, target: Target, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
    """Wait for the consent page and click ``consent-deny``."""
    click(qtbot, target, "consent-deny", timeout_ms)
