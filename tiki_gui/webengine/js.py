"""Run JavaScript in a page and wait for its result (tests and automation only).

Waiting spins a local event loop, so never call this from inside a QtWebEngine callback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView

if TYPE_CHECKING:
    from tiki_gui.webengine.browser import ConsentBrowser

__all__ = ["JavaScriptTimeoutError", "run_javascript"]


class JavaScriptTimeoutError(TimeoutError):
    """The script's result did not come back in time (page gone, renderer busy or crashed)."""


def _page_of(browser: ConsentBrowser | QWebEngineView | QWebEnginePage) -> QWebEnginePage:
    if isinstance(browser, QWebEnginePage):
        return browser
    if isinstance(browser, QWebEngineView):
        return browser.page()
    return browser.view.page()


def run_javascript(
    browser: ConsentBrowser | QWebEngineView | QWebEnginePage, script: str, timeout_ms: int = 5000
) -> object:
    """Run ``script`` in the main frame of ``browser`` (or of a bare view or page) and return
    its result as Python values (numbers come back as float, objects as dict).

    Raises :class:`JavaScriptTimeoutError` if no result arrives within ``timeout_ms``.
    """
    page = _page_of(browser)
    loop = QEventLoop()
    box: list[object] = []

    def on_result(result: object) -> None:
        box.append(result)
        loop.quit()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    page.runJavaScript(script, 0, on_result)
    if not box:
        loop.exec()
    timer.stop()
    if not box:
        raise JavaScriptTimeoutError(f"JavaScript gave no result within {timeout_ms} ms")
    return box[0]
