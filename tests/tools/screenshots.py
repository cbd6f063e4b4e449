"""Screenshots of tiki-gui's main states, taken from the real app offscreen.

    uv run python tests/tools/screenshots.py OUTDIR
    uv run python tests/tools/screenshots.py --language vi resources/screenshots/vi

Runs the app's own window against in-process sandboxes, with its settings in a throw-away home
folder, and writes:

- ``01-empty-form.png``       the window as ``tiki-gui`` opens: Tiki production, no credentials
- ``02-sandbox-form.png``     ``tiki-gui --sandbox``: the demo client filled in
- ``03-consent-login.png``    Authorize pressed: the sandbox's sign-in page in the window
- ``04-tokens.png``           signed in and allowed: the tokens
- ``05-error-auth-method.png`` the same client with the wrong auth method: invalid_client
- ``06-token-manager.png``    a private Secret Service: three sellers' tokens stored, one checked
- ``07-no-keyring.png``       no keyring: a saved profile, a sign-in, the tokens not stored
- ``08-system-browser.png``   sign in with the system browser: a wrong pasted URL refused
- ``09-timeline.png``         an embedded sign-in with PKCE, and its timeline
- ``10-api-console.png``      the seller API console: a stored seller's products as a JSON tree

01-05 and 07 are taken without a keyring (hence the notice), 06 and 10 with a private one
(``tests/keyring_service.py``: dbus-daemon and gnome-keyring-daemon must be installed). Pages
are grabbed 50 ms after ``loadFinished`` (inside it the image is still blank).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses its sandbox as root

import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the test helpers

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from ui.flow_helpers import sandbox_config

from tiki_gui import app
from tiki_gui.core.options import SignIn
from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage import ProfileStore
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.shared.i18n import LANGUAGES, language_switcher
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.ui.stored_tokens.list_panel import TokenManager

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


def _sign_in(window: MainWindow, outdir: Path | None, username: str = "demo-seller") -> None:
    """Authorize, wait for the sign-in page (optionally saved), sign in, allow."""
    window.form.authorize.click()
    _wait_signal(_load_finished(window), "the sign-in page")
    if outdir is not None:
        _save(window, outdir, "03-consent-login.png")
    page = _load_finished(window)
    _js(
        window,
        f"document.getElementById('username').value = '{username}';"
        "document.getElementById('password').value = 'pw';"
        "document.getElementById('login-submit').click(); true",
    )
    _wait_signal(page, "the consent page")
    _js(window, "document.getElementById('consent-allow').click(); true")


def _button(parent: QWidget, name: str) -> QPushButton:
    button = parent.findChild(QPushButton, name)
    if button is None:
        raise LookupError(name)
    return button


def _show(window: MainWindow) -> MainWindow:
    window.show()
    _spin(SETTLE_MS)
    return window


def _close(window: MainWindow) -> None:
    window.close()
    window.shutdown()
    window.deleteLater()
    _spin(SETTLE_MS)


def _stored_window() -> MainWindow:
    """A window on the settings file and keyring, once its profile's keyring answer came."""
    window = MainWindow(storage=ProfileStore())
    assert window.stored_tokens is not None
    loaded = window.stored_tokens.loaded
    window.show()
    _wait_signal(loaded, "the keyring")
    return window


def _has_seller(manager: TokenManager, name: str) -> bool:
    return any(record.seller_name == name for record in manager.records())


def _take_stored_tokens(outdir: Path, server: SandboxServer) -> None:
    """06: three sellers signed in under one profile, bob-shop's token checked."""
    from keyring_service import IsolatedDirs, private_secret_service

    root = Path(os.environ["HOME"])
    dirs = IsolatedDirs(root, root, root / "config", root / "data", root / "cache", root / "run")
    with private_secret_service(dirs):
        window = _stored_window()
        assert window.profiles is not None
        assert window.stored_tokens is not None
        manager = window.stored_tokens.manager
        window.profiles.create_profile("Three shops", sandbox_config(server))
        for seller in ("alice-shop", "bob-shop", "carol-shop"):
            _sign_in(window, None, seller)
            _wait(partial(_has_seller, manager, seller), f"{seller}'s token stored")
        bob = next(r for r in manager.records() if r.seller_name == "bob-shop")
        manager.select_seller(bob.seller_id)
        _button(manager, "seller_copy").click()
        _button(manager, "seller_check").click()
        _wait(lambda: "sellers/me: bob-shop" in manager.result.text(), "the check")
        window.resize(1280, 820)
        _save(window, outdir, "06-token-manager.png")
        _take_api_console(window, outdir, bob.seller_id)
        _close(window)


def _take_api_console(window: MainWindow, outdir: Path, seller_id: int) -> None:
    """10: the seller API console raised beside the stored tokens: one seller's products."""
    console = window.api_console
    window.resize(1280, 960)
    console.open_for(seller_id)
    panel = console.panel
    panel.preset.setCurrentIndex(panel.preset.findData("/integration/v2/products"))
    panel.path.setText("/integration/v2/products?limit=2&include=inventory")
    panel.send.click()
    _wait_signal(console.finished, "the seller API's answer")
    tree = panel.tree
    tree.select_key("[0]")
    tree.view.expand(tree.view.currentIndex())
    _save(window, outdir, "10-api-console.png")


def _take_no_keyring(outdir: Path, server: SandboxServer) -> None:
    """07: no keyring: the notice, a saved profile, a sign-in whose tokens were not stored."""
    window = _stored_window()
    assert window.profiles is not None
    assert window.stored_tokens is not None
    manager = window.stored_tokens.manager
    window.profiles.create_profile("No keyring", sandbox_config(server))
    _sign_in(window, None, "seller-nokeyring")
    not_stored = QCoreApplication.translate(
        "StoredTokensController", "No keyring: this token was not stored (copy it now)."
    )
    _wait(lambda: manager.result.text() == not_stored, "the tokens not stored")
    window.resize(1200, 780)
    _save(window, outdir, "07-no-keyring.png")
    _close(window)


def _take_sign_in_panes(outdir: Path, server: SandboxServer) -> None:
    """08: the system browser's paste pane refusing a wrong URL; 09: a timeline."""
    window = _show(MainWindow(sandbox_config(server, sign_in=SignIn.PASTE)))
    opened: list[str] = []
    window.system_browser_pane.opener = opened.append  # launch nothing
    window.form.authorize.click()
    _wait(lambda: bool(opened), "the system browser")
    pane = window.system_browser_pane
    pane.pasted_url.setText("https://evil.example/callback?code=x")
    pane.use_pasted_url.click()
    _wait(lambda: bool(pane.paste_message.text()), "the paste refused")
    _save(window, outdir, "08-system-browser.png")
    _close(window)

    window = _show(MainWindow(sandbox_config(server, use_pkce=True)))
    _sign_in(window, None)
    panel = window.timeline_panel
    _wait(lambda: "HTTP 200" in panel.text.toPlainText(), "the timeline")
    panel.copy_timeline.click()
    _save(window, outdir, "09-timeline.png")
    _close(window)


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

    with SandboxServer() as server:
        _take_no_keyring(outdir, server)
        _take_sign_in_panes(outdir, server)
        _take_stored_tokens(outdir, server)


def _scratch_home() -> None:
    """Settings, browser data and keyring files in a throw-away home; no keyring at first."""
    home = Path(tempfile.mkdtemp(prefix="tiki-gui-screenshots-"))
    for name, folder in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "run"),
    ):
        (home / folder).mkdir(mode=0o700, exist_ok=True)
        os.environ[name] = str(home / folder)
    for name in ("TIKI_GUI_CONFIG_DIR", "TIKI_GUI_RUNTIME_DIR", "TIKI_GUI_DATA_DIR"):
        os.environ.pop(name, None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


def main(argv: list[str]) -> int:
    language = "en"
    if len(argv) == 3 and argv[0] == "--language" and argv[1] in LANGUAGES:
        language, argv = argv[1], argv[2:]
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    _scratch_home()
    qapp = QApplication.instance()
    app.prepare_qt()
    if qapp is None:
        qapp = QApplication([sys.argv[0]])
    language_switcher().switch(language)  # remembered in the scratch home only
    take(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
