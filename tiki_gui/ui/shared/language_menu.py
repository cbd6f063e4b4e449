"""The Language menu: English or Tiếng Việt, applied at once (objectName ``language``).

Each action's data is the locale name (``en`` / ``vi``); the language names are written in their
own language, as language pickers do, so they are not translated.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from tiki_gui.ui.shared.i18n import LANGUAGES, LanguageSwitcher
from tiki_gui.ui.shared.widgets import text_action

__all__ = ["LANGUAGE_NAMES", "LanguageMenu", "add_language_menu"]

LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt"}


class LanguageMenu(QMenu):
    """One checkable action per language; choosing one switches the whole UI."""

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("&Language"), parent)
        self.setObjectName("language")
        self.setToolTip(self.tr("Choose the language of the window"))
        self._switcher = switcher
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        for language in LANGUAGES:
            action = text_action(LANGUAGE_NAMES[language], self)
            action.setObjectName(f"language_{language}")
            action.setData(language)
            action.setCheckable(True)
            self.group.addAction(action)
            self.addAction(action)
        self._on_language_changed(switcher.language)
        self.group.triggered.connect(self._on_triggered)
        switcher.language_changed.connect(self._on_language_changed)  # ends with this menu

    @Slot(QAction)
    def _on_triggered(self, action: QAction) -> None:
        self._switcher.switch(str(action.data()))

    @Slot(str)
    def _on_language_changed(self, language: str) -> None:
        for action in self.group.actions():
            action.setChecked(action.data() == language)


def add_language_menu(menu_bar: QMenuBar, switcher: LanguageSwitcher) -> LanguageMenu:
    """Add the Language menu to ``menu_bar``."""
    menu = LanguageMenu(switcher, menu_bar)
    menu_bar.addMenu(menu)
    return menu
