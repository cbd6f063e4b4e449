"""Run something after the window has painted what was just changed (issue 11, P3: a secondary
part of the window is shown once what the user waits for is on screen).

Qt posts a widget's paint as an event at low priority (``Qt.LowEventPriority``), after the
layouts and calls queued at normal priority: a zero-timer, which is such a call, would run
before the paint. :func:`after_paint` posts its call lower still, so it comes after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

__all__ = ["after_paint"]

_BELOW_PAINTS = -2
"""The call's event priority: below ``Qt.LowEventPriority`` (-1), the paints'."""


class _Call(QObject):
    """One call, on its event; deleted with its owner (and then never made)."""

    def __init__(self, owner: QObject, call: Callable[[], None]) -> None:
        super().__init__(owner)
        self._call: Callable[[], None] | None = call

    def customEvent(self, event: QEvent) -> None:
        call, self._call = self._call, None
        self.deleteLater()
        if call is not None:
            call()


def after_paint(owner: QObject, call: Callable[[], None]) -> None:
    """Call ``call`` on the GUI thread once the event loop has done what is queued, the paints
    it asked for included; never if ``owner`` is deleted before."""
    from PySide6.QtCore import QEvent  # made after the first paint (~4 ms, issue 11)

    QCoreApplication.postEvent(_Call(owner, call), QEvent(QEvent.Type.User), _BELOW_PAINTS)
