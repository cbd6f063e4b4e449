"""Fixtures for the UI tests: a shown main window, the sandbox, and leak checks.

``tests/conftest.py`` sets the offscreen platform, ``AA_ShareOpenGLContexts`` and the short list
of Qt messages a headless run always prints; everything else Qt warns about fails the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyring_service import IsolatedDirs, isolated_dirs, secret_service
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from qt_fixtures import _no_leftovers, listener, listener_sandbox
from scripted_server import ScriptedServer

from tiki_gui.storage.profiles import ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.shared.i18n import LanguageSwitcher, language_switcher

from .fake_token_endpoint import Mode, faulty_token_endpoint
from .stored_window import profile_window, stored_window

__all__ = [  # the fixtures registered for the UI tests
    "_no_leftovers", "isolated_dirs", "listener", "listener_sandbox", "profile_window",
    "secret_service", "stored_window",
]  # fmt: skip

WindowFactory = Callable[..., MainWindow]


def _shutdown(widget: QWidget) -> None:
    if isinstance(widget, MainWindow):
        widget.shutdown()


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[WindowFactory]:
    """Make a shown MainWindow; shut down (browser, token request, HTTP) and deleted after.

    The fixture holds the windows: qtbot keeps only weak references, and a window whose last
    Python reference goes away is deleted at once, before it could be shut down.
    """
    windows: list[MainWindow] = []

    def make(config: ProfileWithSecret | None = None, *, banner: str = "") -> MainWindow:
        window = MainWindow(config, banner=banner)
        windows.append(window)
        qtbot.addWidget(window, before_close_func=_shutdown)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    windows.clear()


@pytest.fixture
def fake_token_endpoint() -> Iterator[Callable[[Mode], ScriptedServer]]:
    """Make misbehaving token endpoints on 127.0.0.1; closed after the test."""
    made: list[ScriptedServer] = []

    def make(mode: Mode) -> ScriptedServer:
        made.append(faulty_token_endpoint(mode))
        return made[-1]

    yield make
    for endpoint in made:
        endpoint.close()


@pytest.fixture
def no_keyring(isolated_dirs: IsolatedDirs) -> Iterator[None]:
    """No keyring answers (keyring's fail backend), in the test's own folders."""
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]  # keyring's fail backend has no annotations
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def vietnamese(qapp: QApplication, tmp_path: Path) -> Iterator[LanguageSwitcher]:
    """The application's switcher set to Vietnamese (settings in tmp_path); English after."""
    switcher = language_switcher()
    switcher._settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    switcher.switch("vi")
    yield switcher
    switcher.switch("en")
