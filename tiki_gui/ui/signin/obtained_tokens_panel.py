"""The tokens a flow obtained: each value selectable, copyable, and the expiry counting down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.core.tokens import TokenSet
from tiki_gui.ui.shared.widgets import monospace_font, named

__all__ = ["TokenPanel", "format_countdown"]


def format_countdown(left: timedelta) -> str:
    """``"expires in 59:58"``, ``"expires in 1:02:03"`` or ``"expired 0:05 ago"``."""
    seconds = int(left.total_seconds())
    expired = seconds <= 0
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    if expired:
        return "expired" if seconds == 0 else f"expired {clock} ago"
    if hours >= 48:
        return f"expires in {hours // 24} days"
    return f"expires in {clock}"


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z (local time)")


class TokenPanel(QWidget):
    """Access and refresh token (masked until shown), token type, granted scope and expiry."""

    copied = Signal(str)  # what was copied, in words ("Access token"), never the value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: TokenSet | None = None
        mono = monospace_font()

        def value_field(name: str, accessible: str, *, secret: bool = False) -> QLineEdit:
            edit = named(QLineEdit(), name, accessible)
            edit.setReadOnly(True)
            edit.setFont(mono)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            return edit

        self.access_token = value_field("access_token", "Access token", secret=True)
        self.refresh_token = value_field("refresh_token", "Refresh token", secret=True)
        self.token_type = value_field("token_type", "Token type")
        self.granted_scope = value_field("granted_scope", "Granted scope")
        self.expires_at = value_field("expires_at", "Expires at")
        self.expires_in = named(QLabel(), "expires_in", "Time left before the access token expires")

        self.show_tokens = named(
            QPushButton("Show tokens"), "show_tokens", "Show tokens", "Show or mask both tokens"
        )
        self.show_tokens.setCheckable(True)
        self.show_tokens.toggled.connect(self._on_show_tokens_toggled)
        self.copy_access_token = named(
            QPushButton("Copy"), "copy_access_token", "Copy access token"
        )
        self.copy_access_header = named(
            QPushButton("Copy as header"),
            "copy_access_header",
            "Copy access token as Authorization header",
        )
        self.copy_access_header.setToolTip("Copies  Authorization: Bearer <access token>")
        self.copy_refresh_token = named(
            QPushButton("Copy"), "copy_refresh_token", "Copy refresh token"
        )
        self.copy_scope = named(QPushButton("Copy"), "copy_scope", "Copy granted scope")
        self.copy_access_token.clicked.connect(self._on_copy_access_token)
        self.copy_access_header.clicked.connect(self._on_copy_access_header)
        self.copy_refresh_token.clicked.connect(self._on_copy_refresh_token)
        self.copy_scope.clicked.connect(self._on_copy_scope)

        self._timer = QTimer(self)
        self._timer.setObjectName("expiry_countdown")
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_tick)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label("&Access token", self.access_token),
            self._row(self.access_token, self.copy_access_token, self.copy_access_header),
        )
        form.addRow(
            self._label("&Refresh token", self.refresh_token),
            self._row(self.refresh_token, self.copy_refresh_token),
        )
        form.addRow(self._label("Token t&ype", self.token_type), self.token_type)
        form.addRow(
            self._label("&Granted scope", self.granted_scope),
            self._row(self.granted_scope, self.copy_scope),
        )
        form.addRow(self._label("E&xpires", self.expires_at), self.expires_at)
        form.addRow("", self.expires_in)

        heading = QLabel("<b>Tokens</b>")
        note = QLabel(
            "Tokens are masked; the Copy buttons copy the real value. Stored tokens of every "
            "seller are listed under Stored tokens."
        )
        note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.show_tokens)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addStretch(1)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for index, widget in enumerate(widgets):
            row.addWidget(widget, 1 if index == 0 else 0)
        return row

    @property
    def tokens(self) -> TokenSet | None:
        return self._tokens

    def set_tokens(self, tokens: TokenSet) -> None:
        self._tokens = tokens
        self.access_token.setText(tokens.access_token)
        self.access_token.setCursorPosition(0)
        self.refresh_token.setText(tokens.refresh_token or "")
        self.refresh_token.setPlaceholderText(
            "" if tokens.refresh_token else "None: request the offline scope to get one"
        )
        self.copy_refresh_token.setEnabled(tokens.refresh_token is not None)
        self.token_type.setText(tokens.token_type)
        scope = "" if tokens.scope is None else " ".join(tokens.scope)
        self.granted_scope.setText(scope)
        self.granted_scope.setPlaceholderText("" if scope else "Not stated by the server")
        self.copy_scope.setEnabled(bool(scope))
        if tokens.expires_at is None:
            self.expires_at.setText("")
            self.expires_at.setPlaceholderText("No expiry given by the server")
            self.expires_in.setText("")
            self._timer.stop()
        else:
            self.expires_at.setText(_local_time(tokens.expires_at))
            self._on_tick()
            if self.isVisible():  # else showEvent starts it: no ticks off screen
                self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._tokens is not None and self._tokens.expires_at is not None:
            self._on_tick()
            if self._tokens is not None and self._tokens.expires_at > datetime.now(UTC):
                self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()

    def clear(self) -> None:
        self._tokens = None
        self._timer.stop()
        for edit in (
            self.access_token,
            self.refresh_token,
            self.token_type,
            self.granted_scope,
            self.expires_at,
        ):
            edit.clear()
        self.expires_in.clear()

    def _copy(self, what: str, value: str) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(value)
        self.copied.emit(what)

    @Slot()
    def _on_copy_access_token(self) -> None:
        if self._tokens is not None:
            self._copy("Access token", self._tokens.access_token)

    @Slot()
    def _on_copy_access_header(self) -> None:
        if self._tokens is not None:
            self._copy(
                "Authorization header", f"Authorization: {self._tokens.authorization_header}"
            )

    @Slot()
    def _on_copy_refresh_token(self) -> None:
        if self._tokens is not None and self._tokens.refresh_token is not None:
            self._copy("Refresh token", self._tokens.refresh_token)

    @Slot()
    def _on_copy_scope(self) -> None:
        if self._tokens is not None and self._tokens.scope is not None:
            self._copy("Granted scope", " ".join(self._tokens.scope))

    @Slot(bool)
    def _on_show_tokens_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.access_token.setEchoMode(mode)
        self.refresh_token.setEchoMode(mode)
        self.show_tokens.setText("Hide tokens" if shown else "Show tokens")

    @Slot()
    def _on_tick(self) -> None:
        tokens = self._tokens
        if tokens is None or tokens.expires_at is None:
            self._timer.stop()
            return
        left = tokens.expires_at - datetime.now(UTC)
        self.expires_in.setText(format_countdown(left))
        if left <= timedelta(0):
            self._timer.stop()
