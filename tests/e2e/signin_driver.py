"""Start the app as ``tiki-gui --sandbox`` does and sign in through its window, like a person.

Run by test_real_display.py in a subprocess, on the X display it started (``QT_QPA_PLATFORM=xcb``),
with Chromium's sandbox left to the app (on for a normal user; off, with the app's warning, for
root). The entry point is the real one, ``tiki_gui.launcher.main(["--sandbox"])`` (the platform
check, the QApplication, the window, the event loop); the only addition is a timer, started once
the window is shown, that presses Authorize, signs in, allows, waits for the tokens, takes a
screenshot of the X screen and closes the window. Prints one JSON line with what it saw (never a
token); exits with the app's status.

    python tests/e2e/signin_driver.py SCREENSHOT.png
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests/ folder

from webengine.processes import renderer_processes, sandboxed
from window_script import WindowScript

from tiki_gui import app, launcher

# 60 s a step: a loaded 2-core machine, a software-rendered X server
STEPS = WindowScript(timeout_s=60.0, poll_ms=50, js_ms=2000)


def _main_window() -> Any:  # the MainWindow, found without importing tiki_gui.ui
    return next(w for w in QApplication.topLevelWidgets() if hasattr(w, "consent_pane"))


# More colours than these: drawn, not a blank or single-colour frame (the test's thresholds).
_PAGE_DRAWN, _WINDOW_DRAWN = 10, 20


def _drawn_colours(screenshot_path: str, area: QWidget, drawn: int) -> int:
    """:func:`_distinct_colours` once the X server shows ``area`` drawn, trying for at most 10 s
    (a loaded 2-core machine can take longer than any fixed wait); the last count otherwise."""
    deadline = time.monotonic() + 10
    colours = 0
    while colours <= drawn and time.monotonic() < deadline:
        QTest.qWait(150)
        colours = _distinct_colours(screenshot_path, area)
    return colours


def _distinct_colours(screenshot_path: str, area: QWidget) -> int:
    """Grab what ``area`` shows, save it, and count its colours. On X11 from the X server's
    screen (what a person sees); Wayland lets no client read the screen, so there the widget
    draws itself."""
    if QGuiApplication.platformName() == "xcb":
        pixmap = QGuiApplication.primaryScreen().grabWindow(0)
        pixmap = pixmap.copy(QRect(area.mapToGlobal(QPoint(0, 0)), area.size()))
    else:
        pixmap = area.grab()
    pixmap.save(screenshot_path)
    image = pixmap.toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    return len(colours)


def _sign_in(seen: dict[str, object], screenshot_path: str) -> None:
    window = _main_window()
    try:
        seen["platform"] = QGuiApplication.platformName()
        handle = window.windowHandle()
        STEPS.wait(lambda: handle is not None and handle.isExposed(), "the window on the screen")
        seen["exposed"] = True
        seen["title"] = window.windowTitle()
        STEPS.log_in(window, "seller-x11")
        consent_view = window.consent_pane.browser.view
        consent_path = screenshot_path.replace(".png", "-consent.png")
        # Until the X server shows the page drawn (a frame not composited yet is one colour),
        # for at most 10 s: a loaded 2-core machine can take longer than a fixed wait.
        seen["consent_colours"] = _drawn_colours(consent_path, consent_view, _PAGE_DRAWN)
        renderers = renderer_processes()
        seen["renderers"] = len(renderers)
        seen["renderers_sandboxed"] = [sandboxed(p) for p in renderers]
        STEPS.allow(window)
        flow = window.flow
        STEPS.wait(lambda: flow.state.value in ("succeeded", "failed"), "the token exchange")
        seen["state"] = flow.state.value
        seen["token_shown"] = bool(window.token_panel.access_token.text())
        seen["screen_colours"] = _drawn_colours(screenshot_path, window, _WINDOW_DRAWN)
    except Exception as exc:  # report it, and still close the window
        seen["error"] = repr(exc)
    window.close()


def main(screenshot_path: str) -> int:
    seen: dict[str, object] = {}
    launch = app.launch

    def launch_then_sign_in(argv: list[str] | None = None) -> app.AppSession:
        session = launch(argv)
        QTimer.singleShot(0, lambda: _sign_in(seen, screenshot_path))
        return session

    app.launch = launch_then_sign_in
    status = launcher.main(["--sandbox"])
    print(json.dumps(seen), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
