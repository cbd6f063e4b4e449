"""Small helpers shared by the UI's widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QMessageBox

__all__ = ["ask_to_confirm", "button", "button_row", "monospace_font", "named", "text_action"]

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str, description: str = "") -> W:
    """Give ``widget`` its objectName (for automation) and accessible name (for screen readers)."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def text_action(text: str, parent: QObject) -> QAction:
    """A ``QAction`` with ``text``. Not ``QAction(text, parent)``: telling that overload from
    ``QAction(icon, text, parent)`` makes PySide6 build ``QIcon`` and its enums (~1-2 ms before
    the first paint, issue 11)."""
    action = QAction(parent)
    action.setText(text)
    return action


def button(
    text: str,
    object_name: str,
    accessible_name: str,
    description: str = "",
    *,
    on_click: Callable[[], object] | SignalInstance,
) -> QPushButton:
    """A named push button that calls ``on_click`` (or emits that signal) when clicked."""
    widget = named(QPushButton(text), object_name, accessible_name, description)
    widget.clicked.connect(on_click)
    return widget


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """A row of ``widgets`` side by side from the left, the free space after them."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def monospace_font() -> QFont:
    """The system's fixed-width font, for tokens and other values people compare by eye."""
    # Imported here, and QMessageBox below: PySide makes a class's enums when it is first
    # touched, and neither is on screen at the first paint (issue 11).
    from PySide6.QtGui import QFontDatabase

    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def ask_to_confirm(
    parent: QWidget,
    object_name: str,
    title: str,
    text: str,
    on_yes: Callable[[], None],
    *,
    icon: QMessageBox.Icon | None = None,
) -> QMessageBox:
    """Open a Yes/Cancel box (Cancel the default) without blocking; ``on_yes`` runs on Yes.

    Shown with ``open()``, never ``exec()``: the event loop keeps running. Returns the box, which
    deletes itself when closed. ``icon`` is the question mark unless given.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(icon if icon is not None else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def on_finished(result: int) -> None:
        if result == QMessageBox.StandardButton.Yes.value:
            on_yes()

    box.finished.connect(on_finished)
    box.open()
    return box
