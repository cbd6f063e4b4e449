"""The UI's languages: English (the source texts) and Vietnamese, switched without a restart.

:class:`LanguageSwitcher` installs ``resources/i18n/tiki_gui_vi.qm`` and Qt's own base
translation for the standard dialogs' texts (``qtbase_vi.qm`` when the Qt build ships one; Qt
6.12 does not, so ``resources/i18n/qt_vi.qm`` carries the few used here) with
:class:`~PySide6.QtCore.QTranslator`, follows the system locale at start and remembers a choice
made in the Language menu (``QSettings``: a language name, nothing else).

On a switch Qt sends ``QEvent.LanguageChange`` to every widget. Texts set once (labels, buttons,
tooltips, menus, combo items, column headers) are re-translated here, by finding each shown text
among the catalog's sources and translations (:func:`retranslate_widgets`); widgets that compose
texts from data (status lines, the error panel, the token rows) redraw themselves in their
``changeEvent``.

Dates, times and numbers go through :class:`~PySide6.QtCore.QLocale` (:func:`format_time`,
:func:`format_date_time`), whose default follows the chosen language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication

import tiki_gui

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

__all__ = [
    "I18N_DIR",
    "LANGUAGES",
    "QT_TRANSLATE_NOOP",
    "Catalog",
    "LanguageSwitcher",
    "format_date_time",
    "format_time",
    "language_switcher",
    "retranslate_widgets",
    "system_language",
]

I18N_DIR = Path(tiki_gui.__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("en", "vi")  # English is the source language: no catalog is loaded for it
_SETTINGS_KEY = "ui/language"
_SWITCHER_NAME = "language_switcher"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for ``pyside6-lupdate`` under ``context``; translated where it is shown.

    Qt's own ``QT_TRANSLATE_NOOP`` is typed as returning ``object``; this one keeps the ``str``."""
    del context
    return source


def system_language() -> str:
    """``vi`` when the system locale is Vietnamese, else ``en``."""
    return "vi" if QLocale.system().language() is QLocale.Language.Vietnamese else "en"


class Catalog:
    """The (context, source, translation) triples of one ``.ts`` file, for reverse lookups."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        self.entries = tuple(entries)
        self._compiled: list[tuple[re.Pattern[str], str, str]] | None = None
        self._by_text: dict[str, list[tuple[str, str]]] = {}
        for context, source, translation in self.entries:
            self._by_text.setdefault(source, []).append((context, source))
            if translation:
                self._by_text.setdefault(translation, []).append((context, source))

    @classmethod
    def load(cls, path: Path) -> Catalog:
        if not path.is_file():
            return cls(())
        # Only for a switch away from English: an English window never loads xml.etree.
        import xml.etree.ElementTree as ET

        root = ET.parse(path).getroot()  # noqa: S314 -- our own file
        entries = []
        for context in root.iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                translation = message.find("translation")
                finished = translation is not None and translation.get("type") is None
                entries.append(
                    (
                        name,
                        message.findtext("source", ""),
                        (translation.text or "") if finished and translation is not None else "",
                    )
                )
        return cls(entries)

    def sources_of(self, text: str) -> list[tuple[str, str]]:
        """The (context, source) pairs whose source or translation is ``text``."""
        return self._by_text.get(text, [])

    def filled(self, text: str) -> tuple[str, str, dict[str, str]] | None:
        """(context, source, values) of a message with placeholders that ``text`` fills in,
        in either language: ``"Đã nhận token từ h lúc t."`` gives ``{"where": "h", ...}``."""
        for pattern, context, source in self._patterns():
            match = pattern.fullmatch(text)
            if match is not None:
                return context, source, match.groupdict()
        return None

    def _patterns(self) -> list[tuple[re.Pattern[str], str, str]]:
        if self._compiled is None:
            self._compiled = [
                (_template_pattern(text), context, source)
                for context, source, translation in self.entries
                for text in {source, translation}
                if text and _PLACEHOLDER.search(text)
            ]
        return self._compiled


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _template_pattern(template: str) -> re.Pattern[str]:
    """A regex matching ``template`` with its placeholders filled in (a repeat must be equal)."""
    parts, seen, position = [], set(), 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


@cache
def _catalog(language: str) -> Catalog:
    return Catalog.load(I18N_DIR / f"tiki_gui_{language}.ts")


def _settings() -> QSettings:
    from tiki_gui.storage.paths import config_dir  # Qt-free; tests point it at a scratch folder

    return QSettings(str(config_dir() / "ui.ini"), QSettings.Format.IniFormat)


class LanguageSwitcher(QObject):
    """Installs and removes the translators; the language menu calls :meth:`switch`."""

    language_changed = Signal(str)

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else _settings()
        self._translators: list[QTranslator] = []
        self.language = "en"

    def start(self) -> str:
        """Load the remembered language, or the system's: call once the application exists."""
        stored = self._settings.value(_SETTINGS_KEY, "")
        language = stored if stored in LANGUAGES else system_language()
        self._install(str(language))
        return self.language

    def switch(self, language: str) -> None:
        """Change the UI's language now, and remember the choice."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self._settings.setValue(_SETTINGS_KEY, language)
        if language != self.language:
            self._install(language)

    def _install(self, language: str) -> None:
        app = QCoreApplication.instance()
        previous = self.language
        for translator in self._translators:
            if app is not None:
                QCoreApplication.removeTranslator(translator)
        self._translators = []
        QLocale.setDefault(QLocale(language))
        if language != "en":
            # Imported here: English needs neither class before the first paint (issue 11).
            from PySide6.QtCore import QLibraryInfo, QTranslator

            qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            qt_base = QTranslator(self)
            # Qt's own catalog for its dialogs' texts; ours where Qt ships none (no qtbase_vi).
            if qt_base.load(f"qtbase_{language}", qt_folder) or qt_base.load(
                f"qt_{language}", str(I18N_DIR)
            ):
                self._add(qt_base)
            ours = QTranslator(self)
            if ours.load(f"tiki_gui_{language}", str(I18N_DIR)):
                self._add(ours)
        self.language = language
        if previous != language and isinstance(app, QApplication):
            for widget in QApplication.allWidgets():
                retranslate_widgets(widget)
        self.language_changed.emit(language)

    def _add(self, translator: QTranslator) -> None:
        QCoreApplication.installTranslator(translator)
        self._translators.append(translator)


def language_switcher() -> LanguageSwitcher:
    """The application's one switcher (made on first use, a child of the application)."""
    app = QCoreApplication.instance()
    # Found by its name: asked by type, PySide wraps each child of the application to test it,
    # Qt's style among them, whose class then makes its ~20 enums (~6 ms at start, issue 11).
    found = app.findChild(QObject, _SWITCHER_NAME) if app is not None else None
    if isinstance(found, LanguageSwitcher):
        return found
    made = LanguageSwitcher(parent=app)
    made.setObjectName(_SWITCHER_NAME)
    return made


def _translate(text: str, context_hint: Iterable[str]) -> str | None:
    """``text`` (shown in either language) in the language now installed."""
    if not text:
        return None
    catalog = _catalog("vi")
    pairs = catalog.sources_of(text)
    if not pairs:
        filled = catalog.filled(text)  # a composed text: its values carried over
        if filled is None:
            return None
        context, source, values = filled
        return QCoreApplication.translate(context, source).format(**values)
    hints = list(context_hint)
    pairs = sorted(pairs, key=lambda pair: hints.index(pair[0]) if pair[0] in hints else 99)
    context, source = pairs[0]
    return QCoreApplication.translate(context, source)


def _contexts(widget: QObject) -> list[str]:
    names: list[str] = []
    node: QObject | None = widget
    while node is not None:
        names.extend(
            cls.__name__ for cls in type(node).__mro__ if cls.__module__.startswith("tiki")
        )
        node = node.parent()
    return names


def retranslate_widgets(widget: QWidget) -> None:
    """Re-set the fixed texts of ``widget`` (not its children) in the language now installed."""
    # Here, at a switch, not at import: PySide makes a class's enums when it is first touched,
    # and the tree, tab and text views are not on screen at the first paint (issue 11).
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QDockWidget,
        QGroupBox,
        QLabel,
        QLineEdit,
        QMenu,
        QPlainTextEdit,
        QTabWidget,
        QToolBar,
        QTreeWidget,
    )

    hints = _contexts(widget)

    def redo(getter: object, setter: object) -> None:
        text = getter()  # type: ignore[operator]
        new = _translate(text, hints)
        if new is not None and new != text:
            setter(new)  # type: ignore[operator]

    redo(widget.toolTip, widget.setToolTip)
    redo(widget.accessibleName, widget.setAccessibleName)
    redo(widget.accessibleDescription, widget.setAccessibleDescription)
    if widget.isWindow():
        redo(widget.windowTitle, widget.setWindowTitle)
    if isinstance(widget, QLabel | QAbstractButton):
        redo(widget.text, widget.setText)
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        redo(widget.placeholderText, widget.setPlaceholderText)
    if isinstance(widget, QGroupBox):
        redo(widget.title, widget.setTitle)
    if isinstance(widget, QDockWidget | QToolBar | QMenu):
        redo(widget.windowTitle, widget.setWindowTitle)
    if isinstance(widget, QMenu):
        redo(widget.title, widget.setTitle)
    if isinstance(widget, QComboBox):
        for index in range(widget.count()):
            new = _translate(widget.itemText(index), hints)
            if new is not None:
                widget.setItemText(index, new)
    if isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            new = _translate(widget.tabText(index), hints)
            if new is not None:
                widget.setTabText(index, new)
    if isinstance(widget, QTreeWidget):
        header = widget.headerItem()
        for column in range(widget.columnCount()):
            new = _translate(header.text(column), hints)
            if new is not None:
                header.setText(column, new)
    for action in widget.actions():
        _retranslate_action(action, hints)


def _retranslate_action(action: QAction, hints: list[str]) -> None:
    for getter, setter in (
        (action.text, action.setText),
        (action.toolTip, action.setToolTip),
        (action.statusTip, action.setStatusTip),
    ):
        text = getter()
        new = _translate(text, hints)
        if new is not None and new != text:
            setter(new)


def format_time(moment: datetime) -> str:
    """A local time of day with seconds, in the UI language's format."""
    from PySide6.QtCore import QDateTime  # its enums: not before the first paint (issue 11)

    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(local.time(), "HH:mm:ss")


def format_date_time(moment: datetime) -> str:
    """A local date and time, in the UI language's short date format, time with seconds."""
    from PySide6.QtCore import QDateTime

    locale = QLocale()
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    # The locale's short date, with a four-digit year (2026, not 26: expiry dates are read).
    pattern = re.sub(r"(?<!y)yy(?!y)", "yyyy", locale.dateFormat(QLocale.FormatType.ShortFormat))
    if locale.language() is QLocale.Language.C:
        pattern = "yyyy-MM-dd"  # no language set (LANG=C): ISO, not the C locale's "d M yyyy"
    date = locale.toString(local.date(), pattern)
    return f"{date} {locale.toString(local.time(), 'HH:mm:ss')}"
