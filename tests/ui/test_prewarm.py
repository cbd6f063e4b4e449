"""The QtWebEngine pre-warm (issue 11, P2): every way a person presses Authorize is preceded by one
of its triggers, nothing else starts it, and it loads the modules from the event loop one step at
a time (the GUI thread is never blocked for all of them at once). Not timed: the bench times it."""

from __future__ import annotations

import sys

import pytest
from child_processes import run_qt_driver
from keyring_service import IsolatedDirs
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.prewarm import WebEnginePrewarm
from tiki_gui.webengine import MODULES


class _Form(QWidget):
    """A field and an Authorize button, like the credentials form's."""

    def __init__(self) -> None:
        super().__init__()
        self.client_id = QLineEdit(self)
        self.authorize = QPushButton("Authorize", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.client_id)
        layout.addWidget(self.authorize)


@pytest.fixture
def form(qtbot: QtBot) -> _Form:
    made = _Form()
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def _watching(form: _Form) -> WebEnginePrewarm:
    return WebEnginePrewarm(form, form.authorize, form)


def test_the_press_action_triggers_before_the_click(qtbot: QtBot, form: _Form) -> None:
    # An accessibility tool's press action (and a mouse button or Space held down) emits pressed
    # before clicked: Qt's animateClick, what QAccessibleButton's press action calls.
    prewarm = _watching(form)
    at_click: list[bool] = []
    form.authorize.clicked.connect(lambda: at_click.append(prewarm.triggered))
    form.authorize.animateClick()
    assert prewarm.triggered
    qtbot.waitUntil(lambda: at_click != [], timeout=5_000)
    assert at_click == [True]


def test_a_key_pressed_in_a_field_triggers(form: _Form) -> None:
    # The Ctrl of Ctrl+Return (the Authorize shortcut) comes down before Return.
    form.client_id.setFocus()
    prewarm = _watching(form)
    QTest.keyPress(form.client_id, Qt.Key.Key_Control)
    assert prewarm.triggered
    assert form.client_id.text() == ""


def test_the_focus_given_by_the_window_alone_does_not_trigger(form: _Form) -> None:
    prewarm = _watching(form)
    form.client_id.setFocus()  # where the window puts the focus when it opens
    form.client_id.clearFocus()
    form.client_id.setFocus()
    assert not prewarm.triggered
    form.authorize.setFocus()  # Tab to Authorize: Space or Enter next
    assert prewarm.triggered


def test_once_triggered_it_watches_no_more(qtbot: QtBot, form: _Form) -> None:
    prewarm = _watching(form)
    prewarm.trigger()
    with qtbot.waitSignal(prewarm.warmed, timeout=30_000):
        pass
    prewarm.trigger()
    QTest.keyPress(form.client_id, Qt.Key.Key_Control)
    with qtbot.assertNotEmitted(prewarm.warmed, wait=100):
        form.authorize.animateClick()


_STEPS_DRIVER = """
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from tiki_gui.app import _application, launch

WATCHED = set(json.loads(sys.argv[1]))
ticks = [0]
found_at = {}

class Recorder:  # notes the event-loop step in which each watched module is imported
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name in WATCHED and name not in found_at:
            found_at[name] = ticks[0]
            if name == "PySide6.QtWebEngineCore" and sys.platform.startswith("linux"):
                with open("/proc/self/maps") as maps:  # its library loaded a step earlier?
                    found_at["library_first"] = "libQt6WebEngineCore.so" in maps.read()
        return None

sys.meta_path.insert(0, Recorder)
app = _application()
session = launch([])
window = session.window
ticker = QTimer()
ticker.setInterval(0)
ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))

def touch():
    seen_before = sorted(name for name in WATCHED if name in sys.modules)
    found_at.clear()
    found_at["loaded_before"] = seen_before
    ticker.start()
    QTest.keyPress(window.form.client_id, "1")

def warmed():
    ticker.stop()
    print(json.dumps({"found_at": found_at}), flush=True)
    session.close()
    os._exit(0)

def watch():
    if not window.staging_done:  # every step after the paint done: the pre-warm watches
        QTimer.singleShot(50, watch)
        return
    window.prewarm.warmed.connect(warmed)
    QTimer.singleShot(0, touch)

QTimer.singleShot(500, watch)
QTimer.singleShot(60000, lambda: (print(json.dumps({"timeout": found_at})), os._exit(1)))
app.exec()
"""


_WITHOUT_QT = (
    "tiki_gui.webengine.location",
    "tiki_gui.webengine.navigation",
    "tiki_gui.webengine.net_errors",
)


def test_the_pre_warm_loads_one_module_per_event_loop_step(isolated_dirs: IsolatedDirs) -> None:
    import json

    seen = run_qt_driver(_STEPS_DRIVER, json.dumps(MODULES))
    found_at = seen["found_at"]
    # Linux wheels: QtWebEngineCore's own library (the largest piece) is loaded in a step before.
    assert found_at.pop("library_first", None) is (
        True if sys.platform.startswith("linux") else None
    )
    # The browser's modules that need no QtWebEngine are loaded after the window's first paint.
    assert found_at.pop("loaded_before") == sorted(_WITHOUT_QT)
    rest = [name for name in MODULES if name not in _WITHOUT_QT]
    assert set(found_at) == set(rest), found_at
    steps = [found_at[name] for name in rest]
    assert steps == sorted(steps), found_at  # in order
    assert len(set(steps)) == len(rest), found_at  # each in a step of its own


def _watched_window(qtbot: QtBot) -> tuple[MainWindow, WebEnginePrewarm]:
    """A window shown, once its pre-warm watches (made after the first paint)."""
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: window.shutdown())
    window.show()
    qtbot.waitUntil(lambda: window.prewarm is not None, timeout=10_000)
    prewarm = window.prewarm
    assert prewarm is not None
    return window, prewarm


def test_file_authorize_highlighted_in_the_menu_triggers(qtbot: QtBot) -> None:
    window, prewarm = _watched_window(qtbot)
    assert not prewarm.triggered
    window.authorize_action.hover()  # what the menu does when the item is highlighted
    assert prewarm.triggered


def test_ctrl_pressed_anywhere_in_the_window_triggers(qtbot: QtBot) -> None:
    # Ctrl+Return works from the menu bar, the profile toolbar or the stored tokens as well:
    # its Ctrl, pressed outside the form, is a trigger too; in another window it is not.
    window, prewarm = _watched_window(qtbot)
    other = QWidget()
    qtbot.addWidget(other)
    QTest.keyPress(other, Qt.Key.Key_Control)
    QTest.keyPress(window.flow_status, Qt.Key.Key_A)  # a key, not Ctrl, outside the form
    assert not prewarm.triggered
    QTest.keyPress(window.flow_status, Qt.Key.Key_Control)
    assert prewarm.triggered
