"""The notice shown when no system keyring can be used: one line, plainly, without a fallback.

"Why?" opens the explanation (what is lost, how to get a keyring); "Dismiss" hides the line for
this session. The window warns again at the moment something would be lost (closing with tokens
that were neither copied nor stored). Colours come from the palette (light and dark schemes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from tiki_gui.ui.shared.colors import Tone, follow_palette, notice_style
from tiki_gui.ui.shared.enum_free import set_keys
from tiki_gui.ui.shared.widgets import button

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QMessageBox

__all__ = ["KeyringNotice"]


class KeyringNotice(QFrame):
    """A one-line warning (its text: the label ``keyring_notice``); hidden until
    :meth:`show_problem`, and again once dismissed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyring_notice_bar")
        self._detail = ""
        self._dismissed = False
        self.label = QLabel()
        self.label.setObjectName("keyring_notice")
        self.label.setAccessibleName(self.tr("Keyring notice"))
        set_keys(self.label, textFormat="PlainText")
        self.why = button(
            self.tr("Why?"),
            "keyring_notice_why",
            self.tr("Why nothing secret is saved"),
            on_click=self._on_why,
        )
        self.dismiss = button(
            self.tr("Dismiss"),
            "keyring_notice_dismiss",
            self.tr("Dismiss the keyring notice"),
            on_click=self._on_dismiss,
        )
        for widget in (self.why, self.dismiss):
            widget.setFlat(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 2, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.why)
        row.addWidget(self.dismiss)
        self.box: QMessageBox | None = None  # the explanation, while open
        self._styled = False  # styled when first shown (hidden at most starts: issue 11)
        follow_palette(self._restyle)
        self.setVisible(False)

    def show_problem(self, detail: str = "") -> None:
        self._detail = detail
        self.label.setText(
            self.tr(
                "No system keyring: the client secret and tokens are not saved when tiki-gui quits."
            )
        )
        self.label.setAccessibleDescription(self.explanation())
        if not self._dismissed:
            if not self._styled:
                self._restyle()
            self.setVisible(True)

    @Slot()
    def _on_dismiss(self) -> None:
        self._dismissed = True  # for this session: the window still warns before a loss
        self.hide()

    def explanation(self) -> str:
        """The whole story, for "Why?" (plain text)."""
        text = self.tr(
            "No system keyring is available, so the client secret and tokens are not saved: you "
            "can still authorize and copy the tokens, but they are gone when tiki-gui quits. "
            "Profiles keep their other settings.\n\nInstall and unlock a keyring (GNOME "
            "Keyring, KWallet, macOS Keychain or Windows Credential Manager) and restart "
            "tiki-gui to keep them."
        )
        if self._detail:
            text += "\n\n" + self._detail
        return text

    @Slot()
    def _on_why(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox  # when asked: its enums cost ~1 ms (issue 11)

        box = QMessageBox(self.window())
        box.setObjectName("keyring_why_box")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("No system keyring"))
        box.setText(self.explanation())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._on_box_gone)
        self.box = box
        box.open()

    @Slot(QObject)
    def _on_box_gone(self, _box: QObject | None = None) -> None:
        self.box = None

    @Slot()
    @Slot("QPalette")  # by name: the class is not made before the first paint (issue 11)
    def _restyle(self, palette: QPalette | None = None) -> None:
        # The application's new palette, else the parent's (ours is changed by the style sheet).
        self._styled = True
        if palette is None:
            parent = self.parentWidget()
            palette = parent.palette() if parent is not None else QGuiApplication.palette()
        style = notice_style("QFrame#keyring_notice_bar", Tone.ERROR, palette)
        if style != self.styleSheet():
            self.setStyleSheet(style)
