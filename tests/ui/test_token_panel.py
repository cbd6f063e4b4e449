"""TokenPanel: the values, the copy buttons (exact clipboard contents), the countdown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tiki_gui.core.tokens import TokenSet
from tiki_gui.ui.signin.obtained_tokens_panel import TokenPanel, format_countdown

ACCESS = "ory_at_Zm9vYmFy.c2VjcmV0LXBhcnQ"
REFRESH = "ory_rt_cmVmcmVzaA.dG9rZW4"


def _tokens(expires_in: float | None = 3599, refresh: str | None = REFRESH) -> TokenSet:
    now = datetime.now(UTC)
    return TokenSet(
        access_token=ACCESS,
        token_type="bearer",
        obtained_at=now,
        expires_at=None if expires_in is None else now + timedelta(seconds=expires_in),
        refresh_token=refresh,
        scope=("offline", "product"),
    )


@pytest.fixture
def panel(qtbot: QtBot) -> TokenPanel:
    widget = TokenPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_values_are_shown_masked_and_read_only(qtbot: QtBot, panel: TokenPanel) -> None:
    panel.set_tokens(_tokens())
    assert panel.access_token.text() == ACCESS
    assert panel.refresh_token.text() == REFRESH
    assert panel.access_token.isReadOnly()
    assert panel.refresh_token.isReadOnly()
    assert panel.access_token.echoMode() is QLineEdit.EchoMode.Password
    assert panel.token_type.text() == "bearer"
    assert panel.granted_scope.text() == "offline product"
    assert "(local time)" in panel.expires_at.text()
    assert panel.expires_in.text() in ("expires in 59:59", "expires in 59:58")
    QTest.mouseClick(panel.show_tokens, Qt.MouseButton.LeftButton)
    assert panel.access_token.echoMode() is QLineEdit.EchoMode.Normal
    assert panel.refresh_token.echoMode() is QLineEdit.EchoMode.Normal


def test_copy_buttons_copy_exactly_the_value(qtbot: QtBot, panel: TokenPanel) -> None:
    panel.set_tokens(_tokens())
    clipboard = QGuiApplication.clipboard()
    with qtbot.waitSignal(panel.copied) as copied:
        QTest.mouseClick(panel.copy_access_token, Qt.MouseButton.LeftButton)
    assert clipboard.text() == ACCESS
    assert copied.args == ["Access token"]
    QTest.mouseClick(panel.copy_refresh_token, Qt.MouseButton.LeftButton)
    assert clipboard.text() == REFRESH
    QTest.mouseClick(panel.copy_access_header, Qt.MouseButton.LeftButton)
    assert clipboard.text() == f"Authorization: Bearer {ACCESS}"
    QTest.mouseClick(panel.copy_scope, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "offline product"


def test_no_refresh_token_disables_its_copy(panel: TokenPanel) -> None:
    panel.set_tokens(_tokens(refresh=None))
    assert panel.refresh_token.text() == ""
    assert "offline" in panel.refresh_token.placeholderText()
    assert not panel.copy_refresh_token.isEnabled()


def test_countdown_ticks_every_second(qtbot: QtBot, panel: TokenPanel) -> None:
    panel.set_tokens(_tokens(expires_in=2.5))
    first = panel.expires_in.text()
    assert first in ("expires in 0:02", "expires in 0:01")
    qtbot.waitUntil(lambda: panel.expires_in.text() != first, timeout=2500)
    qtbot.waitUntil(lambda: panel.expires_in.text().startswith("expired"), timeout=4000)


def test_no_expiry_means_no_countdown(panel: TokenPanel) -> None:
    panel.set_tokens(_tokens(expires_in=None))
    assert panel.expires_in.text() == ""
    assert "No expiry" in panel.expires_at.placeholderText()


def test_clear_forgets_the_tokens(panel: TokenPanel) -> None:
    panel.set_tokens(_tokens())
    panel.clear()
    assert panel.tokens is None
    assert panel.access_token.text() == ""
    assert panel.expires_in.text() == ""


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (3599, "expires in 59:59"),
        (3600 * 2 + 3, "expires in 2:00:03"),
        (5, "expires in 0:05"),
        (0, "expired"),
        (-65, "expired 1:05 ago"),
        (86400 * 30, "expires in 30 days"),
    ],
)
def test_format_countdown(seconds: int, text: str) -> None:
    assert format_countdown(timedelta(seconds=seconds)) == text


def test_the_copy_key_copies_the_real_value_of_a_masked_token(panel: TokenPanel) -> None:
    QGuiApplication.clipboard().clear()
    panel.set_tokens(_tokens())
    assert panel.access_token.echoMode() is QLineEdit.EchoMode.Password
    panel.access_token.setFocus()
    QTest.keyClick(panel.access_token, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == ACCESS
    QTest.keyClick(panel.refresh_token, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == REFRESH
    assert not panel.needs_keeping  # copied: nothing would be lost


def test_a_new_sign_in_keeps_the_previous_tokens_reachable(panel: TokenPanel) -> None:
    tokens = _tokens()
    panel.set_tokens(tokens)
    assert panel.needs_keeping
    panel.clear()
    assert panel.tokens is None
    assert panel.previous is tokens


def test_values_too_long_for_their_field_show_their_start(panel: TokenPanel) -> None:
    # A narrow panel: the expiry date's start ("12/6/2026 ...") must not scroll out of view.
    panel.resize(260, panel.sizeHint().height())
    panel.set_tokens(_tokens())
    fields = (
        panel.access_token,
        panel.refresh_token,
        panel.token_type,
        panel.granted_scope,
        panel.expires_at,
    )
    for field in fields:
        assert field.text(), field.objectName()
        assert field.cursorPosition() == 0, field.objectName()
    assert panel.expires_at.width() < panel.expires_at.fontMetrics().horizontalAdvance(
        panel.expires_at.text()
    )  # the case this is about: the text is wider than its field
