"""The profile bar: which Tiki app registration the form shows, and what to do with profiles.

A combo box (objectName ``profile``) and New / Rename / Duplicate / Delete / Import / Export
buttons. Names and files are asked for with non-blocking dialogs (``open()`` + signals); the bar
only emits what the user asked for, the profile session does it. The keyring notice sits under it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.storage.profiles import SANDBOX_PROFILE_NAME
from tiki_gui.ui.profiles.keyring_notice import KeyringNotice
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP
from tiki_gui.ui.shared.widgets import ask_to_confirm, named

__all__ = ["ProfileBar"]

_JSON_FILTER = QT_TRANSLATE_NOOP("ProfileBar", "Profile files (*.json);;All files (*)")


class ProfileBar(QWidget):
    """Profile combo box and profile actions; every request is a signal."""

    profile_selected = Signal(str)
    new_requested = Signal(str)  # name
    rename_requested = Signal(str)  # new name for the current profile
    duplicate_requested = Signal(str)  # name of the copy
    delete_requested = Signal()  # the current profile, confirmed
    import_requested = Signal(str)  # file path
    export_requested = Signal(str)  # file path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profile_bar")
        self.profile = named(
            QComboBox(), "profile", self.tr("Profile"), self.tr("The Tiki app registration in use")
        )
        self.profile.setMinimumContentsLength(18)
        self.profile.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile.currentTextChanged.connect(self._on_current_text_changed)
        label = QLabel(self.tr("&Profile:"))
        label.setBuddy(self.profile)

        def button(text: str, name: str, accessible: str, slot: Callable[[], None]) -> QPushButton:
            widget = named(QPushButton(text), name, accessible)
            widget.clicked.connect(slot)
            return widget

        self.new = button(self.tr("New\u2026"), "profile_new", self.tr("New profile"), self._on_new)
        self.rename = button(
            self.tr("Rename\u2026"), "profile_rename", self.tr("Rename profile"), self._on_rename
        )
        self.duplicate = button(
            self.tr("Duplicate\u2026"),
            "profile_duplicate",
            self.tr("Duplicate profile"),
            self._on_duplicate,
        )
        self.delete = button(
            self.tr("Delete\u2026"), "profile_delete", self.tr("Delete profile"), self._on_delete
        )
        self.import_ = button(
            self.tr("Import\u2026"),
            "profile_import",
            self.tr("Import a profile from JSON"),
            self._on_import,
        )
        self.export = button(
            self.tr("Export\u2026"),
            "profile_export",
            self.tr("Export the profile to JSON"),
            self._on_export,
        )
        self.export.setToolTip(self.tr("Export the profile as JSON, without the client secret"))
        self.notice = KeyringNotice()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.profile)
        for widget in (
            self.new,
            self.rename,
            self.duplicate,
            self.delete,
            self.import_,
            self.export,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        self.dialog: QWidget | None = None  # the dialog open right now (tests drive it)

    # -- public ------------------------------------------------------------------------------

    def current(self) -> str:
        return self.profile.currentText()

    def set_profiles(self, names: Sequence[str], current: str) -> None:
        """Fill the combo box without emitting ``profile_selected``."""
        with QSignalBlocker(self.profile):
            self.profile.clear()
            self.profile.addItems(list(names))
            self.profile.setCurrentIndex(max(0, self.profile.findText(current)))
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        """While a flow runs the profile cannot change."""
        self.profile.setEnabled(not busy)
        for widget in (self.new, self.rename, self.duplicate, self.delete, self.import_):
            widget.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _update_buttons(self) -> None:
        builtin = self.current() == SANDBOX_PROFILE_NAME
        self.rename.setEnabled(not builtin)
        self.delete.setEnabled(not builtin)

    # -- dialogs -----------------------------------------------------------------------------

    def _ask_name(
        self, name: str, title: str, label: str, text: str, done: Callable[[str], None]
    ) -> None:
        # The dialogs' classes are imported when one opens: PySide makes a class's enums when it
        # is first touched, ~1 ms for these three at every start otherwise (issue 11).
        from PySide6.QtWidgets import QInputDialog

        dialog = QInputDialog(self)
        dialog.setObjectName(name)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        from PySide6.QtCore import Qt  # a dialog: after the first paint (enum_free)

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda value: done(value.strip()))
        self.dialog = dialog
        dialog.open()

    @Slot()
    def _on_new(self) -> None:
        self._ask_name(
            "profile_name_dialog",
            self.tr("New profile"),
            self.tr("Name of the new profile (one Tiki app registration):"),
            "",
            self.new_requested.emit,
        )

    @Slot()
    def _on_rename(self) -> None:
        self._ask_name(
            "profile_name_dialog",
            self.tr("Rename profile"),
            self.tr("New name for '{name}':").format(name=self.current()),
            self.current(),
            self.rename_requested.emit,
        )

    @Slot()
    def _on_duplicate(self) -> None:
        self._ask_name(
            "profile_name_dialog",
            self.tr("Duplicate profile"),
            self.tr("Name of the copy (the client secret is copied, tokens are not):"),
            self.tr("{name} copy").format(name=self.current()),
            self.duplicate_requested.emit,
        )

    @Slot()
    def _on_delete(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.dialog = ask_to_confirm(
            self,
            "profile_delete_confirm",
            self.tr("Delete profile"),
            self.tr(
                "Delete the profile '{name}'? Its client secret and every seller "
                "token stored for it are deleted from the system keyring."
            ).format(name=self.current()),
            self.delete_requested.emit,
            icon=QMessageBox.Icon.Warning,
        )

    def _file_dialog(self, name: str, title: str, save: bool, done: Callable[[str], None]) -> None:
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self, title)
        dialog.setObjectName(name)
        dialog.setNameFilter(self.tr(_JSON_FILTER))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
            dialog.selectFile(f"{self.current()}.json")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        from PySide6.QtCore import Qt  # a dialog: after the first paint (enum_free)

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(done)
        self.dialog = dialog
        dialog.open()

    @Slot()
    def _on_import(self) -> None:
        self._file_dialog(
            "profile_import_dialog", self.tr("Import profile"), False, self.import_requested.emit
        )

    @Slot()
    def _on_export(self) -> None:
        self._file_dialog(
            "profile_export_dialog",
            self.tr("Export profile (without the secret)"),
            True,
            self.export_requested.emit,
        )

    @Slot(str)
    def _on_current_text_changed(self, name: str) -> None:
        self._update_buttons()
        if name:
            self.profile_selected.emit(name)
