"""WrappedLabel: the heights Qt's own label measures, measured once per width and text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.ui.shared.wrapped_label import WrappedLabel

TEXT = (
    "Signed in. Tiki sent back an authorization code, which is now exchanged for tokens "
    "(the line above says where). The code is used this once."
)
WIDTHS = (80, 150, 233, 400, 900)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _heights(label: QLabel) -> list[int]:
    return [label.heightForWidth(width) for width in WIDTHS]


def test_heights_are_qlabels_own(qtbot: QtBot) -> None:
    label, plain = WrappedLabel(TEXT), _plain(TEXT)
    qtbot.addWidget(label)
    qtbot.addWidget(plain)
    assert label.wordWrap()
    expected = _heights(plain)
    assert len(set(expected)) > 2  # the widths do wrap the text differently
    assert _heights(label) == expected
    assert _heights(label) == expected  # asked again: from what it measured


def test_a_repeated_ask_does_not_lay_the_text_out_again(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    label = WrappedLabel(TEXT)
    qtbot.addWidget(label)
    measured: list[int] = []
    original = QLabel.heightForWidth

    def counting(self: QLabel, width: int) -> int:
        measured.append(width)
        return original(self, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counting)
    for _ in range(3):
        _heights(label)
    assert measured == list(WIDTHS)


@pytest.mark.parametrize(
    "change",
    [
        lambda label: label.setText(TEXT + " " + TEXT),
        lambda label: label.setFont(_bigger(label)),
        lambda label: label.setContentsMargins(30, 0, 30, 0),
        lambda label: label.setIndent(40),
        lambda label: label.setMargin(20),
        lambda label: label.setTextFormat(Qt.TextFormat.PlainText),
        lambda label: label.setStyleSheet("QLabel { padding: 0 25px; font-size: 20px; }"),
    ],
    ids=["text", "font", "contents margins", "indent", "margin", "format", "style sheet"],
)
def test_what_the_height_depends_on_is_seen(qtbot: QtBot, change: Callable[[QLabel], None]) -> None:
    text = f"<h2>Tokens</h2><p>{TEXT}</p>"  # rich text: its format matters too
    label, plain = WrappedLabel(text), _plain(text)
    qtbot.addWidget(label)
    qtbot.addWidget(plain)
    before = _heights(label)
    for changed in (label, plain):
        change(changed)
        changed.ensurePolished()  # a style sheet's font applies at the polish
    after = _heights(plain)
    assert after != before  # the change matters to the height ...
    assert _heights(label) == after  # ... and the label measured again


def _bigger(label: QLabel) -> QFont:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    return font


def test_a_label_in_a_layout_gets_the_height_of_its_text(qtbot: QtBot) -> None:
    """In a window: a narrow column wraps the text to more lines, all of them shown."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    label = WrappedLabel(TEXT)
    layout.addWidget(label)
    layout.addStretch(1)
    window.resize(600, 400)
    window.show()
    qtbot.waitExposed(window)
    wide = label.height()
    window.resize(200, 400)
    qtbot.waitUntil(lambda: label.width() < 200)
    assert label.height() > wide
    assert (
        label.height()
        >= label.heightForWidth(label.width())
        == _plain(TEXT).heightForWidth(label.width())
    )
