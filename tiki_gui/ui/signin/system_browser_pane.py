"""The pane shown while the seller signs in in the system browser (loopback or paste).

It shows the authorization URL with a Copy button (in case the browser did not open), a button to
open it again, and in "paste" mode a field for the URL the browser landed on. The browser is
opened on a short-lived background thread (a browser command may take seconds to return); only a
signal comes back from it. ``opener`` can be replaced (tests launch nothing).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.core.errors import TikiGuiError
from tiki_gui.core.options import SignIn
from tiki_gui.signin import open_in_system_browser
from tiki_gui.ui.shared.colors import Tone, tone_color
from tiki_gui.ui.shared.widgets import button, monospace_font, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

__all__ = ["Opener", "SystemBrowserPane"]

_log = logging.getLogger(__name__)

Opener = Callable[[str], None]


class SystemBrowserPane(QWidget):
    """What to do while signing in in the system browser; emits the pasted URL."""

    pasted = Signal(str)  # the text of the paste field, when "Use this URL" is pressed
    copied = Signal(str)
    _browser_failed = Signal(str)  # from the opener thread

    def __init__(self, parent: QWidget | None = None, *, opener: Opener | None = None) -> None:
        super().__init__(parent)
        self.opener: Opener = opener or open_in_system_browser
        self._mode = SignIn.LOOPBACK
        self.explanation = WrappedLabel()
        self.explanation.setObjectName("system_browser_explanation")
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.authorization_url = named(
            QLineEdit(),
            "authorization_url",
            self.tr("Authorization URL"),
            self.tr("The sign-in page's address"),
        )
        self.authorization_url.setReadOnly(True)
        self.authorization_url.setFont(monospace_font())
        self.copy_authorization_url = button(
            self.tr("Copy"),
            "copy_authorization_url",
            self.tr("Copy the authorization URL"),
            self.tr("Copy the sign-in page's address, to open it in a browser yourself"),
            on_click=self._on_copy,
        )
        self.open_again = button(
            self.tr("Open browser again"),
            "open_browser_again",
            self.tr("Open the browser again"),
            on_click=self._on_open_again,
        )
        self.browser_message = named(WrappedLabel(), "browser_message", self.tr("Browser message"))
        self.browser_message.setTextFormat(Qt.TextFormat.PlainText)
        self.browser_message.setVisible(False)
        self.refused_message = named(
            WrappedLabel(), "loopback_refused", self.tr("Requests the listener refused")
        )
        self.refused_message.setTextFormat(Qt.TextFormat.PlainText)
        self.refused_message.setVisible(False)

        self.paste_label = QLabel(self.tr("Address the browser ended on:"))
        self.pasted_url = named(QLineEdit(), "pasted_url", self.tr("Pasted redirect URL"))
        self.pasted_url.setPlaceholderText(
            self.tr("Paste the whole address here, e.g. https://…?code=…")
        )
        self.pasted_url.returnPressed.connect(self._on_use_pasted)
        self.use_pasted_url = button(
            self.tr("Use this URL"),
            "use_pasted_url",
            self.tr("Use the pasted URL"),
            on_click=self._on_use_pasted,
        )
        self.paste_message = named(
            WrappedLabel(), "paste_message", self.tr("Why the pasted URL was refused")
        )
        self.paste_message.setTextFormat(Qt.TextFormat.PlainText)
        self._restyle()
        self.paste_label.setBuddy(self.pasted_url)

        url_row = QHBoxLayout()
        url_row.addWidget(self.authorization_url, 1)
        url_row.addWidget(self.copy_authorization_url)
        url_row.addWidget(self.open_again)
        paste_row = QHBoxLayout()
        paste_row.addWidget(self.pasted_url, 1)
        paste_row.addWidget(self.use_pasted_url)
        self.paste_section = QWidget()
        self.paste_section.setObjectName("paste_section")
        paste_layout = QVBoxLayout(self.paste_section)
        paste_layout.setContentsMargins(0, 12, 0, 0)
        paste_layout.addWidget(self.paste_label)
        paste_layout.addLayout(paste_row)
        paste_layout.addWidget(self.paste_message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explanation)
        layout.addWidget(
            QLabel(self.tr("If the browser did not open, copy this address into one:"))
        )
        layout.addLayout(url_row)
        layout.addWidget(self.browser_message)
        layout.addWidget(self.refused_message)
        layout.addWidget(self.paste_section)
        layout.addStretch(1)
        self._browser_failed.connect(self._on_browser_failed, Qt.ConnectionType.QueuedConnection)

    def start(self, mode: SignIn, authorization_url: str, *, redirect_uri: str) -> None:
        """Show the pane for ``mode`` (loopback or paste) and open the system browser."""
        self._mode = mode
        self.authorization_url.setText(authorization_url)
        self.authorization_url.setCursorPosition(0)
        self.pasted_url.clear()
        self.paste_message.clear()
        self.browser_message.clear()
        self.browser_message.setVisible(False)
        self.refused_message.clear()
        self.refused_message.setVisible(False)
        self.paste_section.setVisible(mode is SignIn.PASTE)
        if mode is SignIn.PASTE:
            self.explanation.setText(
                self.tr(
                    "Sign in to Tiki and allow access in your browser. It then goes to "
                    "{redirect_uri}: copy the whole address from the browser's address bar "
                    "(even if the page itself shows an error) and paste it below."
                ).format(redirect_uri=redirect_uri)
            )
        else:
            self.explanation.setText(
                self.tr(
                    "Sign in to Tiki and allow access in your browser. This app listens on "
                    "{redirect_uri} until the browser comes back there, then closes the listener."
                ).format(redirect_uri=redirect_uri)
            )
        self._open(authorization_url)

    @Slot(int, str)
    def show_refused(self, count: int, reason: str) -> None:
        """Say how many requests to the redirect URI the listener refused while it waits."""
        self.refused_message.setText(
            self.tr(
                "Refused {count} request(s) to the redirect URI that did not come from this "
                "sign-in; still waiting for the browser. Last: {reason}"
            ).format(count=count, reason=reason)
        )
        self.refused_message.setVisible(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        """The refusal in the palette's red: readable on a light or a dark window."""
        color = tone_color(Tone.ERROR, self.palette())
        palette = self.paste_message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.paste_message.setPalette(palette)

    def show_paste_problem(self, message: str) -> None:
        self.paste_message.setText(message)
        self.pasted_url.setFocus()
        self.pasted_url.selectAll()

    def _open(self, url: str) -> None:
        opener = self.opener
        failed = self._browser_failed

        def run() -> None:
            try:
                opener(url)
            except TikiGuiError as exc:
                failed.emit(str(exc))
            except Exception:  # an opener must never take the app down
                _log.exception("opening the system browser failed")
                failed.emit(
                    QCoreApplication.translate(
                        "SystemBrowserPane",
                        "The system browser could not be opened: copy the address instead.",
                    )
                )

        threading.Thread(target=run, name="tiki-gui-open-browser-ui", daemon=True).start()

    @Slot(str)
    def _on_browser_failed(self, message: str) -> None:
        self.browser_message.setText(message)
        self.browser_message.setVisible(True)

    @Slot()
    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.authorization_url.text())
        self.copied.emit(self.tr("Authorization URL"))

    @Slot()
    def _on_open_again(self) -> None:
        if self.authorization_url.text():
            self._open(self.authorization_url.text())

    @Slot()
    def _on_use_pasted(self) -> None:
        if self._mode is SignIn.PASTE:
            self.paste_message.clear()
            self.pasted.emit(self.pasted_url.text())
