"""QtWebEngine loaded ahead of the first Authorize, once the user reaches for the form (issue 11).

Loading QtWebEngine (Chromium's libraries) takes a noticeable part of the wait between the click
on Authorize and the sign-in page. :class:`WebEnginePrewarm` loads it earlier, once: at the first
hover or keyboard focus of the Authorize button, or the first edit of a field of the form, from
the event loop right after (imports must run on the GUI thread for Qt). A form the user never
touches never loads it (the window's start and idle stay light). On :attr:`warmed` the window has
the token endpoint check's thread make the HTTP client and load the token client and timeline
(:meth:`~tiki_gui.ui.signin.preflight_check.TokenEndpointCheck.prepare`), off the GUI thread.
Chromium itself (a profile, its helper processes: +140 MB) is still started by the click only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

__all__ = ["WebEnginePrewarm"]

_log = logging.getLogger(__name__)

_TRIGGERS = (QEvent.Type.Enter, QEvent.Type.HoverEnter, QEvent.Type.FocusIn)


class WebEnginePrewarm(QObject):
    """Watches ``form`` and its ``authorize`` button; loads QtWebEngine once, when touched."""

    warmed = Signal()  # QtWebEngine is loaded

    def __init__(self, form: QWidget, authorize: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._authorize = authorize
        self._triggered = False
        authorize.installEventFilter(self)
        self._edits = form.findChildren(QLineEdit)
        for edit in self._edits:
            edit.textEdited.connect(self.trigger)

    @property
    def triggered(self) -> bool:
        return self._triggered

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._authorize and event.type() in _TRIGGERS:
            self.trigger()
        return False

    def trigger(self, *_: object) -> None:
        """Load QtWebEngine from the event loop, once (later calls do nothing)."""
        if self._triggered:
            return
        self._triggered = True
        self._authorize.removeEventFilter(self)
        for edit in self._edits:
            edit.textEdited.disconnect(self.trigger)
        QTimer.singleShot(0, self, self._warm)

    def _warm(self) -> None:
        from tiki_gui import webengine  # noqa: F401  (loads QtWebEngine: the point)

        _log.debug("QtWebEngine pre-warmed")
        self.warmed.emit()
