"""The console's request body: JSON typed or pasted for a write, checked as it is typed.

Shown only for the methods that carry a body (POST, PUT, PATCH). Whether the text is JSON is told
beside it while typing, with the line and column where it stops being JSON; "Format" lays it out
with two-space indents (only when it is JSON: nothing typed is lost).
"""

from __future__ import annotations

import json

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from tiki_gui.api.console import BODY_METHODS, json_problem
from tiki_gui.ui.shared.widgets import button, monospace_font, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

__all__ = ["RequestBodyEditor"]


class RequestBodyEditor(QWidget):
    """A JSON editor with a live verdict and a Format button."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("api_request_body_box")
        self.editor = named(
            QPlainTextEdit(), "api_request_body", self.tr("Request body (JSON)"),
            self.tr("Sent as application/json with POST, PUT and PATCH"),
        )  # fmt: skip
        self.editor.setFont(monospace_font())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(True)  # Tab moves on, as in the rest of the form
        self.editor.setPlaceholderText('{"confirmation_status": "seller_confirmed"}')
        self.editor.setMaximumHeight(self.fontMetrics().lineSpacing() * 9)
        self.verdict = named(
            WrappedLabel(), "api_request_body_verdict", self.tr("Is the body JSON?")
        )
        self.format = button(
            self.tr("Format"), "api_request_body_format", self.tr("Format the JSON body"),
            on_click=self.format_json,
        )  # fmt: skip
        heading = QHBoxLayout()
        heading.addWidget(QLabel(self.tr("Body (JSON)")))
        heading.addWidget(self.verdict, 1)
        heading.addWidget(self.format)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.editor)
        self.editor.textChanged.connect(self._on_text_changed)
        self._on_text_changed()

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)

    def problem(self) -> str | None:
        """Why the body cannot be sent, in the UI's language; None when it can (blank or JSON)."""
        text = self.text()
        if not text.strip():
            return None
        problem = json_problem(text)
        if problem is None:
            return None
        return (
            self.tr("Not JSON yet: line %1, column %2 (%3)")
            .replace("%1", str(problem.line))
            .replace("%2", str(problem.column))
            .replace("%3", problem.message)
        )

    def follow_method(self, method: str) -> None:
        """Shown for the methods that carry a body, hidden (its text kept) for the others."""
        self.setVisible(method in BODY_METHODS)

    @Slot()
    def format_json(self) -> None:
        text = self.text()
        if not text.strip() or json_problem(text) is not None:
            return
        self.set_text(json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n")

    @Slot()
    def _on_text_changed(self) -> None:
        blank = not self.text().strip()
        problem = None if blank else self.problem()
        if blank:
            self.verdict.setText(self.tr("empty: nothing is sent as the body"))
        elif problem is None:
            self.verdict.setText(self.tr("valid JSON"))
        else:
            self.verdict.setText(problem)
        self.verdict.setStyleSheet("color: #b3261e;" if problem is not None else "")
        self.format.setEnabled(not blank and problem is None)
        self.changed.emit()
