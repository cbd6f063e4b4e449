"""The keyring notice (issue 12, item 7): one line with "Why?" and "Dismiss"; the warning comes
when something would be lost (quitting with tokens neither copied nor stored)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.profiles.keyring_notice import KeyringNotice
from tiki_gui.ui.signin.flow import FlowState

from .flow_helpers import sandbox_config
from .stored_window import StoredWindowFactory, authorize_as, profiles_of


def _notice(window: MainWindow) -> KeyringNotice:
    notice = profiles_of(window).bar.notice
    assert isinstance(notice, KeyringNotice)
    return notice


def test_the_notice_is_one_line_with_why_and_dismiss(
    qtbot: QtBot, no_keyring: None, stored_window: StoredWindowFactory
) -> None:
    window = stored_window()
    notice = _notice(window)
    assert notice.isVisible()
    line = notice.label.fontMetrics().height()
    assert notice.label.height() < 2 * line  # one line, not three
    assert "\n" not in notice.label.text()
    notice.why.click()
    assert notice.box is not None
    assert "Install and unlock a keyring" in notice.box.text()
    notice.box.close()
    QApplication.processEvents()
    notice.dismiss.click()
    assert not notice.isVisible()
    profiles_of(window).set_keyring_ok(False)  # found gone again: dismissed stays dismissed
    assert not notice.isVisible()


def _tokens_shown_without_a_keyring(
    qtbot: QtBot, stored_window: StoredWindowFactory, sandbox: SandboxServer, seller: str
) -> MainWindow:
    """A window whose sign-in as ``seller`` succeeded on a profile with no keyring to file in."""
    window = stored_window()
    profiles_of(window).create_profile("No keyring", sandbox_config(sandbox))
    authorize_as(qtbot, window, seller, filed=False)
    return window


def test_quitting_with_tokens_that_would_be_lost_asks_first(
    qtbot: QtBot,
    no_keyring: None,
    stored_window: StoredWindowFactory,
    sandbox: SandboxServer,
) -> None:
    window = _tokens_shown_without_a_keyring(qtbot, stored_window, sandbox, "seller-lost")
    assert window.flow.state is FlowState.SUCCEEDED
    assert window.tokens_would_be_lost()
    window.close()
    assert window.isVisible()  # not closed: asked first
    box = window.findChild(QMessageBox, "tokens_lost_box")
    assert box is not None
    assert box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible()
    window.token_panel.copy_access_token.click()  # copied: nothing to lose
    assert not window.tokens_would_be_lost()
    window.close()
    assert not window.isVisible()


def test_quit_anyway_closes_with_the_tokens_lost(
    qtbot: QtBot,
    no_keyring: None,
    stored_window: StoredWindowFactory,
    sandbox: SandboxServer,
) -> None:
    window = _tokens_shown_without_a_keyring(qtbot, stored_window, sandbox, "seller-quits")
    window.close()
    box = window.findChild(QMessageBox, "tokens_lost_box")
    assert isinstance(box, QMessageBox)
    assert "Quit anyway?" in box.text()
    with qtbot.waitSignal(window.closing, timeout=5000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert not window.isVisible()


def test_the_sandboxs_demo_tokens_are_not_worth_a_warning(
    qtbot: QtBot, no_keyring: None, stored_window: StoredWindowFactory
) -> None:
    window = stored_window()
    window.sandbox_action.trigger()
    profiles = profiles_of(window)
    qtbot.waitUntil(lambda: window.form.authorize.isEnabled())
    assert profiles.current == "Sandbox"
    authorize_as(qtbot, window, "seller-demo", filed=False)
    assert window.token_panel.needs_keeping
    assert not window.tokens_would_be_lost()  # closing quits without asking (self-test, e2e)
