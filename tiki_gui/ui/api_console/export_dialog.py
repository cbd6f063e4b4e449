"""Export a seller's token as an environment for Postman, Insomnia or Bruno.

The dialog says plainly that the file holds a live token; the refresh token is left out unless
the person ticks it. The file is chosen with a non-blocking ``QFileDialog.open()`` and written
readable by its owner only (0600 where the system has such permissions).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.api.exports import ExportFormat, TokenExport, export_file
from tiki_gui.core.errors import ValidationError
from tiki_gui.storage.records import SellerRecord
from tiki_gui.ui.shared.widgets import named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

__all__ = ["ExportDialog", "write_private_file"]


def write_private_file(path: Path, content: str) -> None:
    """Write ``content`` to ``path``, readable and writable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
    if os.name == "posix":
        os.chmod(path, 0o600)  # an existing file keeps its mode on open()


class ExportDialog(QDialog):
    """Format, name, "include the refresh token", the live-token warning; Save asks for a file."""

    exported = Signal(str)  # the path written

    def __init__(
        self,
        record: SellerRecord,
        api_base: str,
        profile_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("api_export_dialog")
        self.setWindowTitle(self.tr("Export the token of %1").replace("%1", record.seller_name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._record, self._api_base = record, api_base
        self.format = named(QComboBox(), "api_export_format", self.tr("Export format"))
        for fmt in ExportFormat:
            self.format.addItem(fmt.label, fmt.value)
        self.name = named(QLineEdit(), "api_export_name", self.tr("Environment name"))
        self.name.setText(f"Tiki {profile_name} {record.seller_name}")
        self.include_refresh = named(
            QCheckBox(self.tr("Include the refresh token")), "api_export_refresh",
            self.tr("Include the refresh token"),
            self.tr("Whoever has it can get new access tokens until it is revoked"),
        )  # fmt: skip
        self.include_refresh.setEnabled(bool(record.token.refresh_token))
        self.warning = named(WrappedLabel(), "api_export_warning", self.tr("Live token warning"))
        self.warning.setStyleSheet(
            "QLabel#api_export_warning { background: #fdecea; color: #5f1a14;"
            " border: 1px solid #e6a19b; border-radius: 4px; padding: 6px; }"
        )
        self.problem = WrappedLabel()
        self.problem.setObjectName("api_export_problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("api_export_buttons")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Environment name"), self.name)
        form.addRow("", self.include_refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.include_refresh.toggled.connect(self._update_warning)
        self._update_warning()
        self._file_dialog: QFileDialog | None = None

    def export(self) -> TokenExport:
        """What the file will hold; ValidationError if a field cannot be used."""
        return TokenExport.from_token(
            self._record.token,
            name=self.name.text().strip(),
            base_url=self._api_base,
            seller_id=self._record.seller_id,
            include_refresh_token=self.include_refresh.isChecked(),
        )

    def content(self) -> tuple[str, str]:
        """(suggested file name, file text) for the chosen format."""
        return export_file(self.export(), ExportFormat(self.format.currentData()))

    @Slot()
    def _update_warning(self) -> None:
        if self.include_refresh.isChecked():
            text = self.tr(
                "This file holds a live access token and a refresh token: anyone who has it can "
                "call Tiki's API as this seller, and keep doing so with new tokens. Keep it out "
                "of shared folders and version control, and delete it when you are done."
            )
        else:
            text = self.tr(
                "This file holds a live access token: anyone who has it can call Tiki's API as "
                "this seller until the token expires. Keep it out of shared folders and version "
                "control, and delete it when you are done."
            )
        self.warning.setText(text)

    @Slot()
    def _on_save(self) -> None:
        try:
            suggested, _ = self.content()
        except ValidationError as exc:
            self.problem.setText(str(exc))
            return
        dialog = QFileDialog(self, self.tr("Save the environment"))
        dialog.setObjectName("api_export_file_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.selectFile(suggested)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_to)
        self._file_dialog = dialog
        dialog.open()

    @Slot(str)
    def save_to(self, path: str) -> None:
        """Write the export to ``path`` (a file of a few KB) and close the dialog."""
        try:
            _, text = self.content()
            write_private_file(Path(path), text)
        except (ValidationError, OSError) as exc:
            self.problem.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
            return
        self.exported.emit(path)
        self.accept()
