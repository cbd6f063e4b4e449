"""The application icon, read from ``resources/tiki-gui.svg`` beside the ``tiki_gui`` package.

``resources/`` sits at the project root, next to ``tiki_gui/``; an installed wheel may not carry
it, so a missing file gives an empty icon rather than an error.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

import tiki_gui

__all__ = ["ICON_PATH", "app_icon"]

ICON_PATH = Path(tiki_gui.__file__).resolve().parent.parent / "resources" / "tiki-gui.svg"


def app_icon(path: Path = ICON_PATH) -> QIcon:
    """The window icon, or an empty ``QIcon`` when the file is not there."""
    if not path.is_file():
        return QIcon.fromTheme("tiki-gui")
    return QIcon(str(path))
