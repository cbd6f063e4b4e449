"""Colours from the palette (issue 12, item 8): on a dark window every status colour and notice
reaches 4.5:1, and the notices are dark too. Contrast is computed from the widgets' palettes
after Qt applied their style sheets (polish), i.e. the colours they are drawn with."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.core.tokens import TokenSet
from tiki_gui.storage.records import SellerRecord
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.profiles.keyring_notice import KeyringNotice
from tiki_gui.ui.shared.colors import MINIMUM_CONTRAST, contrast_ratio, dark_palette, is_dark
from tiki_gui.ui.signin.system_browser_pane import SystemBrowserPane
from tiki_gui.ui.stored_tokens.list_panel import TokenManager

STATUS_COLUMN = 4


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    previous = QApplication.palette()
    if request.param == "dark":
        QApplication.setPalette(dark_palette())
    try:
        yield str(request.param)
    finally:
        QApplication.setPalette(previous)


def _shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    widget.ensurePolished()
    QApplication.processEvents()
    return widget


def test_the_paste_error_is_readable(qtbot: QtBot, scheme: str) -> None:
    pane = _shown(qtbot, SystemBrowserPane(opener=lambda url: None))
    assert isinstance(pane, SystemBrowserPane)
    pane.show_paste_problem("That is not this sign-in's redirect.")
    text = pane.paste_message.palette().color(QPalette.ColorRole.WindowText)
    background = pane.palette().color(QPalette.ColorRole.Window)
    assert is_dark(pane.palette()) is (scheme == "dark")
    assert contrast_ratio(text, background) >= MINIMUM_CONTRAST


def test_expired_and_valid_statuses_are_readable(qtbot: QtBot, scheme: str) -> None:
    manager = _shown(qtbot, TokenManager())
    assert isinstance(manager, TokenManager)
    now = datetime.now(UTC)

    def record(seller_id: int, expires_in: timedelta) -> SellerRecord:
        token = TokenSet("at", "bearer", now - timedelta(hours=2), now + expires_in)
        return SellerRecord(seller_id=seller_id, seller_name=f"s{seller_id}", token=token)

    manager.set_records([record(1, timedelta(hours=-1)), record(2, timedelta(hours=1))])
    background = manager.sellers.palette().color(QPalette.ColorRole.Base)
    for index in range(manager.sellers.topLevelItemCount()):
        item = manager.sellers.topLevelItem(index)
        assert item is not None
        color = item.foreground(STATUS_COLUMN).color()
        ratio = contrast_ratio(color, background)
        assert ratio >= MINIMUM_CONTRAST, f"{item.text(STATUS_COLUMN)}: {ratio:.1f}:1"


def test_the_keyring_notice_follows_the_scheme(qtbot: QtBot, scheme: str) -> None:
    holder = QWidget()
    notice = KeyringNotice(holder)
    _shown(qtbot, holder)
    notice.show_problem()
    QApplication.processEvents()
    background = notice.palette().color(QPalette.ColorRole.Window)
    text = notice.label.palette().color(QPalette.ColorRole.WindowText)
    assert (
        contrast_ratio(background, QApplication.palette().color(QPalette.ColorRole.Window)) < 1.6
    )  # a tint of the window, not a light box on a dark window
    assert contrast_ratio(text, background) >= MINIMUM_CONTRAST


def test_the_notices_follow_a_switch_while_shown(qtbot: QtBot) -> None:
    # The scheme changes while the window is open (the desktop switched): the sandbox banner
    # and the keyring notice take the new palette's colours, and come back with the old one.
    window = MainWindow(banner="Sandbox mode")
    qtbot.addWidget(window, before_close_func=lambda w: window.shutdown())
    holder = QWidget()
    notice = KeyringNotice(holder)
    _shown(qtbot, holder)
    notice.show_problem()
    window.show()

    def looks() -> tuple[bool, bool]:
        QApplication.processEvents()
        return is_dark(_drawn(window.banner)), is_dark(_drawn(notice))

    previous = QApplication.palette()
    light = looks()
    QApplication.setPalette(dark_palette())
    try:
        dark = looks()
    finally:
        QApplication.setPalette(previous)
    assert light == (False, False)
    assert dark == (True, True)
    assert looks() == light


def _drawn(widget: QWidget) -> QPalette:
    """The palette ``widget`` is drawn with, its style sheet applied."""
    widget.ensurePolished()
    return widget.palette()
