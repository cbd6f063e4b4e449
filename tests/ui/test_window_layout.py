"""The window on a laptop screen, and by keyboard (issue 12, items 1 and 9).

The realistic first run: storage with no keyring (the notice shows), the sandbox's client in the
form, the window at the size it takes on a 1366x768 screen whose taskbar leaves 1366x728.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import MainWindow, first_window_size
from tiki_gui.ui.signin.flow import FlowState

from .flow_helpers import click_authorize, sandbox_config, wait_for_state
from .stored_window import StoredWindowFactory

LAPTOP_AVAILABLE = QRect(0, 0, 1366, 728)  # 1366x768 less a 40 px taskbar


@pytest.fixture
def laptop_window(
    no_keyring: None, stored_window: StoredWindowFactory, sandbox: SandboxServer
) -> MainWindow:
    window = stored_window()
    window.resize(first_window_size(LAPTOP_AVAILABLE))
    window.form.set_value(sandbox_config(sandbox))
    QApplication.processEvents()
    return window


def _fits(inner: QWidget, window: MainWindow) -> bool:
    """``inner`` is shown whole inside the window's client area."""
    if not inner.isVisible() or inner.visibleRegion().isEmpty():
        return False
    top_left = inner.mapTo(window, inner.rect().topLeft())
    shown = inner.visibleRegion().boundingRect()
    return shown.size() == inner.size() and window.rect().contains(QRect(top_left, inner.size()))


def test_the_first_window_fits_the_screens_available_area(
    qtbot: QtBot, no_keyring: None, stored_window: StoredWindowFactory
) -> None:
    window = stored_window()
    available = window.screen().availableGeometry()
    assert window.width() <= available.width()
    assert window.height() <= available.height()
    laptop = first_window_size(LAPTOP_AVAILABLE)
    assert laptop.width() <= 1366
    assert laptop.height() <= 728 - 30  # room for a title bar


def test_first_run_hides_what_is_empty(laptop_window: MainWindow) -> None:
    window = laptop_window
    assert not window.token_dock.isVisible()  # no stored token yet
    assert not window.timeline_panel.isVisible()  # no sign-in yet
    assert window.profile_toolbar.isVisible()


def test_the_consent_page_gets_two_thirds_of_a_laptop_window(
    qtbot: QtBot, laptop_window: MainWindow
) -> None:
    window = laptop_window
    browser = click_authorize(qtbot, window)
    view = browser.findChild(QWidget, "consent_view")
    assert view is not None
    qtbot.waitUntil(lambda: view.isVisible() and view.height() > 0)
    QApplication.processEvents()
    share = view.width() * view.height() / (window.width() * window.height())
    assert share >= 2 / 3, f"the consent page gets {share:.0%} of the window"
    assert window.cancel.isVisible()  # the way out stays in view
    window.flow.cancel()
    wait_for_state(qtbot, window, FlowState.CANCELLED)
    assert window.form_column.isVisible()  # the form is back


def test_authorize_stays_in_view_with_advanced_open(laptop_window: MainWindow) -> None:
    window = laptop_window
    window.form.advanced_toggle.setChecked(True)
    QApplication.processEvents()
    assert _fits(window.form.authorize, window)


def test_tab_starts_in_the_profile_bar_and_has_no_unnamed_stop(
    laptop_window: MainWindow,
) -> None:
    window = laptop_window
    assert window.profiles is not None
    bar = window.profiles.bar
    stops: list[QWidget] = []
    widget: QWidget = bar.profile
    for _ in range(500):
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.window() is window
        ):
            stops.append(widget)
        following = widget.nextInFocusChain()
        if following is None or following is bar.profile:
            break
        widget = following
        if widget is bar.profile:
            break
    names = [stop.objectName() for stop in stops]
    assert "form_scroll" not in names
    assert all(stop.accessibleName() or stop.objectName() for stop in stops), names
    assert names.index("profile_export") < names.index("client_id") < names.index("authorize")
    assert names.index("profile") == 0


def test_authorize_is_one_keystroke_away_and_says_so(
    qtbot: QtBot, laptop_window: MainWindow
) -> None:
    window = laptop_window
    # Named once the window is painted (QKeySequence's class: not before the first paint).
    qtbot.waitUntil(lambda: window.staging_done)
    assert "Ctrl+Return" in window.form.authorize.toolTip()
    assert window.authorize_action.shortcut().toString() == "Ctrl+Return"  # shown in the menu
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.profiles is not None
    profile = window.profiles.bar.profile
    profile.setFocus()  # not in the form: the window's shortcut
    QTest.keyClick(profile, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.flow.state is FlowState.CONSENT
    window.flow.cancel()
    qtbot.waitUntil(lambda: not window.flow.running)
    profile.setFocus()
    keypad = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier
    QTest.keyClick(profile, Qt.Key.Key_Enter, keypad)  # Ctrl and the keypad's Enter
    assert window.flow.state is FlowState.CONSENT
    window.flow.cancel()
