"""Tokens are never lost silently (issue 12, item 3): Enter in a field starts a new sign-in, but
the tokens on screen stay reachable, and a window-wide shortcut copies the access token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.signin.flow import FlowResult, FlowState

from .conftest import WindowFactory
from .flow_helpers import sandbox_config, wait_for_state

ACCESS = "ory_at_a2VlcA.bm90LWxvc3Q"


def _tokens() -> TokenSet:
    now = datetime.now(UTC)
    return TokenSet(
        access_token=ACCESS,
        token_type="bearer",
        obtained_at=now,
        expires_at=now + timedelta(hours=1),
    )


def test_enter_in_a_field_keeps_the_tokens_on_screen_reachable(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    config = sandbox_config(sandbox)
    window = make_window(config)
    tokens = _tokens()
    window.flow_view.show_tokens(FlowResult(config.profile, tokens))
    QTest.keyClick(window.form.client_id, Qt.Key.Key_Return)  # Enter: a new sign-in
    assert window.flow.state is FlowState.CONSENT
    assert "previous tokens" in window.statusBar().currentMessage()
    window.flow.cancel()
    wait_for_state(qtbot, window, FlowState.CANCELLED)
    window.previous_tokens_action.trigger()
    assert window.pages.currentWidget() is window.token_panel
    assert window.token_panel.tokens is tokens


def test_a_window_shortcut_copies_the_access_token(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    config = sandbox_config(sandbox)
    window = make_window(config)
    window.flow_view.show_tokens(FlowResult(config.profile, _tokens()))
    QGuiApplication.clipboard().clear()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.form.client_id.setFocus()
    QTest.keyClick(
        window.form.client_id,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QGuiApplication.clipboard().text() == ACCESS
