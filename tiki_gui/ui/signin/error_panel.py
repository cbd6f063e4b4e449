"""Why a flow failed: a sentence, what to try, and the server's own fields as it sent them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.ui.shared.error_text import ErrorReport
from tiki_gui.ui.shared.widgets import button, monospace_font, named

__all__ = ["ErrorPanel"]


def _selectable(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class ErrorPanel(QWidget):
    """Shows one :class:`ErrorReport`."""

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: ErrorReport | None = None
        self.error_message = named(_selectable(QLabel()), "error_message", self.tr("Error"))
        font = self.error_message.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.error_message.setFont(font)
        self.error_advice = named(_selectable(QLabel()), "error_advice", self.tr("What to try"))
        mono = monospace_font()
        self._fields: dict[str, QLabel] = {}
        self.details = QGroupBox(self.tr("What the server said"))
        self.details.setObjectName("error_details")
        details = QFormLayout(self.details)
        for name, text in (
            ("error", "error"),
            ("error_description", "error_description"),
            ("error_hint", "error_hint"),
            ("status_code", self.tr("HTTP status")),
            ("detail", self.tr("Detail")),
        ):
            value = named(_selectable(QLabel()), f"error_field_{name}", text)
            value.setFont(mono)
            details.addRow(text, value)
            self._fields[name] = value
        self._details_layout = details
        self.copy_error_details = button(
            self.tr("Copy details"),
            "copy_error_details",
            self.tr("Copy error details"),
            on_click=self._on_copy_details,
        )

        heading = QLabel(self.tr("<b>The flow did not finish</b>"))
        advice_title = QLabel(self.tr("<b>What to try</b>"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_error_details)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.error_message)
        layout.addSpacing(6)
        layout.addWidget(advice_title)
        layout.addWidget(self.error_advice)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addStretch(1)

    @property
    def report(self) -> ErrorReport | None:
        return self._report

    def show_report(self, report: ErrorReport) -> None:
        self._report = report
        self.error_message.setText(report.message)
        self.error_advice.setText(report.advice)
        values = {
            "error": report.error,
            "error_description": report.description,
            "error_hint": report.hint,
            "status_code": None if report.status_code is None else str(report.status_code),
            "detail": report.detail,
        }
        for name, label in self._fields.items():
            value = values[name]
            label.setText(value or "")
            self._details_layout.setRowVisible(label, bool(value))
        self.details.setVisible(any(values.values()))

    @Slot()
    def _on_copy_details(self) -> None:
        if self._report is not None:
            QGuiApplication.clipboard().setText(self._report.as_text())
            self.copied.emit(self.tr("Error details"))
