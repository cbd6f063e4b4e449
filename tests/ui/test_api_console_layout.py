"""The seller API console on a laptop screen: with its tab shown, the window still fits a
1366x768 screen (its parts scroll inside the dock instead of pushing the window past the screen's
bottom edge, which a window manager would then cut off)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import first_window_size

from . import seller_list
from .api_console_helpers import console_of
from .seller_list import CLIENT, file_tokens
from .stored_window import ProfileWindowFactory

server = seller_list.server  # the fixture: a sandbox that knows only CLIENT

LAPTOP_AVAILABLE = QRect(0, 0, 1366, 728)  # 1366x768 less a 40 px taskbar


def test_the_window_with_the_console_shown_fits_a_laptop_screen(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    file_tokens(server, CLIENT, "laptop-shop")
    window, _, _ = profile_window()
    laptop = first_window_size(LAPTOP_AVAILABLE)
    window.resize(laptop)
    console = console_of(window)
    dock = console.dock
    assert dock is not None
    dock.show()
    dock.raise_()
    QApplication.processEvents()
    assert console.panel.isVisible()
    assert window.minimumSizeHint().height() <= laptop.height()
    assert window.minimumSize().height() <= laptop.height()
    window.resize(laptop)
    QApplication.processEvents()
    assert window.height() <= laptop.height()  # the console did not push the window taller
    scroll = dock.findChild(QScrollArea, "api_console_scroll")
    assert scroll is not None
    assert scroll.widget() is console.panel  # the panel scrolls instead
