"""QtWebEngine loaded ahead of the first Authorize, once the user reaches for the form (issue 11).

Loading QtWebEngine (Chromium's libraries) takes a noticeable part of the wait between the click
on Authorize and the sign-in page. :class:`WebEnginePrewarm` loads it earlier, once, when the user
first reaches for the form, by whatever input they use; each way of pressing Authorize is preceded
by one of these triggers:

- the pointer entering Authorize (a mouse click always follows it) or Authorize getting the
  keyboard focus (Tab, then Space or Enter);
- Authorize pressed (``pressed`` comes before ``clicked``: the mouse button's release, Space's,
  or an accessibility tool's press action, which Qt animates for 100 ms);
- a key pressed in a field of the form (the Ctrl of Ctrl+Return, the shortcut, is pressed before
  Return; typing; Tab) or a field edited;
- Ctrl pressed anywhere else in the form's window (the shortcut works from the menu bar, the
  profile toolbar or the stored tokens too): no widget takes a bare Ctrl, so it reaches the
  window, watched until triggered;
- File > Authorize highlighted in the menu (:meth:`WebEnginePrewarm.watch_action`: ``hovered``
  comes before ``triggered``, with the pointer or the arrow keys).

A form the user never touches never loads it (the window's start and idle stay light). The modules
are loaded from the event loop one at a time (:data:`tiki_gui.webengine.MODULES`: imports must run
on the GUI thread for Qt), each step under a frame (16 ms), so the window stays responsive; the
largest, QtWebEngineCore, is split further where Qt's libraries are found (Linux: Qt Quick's
and QtWebEngineCore's own libraries loaded first, in steps of their own). A click meanwhile loads
what is left itself. On :attr:`warmed` the window has the token endpoint
check's thread make the HTTP client and load the token client and timeline
(:meth:`~tiki_gui.ui.signin.preflight_check.TokenEndpointCheck.prepare`), off the GUI thread.
Chromium itself (a profile, its helper processes: +140 MB) is still started by the click only.
"""

from __future__ import annotations

import importlib
import logging
import sys

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from tiki_gui.qt_native import load_qt_library

__all__ = ["WebEnginePrewarm"]

_log = logging.getLogger(__name__)

_LIBRARIES_BEFORE = {"PySide6.QtWebEngineCore": ("libQt6Quick.so.6", "libQt6WebEngineCore.so.6")}
"""Qt libraries loaded on their own before a module that needs them (Linux, where found)."""

_AUTHORIZE_TRIGGERS = (QEvent.Type.Enter, QEvent.Type.HoverEnter, QEvent.Type.FocusIn)
_FIELD_TRIGGERS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
_KEY_PRESS = QEvent.Type.KeyPress


class WebEnginePrewarm(QObject):
    """Watches ``form`` and its ``authorize`` button; loads QtWebEngine once, when touched."""

    warmed = Signal()  # QtWebEngine and the consent browser's modules are loaded

    def __init__(
        self, form: QWidget, authorize: QAbstractButton, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._authorize = authorize
        self._triggered = False
        self._pending: list[str] = []
        self._actions: list[QAction] = []
        self._fields = [
            field
            for field in form.findChildren(QWidget)
            if field.focusPolicy() != Qt.FocusPolicy.NoFocus
        ]
        self._edits = form.findChildren(QLineEdit)
        authorize.installEventFilter(self)
        authorize.pressed.connect(self.trigger)
        for field in self._fields:
            if field is not authorize:
                field.installEventFilter(self)
        for edit in self._edits:
            edit.textEdited.connect(self.trigger)
        # Ctrl in a widget of the window outside the form (the menu bar, a toolbar, a dock):
        # a bare Ctrl is no widget's key, so it goes up to the window, watched here. (Not an
        # application-wide filter: PySide would wrap every object of every event, QtWebEngine's
        # internal ones included, and crashed with one mid-flow.)
        self._window = form.window()
        if self._window is not form:
            self._window.installEventFilter(self)

    @property
    def triggered(self) -> bool:
        return self._triggered

    def watch_action(self, action: QAction) -> None:
        """Trigger on ``action`` highlighted in a menu too (until triggered)."""
        if not self._triggered:
            action.hovered.connect(self.trigger)
            self._actions.append(action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window:
            if _is_ctrl(kind, event):
                self.trigger()
        elif watched is self._authorize:
            if kind in _AUTHORIZE_TRIGGERS or kind in _FIELD_TRIGGERS:
                self.trigger()
        elif kind in _FIELD_TRIGGERS:
            self.trigger()
        return False

    def trigger(self, *_: object) -> None:
        """Start loading QtWebEngine from the event loop, once (later calls do nothing)."""
        if self._triggered:
            return
        self._triggered = True
        self._authorize.removeEventFilter(self)
        self._authorize.pressed.disconnect(self.trigger)
        for field in self._fields:
            field.removeEventFilter(self)
        for edit in self._edits:
            edit.textEdited.disconnect(self.trigger)
        for action in self._actions:
            action.hovered.disconnect(self.trigger)
        self._window.removeEventFilter(self)
        QTimer.singleShot(0, self, self._begin)

    def _begin(self) -> None:
        from tiki_gui import webengine  # the package: the proxy for Chromium, nothing heavy

        self._pending = []
        for name in webengine.MODULES:
            if name not in sys.modules:
                self._pending += _libraries_before(name)
            self._pending.append(name)
        self._step()

    def _step(self) -> None:
        """Load the next module (or library); the following one in a later event-loop step."""
        if self._pending:
            name = self._pending.pop(0)
            if name.startswith("lib"):  # a Qt library (libQt6...), not a module
                load_qt_library(name)
            else:
                importlib.import_module(name)
        if self._pending:
            QTimer.singleShot(0, self, self._step)
            return
        _log.debug("QtWebEngine pre-warmed")
        self.warmed.emit()


def _is_ctrl(kind: QEvent.Type, event: QEvent) -> bool:
    """Ctrl (Command on macOS: Qt's Ctrl there) pressed."""
    return kind is _KEY_PRESS and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Control


def _libraries_before(module: str) -> tuple[str, ...]:
    """The Qt libraries to load before ``module`` (Linux; loaded where found)."""
    return _LIBRARIES_BEFORE.get(module, ()) if sys.platform.startswith("linux") else ()
