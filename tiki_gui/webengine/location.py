"""The read-only location line above the consent view: which host the user is talking to.

The user must see that the login form belongs to Tiki (``api.tiki.vn``) and whether the connection
is encrypted. Only scheme, host and port are shown: the query of a redirect or consent URL carries
challenges and codes that have no business on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QLineEdit, QWidget

__all__ = ["Location", "LocationBar", "describe_location"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Location:
    """Where the page is, as the location line shows it."""

    host: str
    port: int | None  # only when it is not the scheme's default port
    is_tls: bool

    @property
    def host_port(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def text(self) -> str:
        if self.is_tls:
            return QCoreApplication.translate("Location", "{host} (TLS)").format(
                host=self.host_port
            )
        return QCoreApplication.translate("Location", "{host} (not encrypted)").format(
            host=self.host_port
        )

    @property
    def description(self) -> str:
        if self.is_tls:
            return QCoreApplication.translate(
                "Location", "The connection to {host} is encrypted (TLS)."
            ).format(host=self.host)
        return QCoreApplication.translate(
            "Location",
            "The connection to {host} is not encrypted: fine for a local test server only.",
        ).format(host=self.host)


def describe_location(url: str) -> Location | None:
    """Host, port and TLS flag of an http(s) URL; None for anything else (about:blank, data:)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return Location(
        host=parts.hostname.lower(),
        port=None if port in (None, _DEFAULT_PORTS[scheme]) else port,
        is_tls=scheme == "https",
    )


def _icon(draw_lock: bool) -> QIcon:
    """A padlock (TLS) or a warning triangle (not encrypted), drawn so no icon theme is needed."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if draw_lock:
        color = QColor("#2e7d32")
        painter.setPen(QPen(color, 3.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(9, 3, 14, 18), 0, 180 * 16)
        painter.drawLine(QPointF(9, 12), QPointF(9, 15))
        painter.drawLine(QPointF(23, 12), QPointF(23, 15))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(5, 14, 22, 16), 3, 3)
    else:
        path = QPainterPath()
        path.moveTo(16, 2)
        path.lineTo(31, 29)
        path.lineTo(1, 29)
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#c77700"))
        painter.drawPath(path)
        painter.setBrush(QColor("white"))
        painter.drawRect(QRectF(14.5, 10, 3, 11))
        painter.drawEllipse(QRectF(14.25, 23, 3.5, 3.5))
    painter.end()
    return QIcon(pixmap)


class LocationBar(QLineEdit):
    """Read-only line showing "api.tiki.vn (TLS)" or "127.0.0.1:PORT (not encrypted)"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consent_location")
        self.setAccessibleName(self.tr("Address of the page in the browser"))
        self.setReadOnly(True)
        # Read by screen readers through its accessible name; keyboard focus belongs to the page.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setPlaceholderText(self.tr("No page loaded"))
        self._lock_icon = _icon(draw_lock=True)
        self._warning_icon = _icon(draw_lock=False)
        self._security_action = QAction(self)
        self._security_action.setVisible(False)
        self.addAction(self._security_action, QLineEdit.ActionPosition.LeadingPosition)
        self._location: Location | None = None

    @property
    def location(self) -> Location | None:
        return self._location

    def set_location(self, location: Location | None) -> None:
        self._location = location
        if location is None:
            self.clear()
            self.setToolTip("")
            self.setAccessibleDescription("")
            self._security_action.setVisible(False)
            return
        self.setText(location.text)
        self.setCursorPosition(0)
        self.setToolTip(location.description)
        self.setAccessibleDescription(location.description)
        self._security_action.setIcon(self._lock_icon if location.is_tls else self._warning_icon)
        self._security_action.setToolTip(location.description)
        self._security_action.setVisible(True)
