"""The profile operations that touch the keyring (rename, duplicate, delete, import): one at a
time, on the window's keyring worker, saying what happens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from tiki_gui.core.errors import TikiGuiError, ValidationError
from tiki_gui.storage import KeyringUnavailableError
from tiki_gui.ui.shared.jobs import JobRunner
from tiki_gui.ui.shared.storage_text import storage_text

__all__ = ["ProfileJobs"]

_T = TypeVar("_T")


class ProfileJobs(QObject):
    """Runs one profile operation at a time on the keyring worker; see the module."""

    busy_changed = Signal(bool)  # an operation started (True) or came back (False)
    message = Signal(str)  # "Working: ...", or why it "Could not ..."
    finished = Signal()  # an operation came back, after its outcome was handled and said
    keyring_gone = Signal()  # an operation found no keyring

    def __init__(self, keyring: JobRunner, parent: QObject) -> None:
        super().__init__(parent)
        self._keyring = keyring
        self._running: str | None = None

    @property
    def busy(self) -> bool:
        """True while an operation runs."""
        return self._running is not None

    def run(self, what: str, call: Callable[[], _T], on_value: Callable[[_T], None]) -> None:
        """Run ``call`` on the keyring worker; then ``on_value`` gets its result, or the message
        says why "Could not {what}". ValidationError if an operation is already running."""
        if self._running is not None:
            raise ValidationError(self.tr("Wait until the current profile operation has finished."))
        self._set_running(what)
        self.message.emit(self.tr("Working: {what}\u2026").format(what=what))

        def could_not(error: Exception) -> None:
            reason = storage_text(error)
            self.message.emit(
                self.tr("Could not {what}: {reason}").format(what=what, reason=reason)
            )

        def done(value: _T) -> None:
            self._set_running(None)
            try:
                on_value(value)
            except (TikiGuiError, OSError) as exc:
                could_not(exc)
            self.finished.emit()

        def failed(error: Exception) -> None:
            self._set_running(None)
            if isinstance(error, KeyringUnavailableError):
                self.keyring_gone.emit()
            could_not(error)
            self.finished.emit()

        self._keyring.submit(call, done, failed)

    def _set_running(self, what: str | None) -> None:
        self._running = what
        self.busy_changed.emit(what is not None)
