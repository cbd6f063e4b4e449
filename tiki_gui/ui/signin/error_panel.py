"""Why a flow failed: a sentence, what to try, the way to the fix, and the server's own fields.

Actions lead to the fix: "Go to <field>" (the window focuses and marks the field at fault),
"Switch to <method> and start again" (when the server names the registered auth method) and
"Start again". The details say "What the server said" only when a server answered.
"""

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

from tiki_gui.core.options import AuthMethod
from tiki_gui.ui.shared.error_text import ErrorReport
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP
from tiki_gui.ui.shared.labels import label as option_label
from tiki_gui.ui.shared.widgets import button, monospace_font, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

__all__ = ["ErrorPanel"]


def _selectable(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


_FIELD_LABELS = {
    "client_id": QT_TRANSLATE_NOOP("ErrorPanel", "Client ID"),
    "client_secret": QT_TRANSLATE_NOOP("ErrorPanel", "Client secret"),
    "redirect_uri": QT_TRANSLATE_NOOP("ErrorPanel", "Redirect URI"),
    "scope": QT_TRANSLATE_NOOP("ErrorPanel", "Scopes"),
    "auth_method": QT_TRANSLATE_NOOP("ErrorPanel", "Auth method"),
    "authorization_endpoint": QT_TRANSLATE_NOOP("ErrorPanel", "Authorization endpoint"),
    "token_endpoint": QT_TRANSLATE_NOOP("ErrorPanel", "Token endpoint"),
}


class ErrorPanel(QWidget):
    """Shows one :class:`ErrorReport`, with the actions that lead to its fix."""

    copied = Signal(str)
    field_requested = Signal(str)  # objectName of the form field at fault
    auth_method_requested = Signal(str)  # AuthMethod value: switch to it and start again
    start_again_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: ErrorReport | None = None
        self.error_message = named(_selectable(WrappedLabel()), "error_message", self.tr("Error"))
        font = self.error_message.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.error_message.setFont(font)
        self.error_advice = named(
            _selectable(WrappedLabel()), "error_advice", self.tr("What to try")
        )
        mono = monospace_font()
        self._fields: dict[str, QLabel] = {}
        self.details = QGroupBox(self.tr("Details"))
        self.details.setObjectName("error_details")
        details = QFormLayout(self.details)
        for name, text in (
            ("error", "error"),
            ("error_description", "error_description"),
            ("error_hint", "error_hint"),
            ("status_code", self.tr("HTTP status")),
            ("detail", self.tr("Detail")),
        ):
            value = named(_selectable(WrappedLabel()), f"error_field_{name}", text)
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

        self.go_to_field = button(
            "", "error_go_to_field", self.tr("Go to the field at fault"), on_click=self._on_go_to
        )
        self.switch_auth_method = button(
            "",
            "error_switch_auth_method",
            self.tr("Switch the auth method and start again"),
            on_click=self._on_switch,
        )
        self.start_again = button(
            self.tr("Start again"),
            "error_start_again",
            self.tr("Start the authorization again"),
            on_click=self.start_again_requested,
        )
        heading = QLabel(self.tr("<b>The flow did not finish</b>"))
        advice_title = QLabel(self.tr("<b>What to try</b>"))
        actions = QHBoxLayout()
        for action in (self.switch_auth_method, self.go_to_field, self.start_again):
            actions.addWidget(action)
        actions.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_error_details)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.error_message)
        layout.addSpacing(6)
        layout.addWidget(advice_title)
        layout.addWidget(self.error_advice)
        layout.addLayout(actions)
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
        self.details.setTitle(
            self.tr("What the server said") if report.server_answered else self.tr("Details")
        )
        field = report.field if report.field in _FIELD_LABELS else None
        self.go_to_field.setVisible(field is not None and report.switch_to is None)
        if field is not None:
            field_name = self.tr(_FIELD_LABELS[field])
            self.go_to_field.setText(self.tr("Go to %1").replace("%1", field_name))
        self.switch_auth_method.setVisible(report.switch_to is not None)
        if report.switch_to is not None:
            method = option_label(AuthMethod(report.switch_to))
            self.switch_auth_method.setText(
                self.tr("Switch to \u201c%1\u201d and start again").replace("%1", method)
            )

    @Slot()
    def _on_go_to(self) -> None:
        if self._report is not None and self._report.field is not None:
            self.field_requested.emit(self._report.field)

    @Slot()
    def _on_switch(self) -> None:
        if self._report is not None and self._report.switch_to is not None:
            self.auth_method_requested.emit(self._report.switch_to)

    @Slot()
    def _on_copy_details(self) -> None:
        if self._report is not None:
            QGuiApplication.clipboard().setText(self._report.as_text())
            self.copied.emit(self.tr("Error details"))
