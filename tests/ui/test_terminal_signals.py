"""Ctrl+C and SIGTERM close the window through the signal's wake-up byte, not a polling timer."""

from __future__ import annotations

import os
import signal
import threading
import time

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.ui.terminal_signals import quit_on_terminal_signals


class _Window(QWidget):
    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self._loop = loop

    def closeEvent(self, event: QCloseEvent) -> None:
        self._loop.quit()
        super().closeEvent(event)


def test_sigterm_closes_the_window_from_an_idle_event_loop(qtbot: QtBot) -> None:
    loop = QEventLoop()
    window = _Window(loop)
    qtbot.addWidget(window)
    window.show()
    gave_up = QTimer(singleShot=True, interval=10_000)
    gave_up.timeout.connect(loop.quit)
    before = signal.getsignal(signal.SIGTERM)
    with quit_on_terminal_signals(window):
        assert signal.getsignal(signal.SIGTERM) is not before
        # Sent while the loop runs (sent from here, Python would run the handler at once).
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()
        began = time.monotonic()
        gave_up.start()
        # A C++ event loop: no Python runs in it until some slot does, so only the notifier on
        # the wake-up socket can let the handler close the window before the 10 s give-up.
        loop.exec()
        waited = time.monotonic() - began
    gave_up.stop()
    assert not window.isVisible()
    assert waited < 9, waited
    assert signal.getsignal(signal.SIGTERM) is before


def test_the_wakeup_fd_and_handlers_are_given_back() -> None:
    window = QWidget()
    previous_int = signal.getsignal(signal.SIGINT)
    previous_fd = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(previous_fd)
    with quit_on_terminal_signals(window):
        ours = signal.set_wakeup_fd(-1)
        signal.set_wakeup_fd(ours)
        assert ours not in (-1, previous_fd)
    assert signal.set_wakeup_fd(previous_fd) == previous_fd
    assert signal.getsignal(signal.SIGINT) is previous_int
