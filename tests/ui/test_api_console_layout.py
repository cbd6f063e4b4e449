"""The seller API console on a laptop screen: with its tab shown, the window still fits a
1366x768 screen (its parts scroll inside the dock instead of pushing the window past the screen's
bottom edge, which a window manager would then cut off)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.api_console.dock import CONSOLE_SHARE
from tiki_gui.ui.main_window import first_window_size

from . import seller_list
from .api_console_helpers import console_of, send_and_wait
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


def test_on_a_laptop_the_console_gets_room_and_the_answer_is_scrolled_into_view(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    file_tokens(server, CLIENT, "laptop-answer-shop")
    window, _, _ = profile_window()
    window.resize(first_window_size(LAPTOP_AVAILABLE))
    window.show()
    QApplication.processEvents()
    tokens_height = window.token_dock.height()
    console = console_of(window)
    dock = console.dock
    assert dock is not None
    dock.raise_()
    qtbot.waitUntil(lambda: console.panel.isVisible(), timeout=5000)
    QApplication.processEvents()
    assert dock.height() > tokens_height  # the dock grew for the console
    assert dock.height() <= int(window.height() * CONSOLE_SHARE) + 1
    scroll = dock.findChild(QScrollArea, "api_console_scroll")
    assert isinstance(scroll, QScrollArea)
    scroll.verticalScrollBar().setValue(0)
    send_and_wait(qtbot, window)
    QApplication.processEvents()
    tabs_top = console.panel.tabs.mapTo(scroll.viewport(), QPoint(0, 0)).y()
    assert 0 <= tabs_top < scroll.viewport().height()  # the answer's tabs are in view
