"""The notice shown when no system keyring can be used: plainly, and without a fallback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP

__all__ = ["NO_KEYRING_TEXT", "KeyringNotice"]

NO_KEYRING_TEXT = QT_TRANSLATE_NOOP(
    "KeyringNotice",
    "<b>No system keyring is available</b>, so the client secret and tokens are <b>not "
    "saved</b>: you can still authorize and copy the tokens, but they are gone when tiki-gui "
    "quits. Profiles keep their other settings. Install and unlock a keyring (GNOME Keyring, "
    "KWallet, macOS Keychain or Windows Credential Manager) and restart tiki-gui to keep them.",
)


class KeyringNotice(QLabel):
    """A visible warning (objectName ``keyring_notice``); hidden until :meth:`show_problem`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyring_notice")
        self.setAccessibleName(self.tr("Keyring notice"))
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(
            "QLabel#keyring_notice { background: #fde7e9; color: #5c0b12;"
            " border: 1px solid #e8a0a8; border-radius: 4px; padding: 6px; }"
        )
        self.setVisible(False)

    def show_problem(self, detail: str = "") -> None:
        text = self.tr(NO_KEYRING_TEXT)
        if detail:
            text += f"<br><small>{_escape(detail)}</small>"
        self.setText(text)
        self.setAccessibleDescription(self.text())
        self.setVisible(True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
