"""Small helpers shared by the UI's widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QWidget

__all__ = ["monospace_font", "named"]

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str, description: str = "") -> W:
    """Give ``widget`` its objectName (for automation) and accessible name (for screen readers)."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def monospace_font() -> QFont:
    """The system's fixed-width font, for tokens and other values people compare by eye."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
