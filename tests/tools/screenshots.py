"""Screenshots of tiki-gui's main states, taken from the real app offscreen.

    uv run python tests/tools/screenshots.py OUTDIR

Runs the app's own window (``tiki_gui.app.launch``) against an in-process sandbox and writes:

- ``01-empty-form.png``       the window as ``tiki-gui`` opens: Tiki production, no credentials
- ``02-sandbox-form.png``     ``tiki-gui --sandbox``: the demo client filled in
- ``03-consent-login.png``    Authorize pressed: the sandbox's sign-in page in the window
- ``04-tokens.png``           signed in and allowed: the tokens
- ``05-error-auth-method.png`` the same client with the wrong auth method: invalid_client

Pages are grabbed 50 ms after ``loadFinished`` (inside it the image is still blank).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses its sandbox as root

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication

from tiki_gui import app
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.flow import FlowState

TIMEOUT_S = 20.0
SETTLE_MS = 50
SIZE = (1280, 900)


def _spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        _spin(20)


def _wait_signal(signal: SignalInstance, what: str) -> None:
    fired: list[object] = []
    loop = QEventLoop()

    def on_fired(*args: object) -> None:
        fired.append(args)
        loop.quit()

    signal.connect(on_fired)
    QTimer.singleShot(int(TIMEOUT_S * 1000), loop.quit)
    loop.exec()
    signal.disconnect(on_fired)
    if not fired:
        raise TimeoutError(f"timed out waiting for {what}")


def _js(window: MainWindow, script: str) -> object:
    from tiki_gui.webengine import run_javascript

    browser = window.consent_pane.browser
    if browser is None:
        raise RuntimeError("no consent page is shown")
    return run_javascript(browser.view.page(), script)


def _load_finished(window: MainWindow) -> SignalInstance:
    browser = window.consent_pane.browser
    if browser is None:
        raise RuntimeError("no consent page is shown")
    return browser.view.page().loadFinished


def _save(window: MainWindow, outdir: Path, name: str) -> None:
    _spin(SETTLE_MS)
    path = outdir / name
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def _sign_in(window: MainWindow, outdir: Path | None) -> None:
    """Authorize, wait for the sign-in page (optionally saved), sign in, allow."""
    window.form.authorize.click()
    _wait_signal(_load_finished(window), "the sign-in page")
    if outdir is not None:
        _save(window, outdir, "03-consent-login.png")
    page = _load_finished(window)
    _js(
        window,
        "document.getElementById('username').value = 'demo-seller';"
        "document.getElementById('password').value = 'pw';"
        "document.getElementById('login-submit').click(); true",
    )
    _wait_signal(page, "the consent page")
    _js(window, "document.getElementById('consent-allow').click(); true")


def take(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    app.prepare_qt()

    empty = app.launch([])
    empty.window.resize(*SIZE)
    _save(empty.window, outdir, "01-empty-form.png")
    empty.close()

    session = app.launch(["--sandbox"])
    window = session.window
    try:
        window.resize(*SIZE)
        window.form.advanced_toggle.setChecked(True)
        _save(window, outdir, "02-sandbox-form.png")

        _sign_in(window, outdir)
        _wait(lambda: window.flow.state is FlowState.SUCCEEDED, "the tokens")
        _save(window, outdir, "04-tokens.png")

        window.form.auth_method.setCurrentIndex(
            window.form.auth_method.findData("client_secret_post")
        )
        _sign_in(window, None)
        _wait(lambda: window.flow.state is FlowState.FAILED, "the error")
        _save(window, outdir, "05-error-auth-method.png")
    finally:
        session.close()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    qapp = QApplication.instance()
    app.prepare_qt()
    if qapp is None:
        qapp = QApplication([sys.argv[0]])
    take(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
