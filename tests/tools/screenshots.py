"""Screenshots of tiki-gui's main states, taken from the real app offscreen.

    uv run python tests/tools/screenshots.py OUTDIR
    uv run python tests/tools/screenshots.py --language vi resources/screenshots/vi

Runs the app's own window against in-process sandboxes, with its settings in a throw-away home
folder. For each screen (1366x768 and 1920x1080: the window takes the size the app gives it on
that screen's available area, a 40 px taskbar left out) and each scheme (light, and dark: the
app's dark palette) it writes ``SIZE-SCHEME-NN-name.png``:

- ``01-first-run``    ``tiki-gui`` as a new user opens it: no keyring, Tiki production
- ``02-form``         "Try it on the sandbox" pressed: the demo app filled in
- ``03-sign-in``      Authorize pressed: the sandbox's sign-in page in the window
- ``04-tokens``       signed in and allowed: the tokens
- ``05-error``        the same app with the wrong auth method: invalid_client, with its fix
- ``06-stored-tokens`` a private Secret Service: three sellers' tokens stored, one checked
- ``10-api-console``  the same window's seller API console: a stored seller's products as a
  JSON tree

and, at 1366x768 in the light scheme, ``08-system-browser.png`` (a wrong pasted URL refused)
and ``09-timeline.png`` (a sign-in with PKCE, and its timeline).

``--language vi`` (default ``en``) loads the language as the app's Language menu does (through
``language_switcher()``) and writes the same file names, for ``resources/screenshots/vi/``.
Waits never read English text: they watch states and signals, or compare with the translation.

06 and 10 need a private Secret Service (``tests/keyring_service.py``: dbus-daemon and
gnome-keyring-daemon must be installed). Pages are grabbed 50 ms after ``loadFinished``.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: keyring_service, ui

from PySide6.QtCore import QCoreApplication, QEventLoop, QRect, QTimer, SignalInstance
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QPushButton, QWidget
from ui.flow_helpers import sandbox_config  # the form's value for the sandbox's demo app

from tiki_gui import app
from tiki_gui.core.options import SignIn
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.storage import ProfileStore
from tiki_gui.ui.main_window import FRAME_ALLOWANCE, MainWindow, first_window_size
from tiki_gui.ui.shared.colors import dark_palette
from tiki_gui.ui.shared.i18n import LANGUAGES, language_switcher
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.ui.stored_tokens.list_panel import TokenManager

TIMEOUT_S = 20.0
SETTLE_MS = 50
SCREENS = (  # name, the available area (a 40 px taskbar left out)
    ("1366x768", QRect(0, 0, 1366, 728)),
    ("1920x1080", QRect(0, 0, 1920, 1040)),
)
LAPTOP = SCREENS[0][1]


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


def _sign_in(
    window: MainWindow, outdir: Path | None, username: str = "demo-seller", name: str = ""
) -> None:
    """Authorize, wait for the sign-in page (saved as ``name`` in ``outdir``), sign in, allow."""
    window.form.authorize.click()
    _wait_signal(_load_finished(window), "the sign-in page")
    if outdir is not None:
        _save(window, outdir, name)
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


def _take_stored_tokens(outdir: Path, server: SandboxServer, prefix: str, screen: QRect) -> None:
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
        checked = {
            QCoreApplication.translate("StoredTokensController", text).format(
                seller=bob.seller_name, id=bob.seller_id
            )
            for text in (
                "sellers/me: {seller} (id {id}, active): the token works.",
                "sellers/me: {seller} (id {id}, inactive): the token works.",
            )
        }
        _wait(lambda: manager.result.text() in checked, "the check")
        window.resize(first_window_size(screen))
        tokens_dock = window.findChild(QDockWidget, "token_manager_dock")
        assert tokens_dock is not None
        tokens_dock.raise_()  # the Seller API's tab shares its place
        _save(window, outdir, f"{prefix}06-stored-tokens.png")
        _take_api_console(window, outdir, prefix, screen, bob.seller_id)
        _close(window)


def _take_api_console(
    window: MainWindow, outdir: Path, prefix: str, screen: QRect, seller_id: int
) -> None:
    """10: the seller API console raised beside the stored tokens: one seller's products, the
    window made taller for the answer's tree (up to 960 px, as far as the screen allows)."""
    console = window.api_console
    size = first_window_size(screen)
    window.resize(size.width(), max(size.height(), min(960, screen.height() - FRAME_ALLOWANCE)))
    console.open_for(seller_id)
    panel = console.panel
    panel.preset.setCurrentIndex(panel.preset.findData("/integration/v2/products"))
    panel.path.setText("/integration/v2/products?limit=2&include=inventory")
    panel.send.click()
    _wait_signal(console.finished, "the seller API's answer")
    tree = panel.tree
    tree.select_key("[0]")
    tree.view.expand(tree.view.currentIndex())
    _save(window, outdir, f"{prefix}10-api-console.png")


def _take_sign_in_panes(outdir: Path, server: SandboxServer) -> None:
    """08: the system browser's paste pane refusing a wrong URL; 09: a timeline."""
    window = _show(MainWindow(sandbox_config(server, sign_in=SignIn.PASTE)))
    window.resize(first_window_size(LAPTOP))
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
    window.resize(first_window_size(LAPTOP))
    _sign_in(window, None)
    panel = window.timeline_panel

    def answered() -> bool:
        timeline = panel.timeline
        entries = timeline.entries if timeline is not None else ()
        return any(entry.status_code == 200 for entry in entries)

    _wait(answered, "the timeline")
    panel.copy_timeline.click()
    _save(window, outdir, "09-timeline.png")
    _close(window)


def _take_session(outdir: Path, prefix: str, screen: QRect) -> None:
    """01-05: a first run without a keyring, the sandbox tried from the window, a sign-in, the
    tokens, and the error of the wrong auth method."""
    session = app.launch([])
    window = session.window
    try:
        window.resize(first_window_size(screen))
        profiles = window.profiles
        assert profiles is not None
        _wait(lambda: profiles.keyring_ok is not None, "the keyring's answer")
        _save(window, outdir, f"{prefix}01-first-run.png")
        window.flow_view.try_sandbox.click()
        _wait(
            lambda: (
                window.form.profile().client_id == DEMO_BASIC_CLIENT.client_id
                and window.form.authorize.isEnabled()
            ),
            "the sandbox's demo app in the form",
        )
        _save(window, outdir, f"{prefix}02-form.png")
        _sign_in(window, outdir, name=f"{prefix}03-sign-in.png")
        _wait(lambda: window.flow.state is FlowState.SUCCEEDED, "the tokens")
        _save(window, outdir, f"{prefix}04-tokens.png")
        window.token_panel.copy_access_token.click()  # copied: quitting loses nothing
        window.form.auth_method.setCurrentIndex(
            window.form.auth_method.findData("client_secret_post")
        )
        _sign_in(window, None)
        _wait(lambda: window.flow.state is FlowState.FAILED, "the error")
        _save(window, outdir, f"{prefix}05-error.png")
    finally:
        session.close()


def take(outdir: Path, language: str = "en") -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    app.prepare_qt()
    light = QPalette(QApplication.palette())
    for size, screen in SCREENS:
        for scheme in ("light", "dark"):
            QApplication.setPalette(dark_palette() if scheme == "dark" else light)
            prefix = f"{size}-{scheme}-"
            _scratch_home(language)  # each a first run
            _take_session(outdir, prefix, screen)
            _scratch_home(language)
            with SandboxServer() as server:
                _take_stored_tokens(outdir, server, prefix, screen)
    QApplication.setPalette(light)
    _scratch_home(language)
    with SandboxServer() as server:
        _take_sign_in_panes(outdir, server)


def _scratch_home(language: str = "en") -> None:
    """Settings, browser data and keyring files in a throw-away home; no keyring at first; the
    UI in ``language``, chosen as in the Language menu (remembered in that home only)."""
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
    if QCoreApplication.instance() is not None:
        switcher = language_switcher()
        switcher.switch(language)
        assert switcher.language == language


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
    take(Path(argv[0]), language)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
