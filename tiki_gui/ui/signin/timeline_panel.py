"""The flow's timeline, shown as text with a "Copy as text" button (for a bug report).

The panel watches one :class:`~tiki_gui.core.timeline.Timeline` at a time. Entries are recorded
on whatever thread made them (token requests run on a worker), so the listener only emits a
signal: Qt queues it to the GUI thread, where the line waits for the event loop's next turn
and is appended with the others that came meanwhile, in one edit: the window paints what a step
changed (the tokens, at the redirect) before the timeline's text is laid out again, ~1 ms an
append (issue 11, P3). While the panel is hidden (a sign-in on the consent page, whose start the
window's GUI thread serves: issue 11, P2) its text is not touched: it is written whole when the
panel is shown. Every entry is already masked by the timeline; the panel shows nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.ui.shared.widgets import monospace_font, named

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from tiki_gui.core.timeline import Timeline, TimelineEntry

__all__ = ["TimelinePanel"]


class TimelinePanel(QWidget):
    """Read-only text of the current flow's timeline, and a Copy button."""

    copied = Signal(str)  # what was copied, for the status bar
    _entry_recorded = Signal(object, object)  # Timeline, TimelineEntry (from any thread)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._pending: list[str] = []  # lines of the watched timeline not appended yet
        self._stale = False  # hidden: the text is written whole when the panel is shown
        self._written: set[int] = set()  # ids of the entries in the text when written whole
        self.heading = QLabel(self.tr("Timeline of the last sign-in (secrets masked)"))
        self.heading.setObjectName("timeline_heading")
        self.text = named(QPlainTextEdit(), "timeline", self.tr("Sign-in timeline"))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(monospace_font())
        self.text.setPlaceholderText(
            self.tr("Each step of a sign-in is listed here, with timings.")
        )
        self.copy_timeline = named(
            QPushButton(self.tr("Copy as text")),
            "copy_timeline",
            self.tr("Copy the timeline"),
            self.tr("Copy the timeline as text, for a bug report"),
        )
        self.copy_timeline.setEnabled(False)
        self.copy_timeline.clicked.connect(self._on_copy)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.heading, 1)
        header.addWidget(self.copy_timeline)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.text, 1)
        self._entry_recorded.connect(self._on_entry, Qt.ConnectionType.QueuedConnection)

    @property
    def timeline(self) -> Timeline | None:
        return self._timeline

    def watch(self, timeline: Timeline | None) -> None:
        """Show ``timeline`` (and every entry it gets from now on) instead of the previous one."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._timeline = timeline
        self._pending.clear()
        self.copy_timeline.setEnabled(timeline is not None)
        self._stale = timeline is not None and self.isHidden()
        if not self._stale:
            self._write_whole()
        if timeline is None:
            return

        def listener(entry: TimelineEntry) -> None:
            self._entry_recorded.emit(timeline, entry)  # any thread: only emit

        self._unsubscribe = timeline.subscribe(listener)

    def close_timeline(self) -> None:
        """Stop listening (the window is going away); the text stays."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def as_text(self) -> str:
        return self._timeline.as_text() if self._timeline is not None else ""

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self._write_whole()
        super().showEvent(event)

    def _write_whole(self) -> None:
        timeline = self._timeline
        self._pending.clear()
        if timeline is None:
            self.text.clear()
            self._written = set()
            return
        entries = timeline.entries  # one snapshot: entries recorded after it are still queued
        self._written = {id(entry) for entry in entries}
        self.text.setPlainText(timeline.as_text(entries).rstrip("\n"))

    @Slot(object, object)
    def _on_entry(self, timeline: Timeline, entry: TimelineEntry) -> None:
        if timeline is self._timeline and not self._stale and id(entry) not in self._written:
            if not self._pending:
                QTimer.singleShot(0, self, self._append_pending)
            self._pending.append(entry.as_text())

    @Slot()
    def _append_pending(self) -> None:
        if self._pending:
            self.text.appendPlainText("\n".join(self._pending))
            self._pending.clear()

    @Slot()
    def _on_copy(self) -> None:
        text = self.as_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(self.tr("Timeline"))
