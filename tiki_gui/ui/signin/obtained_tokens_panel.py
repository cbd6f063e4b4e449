"""The tokens a flow obtained: each value selectable, copyable, and the expiry counting down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QHideEvent, QKeyEvent, QKeySequence, QShowEvent
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
from tiki_gui.ui.shared.i18n import format_date_time
from tiki_gui.ui.shared.widgets import monospace_font, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

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
        if seconds == 0:
            return QCoreApplication.translate("TokenPanel", "expired")
        return QCoreApplication.translate("TokenPanel", "expired {clock} ago").format(clock=clock)
    if hours >= 48:
        days = QLocale().toString(hours // 24)
        return QCoreApplication.translate("TokenPanel", "expires in {days} days").format(days=days)
    return QCoreApplication.translate("TokenPanel", "expires in {clock}").format(clock=clock)


def _local_time(moment: datetime) -> str:
    return QCoreApplication.translate("TokenPanel", "{date_time} {zone} (local time)").format(
        date_time=format_date_time(moment), zone=moment.astimezone().strftime("%Z")
    )


def _show_from_start(edit: QLineEdit, text: str) -> None:
    """``text`` in ``edit``, scrolled to its start: ``setText`` leaves the cursor at the end, so
    a field narrower than its text showed the end ("2/6/2026 14:20" for 12/6/2026)."""
    edit.setText(text)
    edit.setCursorPosition(0)


class SecretField(QLineEdit):
    """A read-only value field whose copy key copies the real value, even while it is masked
    (a password-mode QLineEdit copies nothing); :attr:`copy_requested` asks the panel to."""

    copy_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            event.accept()
            self.copy_requested.emit()
            return
        super().keyPressEvent(event)


class TokenPanel(QWidget):
    """Access and refresh token (masked until shown), token type, granted scope and expiry."""

    copied = Signal(str)  # what was copied, in words ("Access token"), never the value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: TokenSet | None = None
        self._previous: TokenSet | None = None  # the set shown before the last clear()
        self._kept = False  # the tokens shown were copied or stored
        mono = monospace_font()

        def value_field(name: str, accessible: str, *, secret: bool = False) -> SecretField:
            edit = named(SecretField(), name, accessible)
            edit.setReadOnly(True)
            edit.setFont(mono)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            return edit

        self.access_token = value_field("access_token", self.tr("Access token"), secret=True)
        self.refresh_token = value_field("refresh_token", self.tr("Refresh token"), secret=True)
        self.token_type = value_field("token_type", self.tr("Token type"))
        self.granted_scope = value_field("granted_scope", self.tr("Granted scope"))
        self.expires_at = value_field("expires_at", self.tr("Expires at"))
        self.expires_in = named(
            QLabel(), "expires_in", self.tr("Time left before the access token expires")
        )

        self.show_tokens = named(
            QPushButton(self.tr("Show tokens")),
            "show_tokens",
            self.tr("Show tokens"),
            self.tr("Show or mask both tokens"),
        )
        self.show_tokens.setCheckable(True)
        self.show_tokens.toggled.connect(self._on_show_tokens_toggled)
        self.copy_access_token = named(
            QPushButton(self.tr("Copy")), "copy_access_token", self.tr("Copy access token")
        )
        self.copy_access_header = named(
            QPushButton(self.tr("Copy as header")),
            "copy_access_header",
            self.tr("Copy access token as Authorization header"),
        )
        self.copy_access_header.setToolTip(self.tr("Copies  Authorization: Bearer <access token>"))
        self.copy_refresh_token = named(
            QPushButton(self.tr("Copy")), "copy_refresh_token", self.tr("Copy refresh token")
        )
        self.copy_scope = named(
            QPushButton(self.tr("Copy")), "copy_scope", self.tr("Copy granted scope")
        )
        self.copy_access_token.clicked.connect(self._on_copy_access_token)
        self.copy_access_header.clicked.connect(self._on_copy_access_header)
        self.copy_refresh_token.clicked.connect(self._on_copy_refresh_token)
        self.copy_scope.clicked.connect(self._on_copy_scope)
        self.access_token.copy_requested.connect(self._on_copy_access_token)
        self.refresh_token.copy_requested.connect(self._on_copy_refresh_token)

        self._timer = QTimer(self)
        self._timer.setObjectName("expiry_countdown")
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_tick)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label(self.tr("&Access token"), self.access_token),
            self._row(self.access_token, self.copy_access_token, self.copy_access_header),
        )
        form.addRow(
            self._label(self.tr("&Refresh token"), self.refresh_token),
            self._row(self.refresh_token, self.copy_refresh_token),
        )
        form.addRow(self._label(self.tr("Token t&ype"), self.token_type), self.token_type)
        form.addRow(
            self._label(self.tr("&Granted scope"), self.granted_scope),
            self._row(self.granted_scope, self.copy_scope),
        )
        form.addRow(self._label(self.tr("E&xpires"), self.expires_at), self.expires_at)
        form.addRow("", self.expires_in)

        heading = QLabel(self.tr("<b>Tokens</b>"))
        note = WrappedLabel(
            self.tr(
                "Tokens are masked; the Copy buttons copy the real value. Stored tokens of every "
                "seller are listed under Stored tokens."
            )
        )
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

    @property
    def previous(self) -> TokenSet | None:
        """The tokens shown before the last :meth:`clear` (a new sign-in): still reachable."""
        return self._previous

    @property
    def needs_keeping(self) -> bool:
        """Tokens are shown that were neither copied nor stored."""
        return self._tokens is not None and not self._kept

    def mark_kept(self) -> None:
        """The tokens shown are safe elsewhere (stored in the keyring)."""
        self._kept = True

    def set_tokens(self, tokens: TokenSet) -> None:
        if tokens is not self._tokens:
            self._kept = False
        self._tokens = tokens
        _show_from_start(self.access_token, tokens.access_token)
        _show_from_start(self.refresh_token, tokens.refresh_token or "")
        self.refresh_token.setPlaceholderText(
            "" if tokens.refresh_token else self.tr("None: request the offline scope to get one")
        )
        self.copy_refresh_token.setEnabled(tokens.refresh_token is not None)
        _show_from_start(self.token_type, tokens.token_type)
        scope = "" if tokens.scope is None else " ".join(tokens.scope)
        _show_from_start(self.granted_scope, scope)
        self.granted_scope.setPlaceholderText("" if scope else self.tr("Not stated by the server"))
        self.copy_scope.setEnabled(bool(scope))
        if tokens.expires_at is None:
            self.expires_at.setText("")
            self.expires_at.setPlaceholderText(self.tr("No expiry given by the server"))
            self.expires_in.setText("")
            self._timer.stop()
        else:
            _show_from_start(self.expires_at, _local_time(tokens.expires_at))
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

    def changeEvent(self, event: QEvent) -> None:
        if event.type() is QEvent.Type.LanguageChange and self._tokens is not None:
            self.set_tokens(self._tokens)  # the expiry's date format and the placeholders
        super().changeEvent(event)

    def clear(self) -> None:
        """Empty the fields for a new sign-in; the tokens shown stay in :attr:`previous`."""
        if self._tokens is not None:
            self._previous = self._tokens
        self._tokens = None
        self._kept = False
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
        self._kept = True
        self.copied.emit(what)

    @Slot()
    def _on_copy_access_token(self) -> None:
        if self._tokens is not None:
            self._copy(self.tr("Access token"), self._tokens.access_token)

    @Slot()
    def _on_copy_access_header(self) -> None:
        if self._tokens is not None:
            self._copy(
                self.tr("Authorization header"),
                f"Authorization: {self._tokens.authorization_header}",
            )

    @Slot()
    def _on_copy_refresh_token(self) -> None:
        if self._tokens is not None and self._tokens.refresh_token is not None:
            self._copy(self.tr("Refresh token"), self._tokens.refresh_token)

    @Slot()
    def _on_copy_scope(self) -> None:
        if self._tokens is not None and self._tokens.scope is not None:
            self._copy(self.tr("Granted scope"), " ".join(self._tokens.scope))

    @Slot(bool)
    def _on_show_tokens_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.access_token.setEchoMode(mode)
        self.refresh_token.setEchoMode(mode)
        self.show_tokens.setText(self.tr("Hide tokens") if shown else self.tr("Show tokens"))

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
