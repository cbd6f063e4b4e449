"""The Qt settings the window makes before its first paint without PySide6's ``Qt`` namespace
give what the enums would (tiki_gui/ui/shared/enum_free.py, issue 11)."""

from __future__ import annotations

import pytest
from child_processes import run_qt_driver
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QSplitter, QToolButton
from pytestqt.qtbot import QtBot

from tiki_gui.ui.shared import enum_free
from tiki_gui.ui.shared.enum_free import (
    COLOR_SCHEME_DARK,
    COLOR_SCHEME_LIGHT,
    TOOLTIP_ROLE,
    color_scheme,
    set_keys,
)


def test_the_numbers_are_qts() -> None:
    assert Qt.ItemDataRole.ToolTipRole.value == TOOLTIP_ROLE
    assert Qt.ColorScheme.Light.value == COLOR_SCHEME_LIGHT
    assert Qt.ColorScheme.Dark.value == COLOR_SCHEME_DARK
    assert (
        Qt.ApplicationAttribute.AA_ShareOpenGLContexts.value == enum_free._AA_SHARE_OPENGL_CONTEXTS
    )


def test_properties_set_by_their_keys_names(qtbot: QtBot) -> None:
    label, splitter, toggle = QLabel(), QSplitter(), QToolButton()
    for widget in (label, splitter, toggle):
        qtbot.addWidget(widget)
    set_keys(label, alignment="AlignTop|AlignLeft", textFormat="PlainText")
    set_keys(splitter, orientation="Vertical")
    set_keys(toggle, arrowType="DownArrow", focusPolicy="StrongFocus")
    assert label.alignment() == Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert splitter.orientation() == Qt.Orientation.Vertical
    assert toggle.arrowType() == Qt.ArrowType.DownArrow
    assert toggle.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_a_typo_fails_at_once(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match="AlignTopp"):
        set_keys(label, alignment="AlignTopp")
    with pytest.raises(ValueError, match="alignement"):
        set_keys(label, alignement="AlignTop")
    assert label.property("alignement") is None  # no dynamic property left behind


def test_a_combo_items_tooltip_by_role_number(qtbot: QtBot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("a")
    combo.setItemData(0, "why", TOOLTIP_ROLE)
    assert combo.itemData(0, Qt.ItemDataRole.ToolTipRole) == "why"


def test_the_color_scheme_is_qts(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    hints = QGuiApplication.styleHints()
    direct = color_scheme(hints)
    assert direct == hints.colorScheme().value
    monkeypatch.setattr(enum_free, "_qt_function", lambda *_args: None)  # as on macOS, Windows
    assert color_scheme(hints) == direct


_DRIVER = """
import json, sys
import PySide6.QtCore as QtCore
from tiki_gui.ui.shared.enum_free import share_opengl_contexts
share_opengl_contexts()
made = "Qt" in vars(QtCore)
from PySide6.QtWidgets import QApplication
app = QApplication([])
print(json.dumps({
    "qt_namespace_made": made,
    "shared": QtCore.QCoreApplication.testAttribute(
        QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts),
}))
"""


def test_shared_opengl_contexts_before_the_application_without_the_namespace() -> None:
    seen = run_qt_driver(_DRIVER)
    assert seen == {"qt_namespace_made": False, "shared": True}
