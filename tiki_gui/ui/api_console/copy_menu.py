""" "Copy as": curl, Python httpx, Node fetch or PHP, for the console's request and for the
profile's token exchange and refresh, with secrets as environment variables unless the person
switches "Include secrets" on and confirms it."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from tiki_gui.api.snippets import SnippetLanguage
from tiki_gui.ui.shared.widgets import ask_to_confirm

__all__ = ["CopyAsMenu", "CopyTarget"]


class CopyTarget(StrEnum):
    """Which request a snippet is for."""

    REQUEST = "request"  # the console's request
    EXCHANGE = "exchange"  # the profile's authorization code exchange
    REFRESH = "refresh"  # the selected seller's token refresh


class CopyAsMenu(QMenu):
    """The menu; ``copy_requested(target, language, include_secrets)`` when an entry is chosen."""

    copy_requested = Signal(str, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("api_copy_as_menu")
        self.setAccessibleName(self.tr("Copy as code"))
        headings = {
            CopyTarget.REQUEST: self.tr("This request"),
            CopyTarget.EXCHANGE: self.tr("The token exchange (authorization code)"),
            CopyTarget.REFRESH: self.tr("The token refresh of this seller"),
        }
        self.entries: dict[tuple[CopyTarget, SnippetLanguage], QAction] = {}
        for target, heading in headings.items():
            self.addSection(heading)
            for language in SnippetLanguage:
                action = QAction(self.tr("Copy as %1").replace("%1", language.label), self)
                action.setObjectName(f"api_copy_{target.value}_{language.value}")
                action.triggered.connect(
                    lambda _=False, t=target, lang=language: self._on_entry(t, lang)
                )
                self.addAction(action)
                self.entries[(target, language)] = action
        self.addSeparator()
        self.include_secrets = QAction(self.tr("Include secrets (live values)\u2026"), self)
        self.include_secrets.setObjectName("api_include_secrets")
        self.include_secrets.setCheckable(True)
        self.include_secrets.toggled.connect(self._on_include_toggled)
        self.addAction(self.include_secrets)
        self._confirm: QMessageBox | None = None

    @property
    def secrets_included(self) -> bool:
        return self.include_secrets.isChecked()

    def _on_entry(self, target: CopyTarget, language: SnippetLanguage) -> None:
        self.copy_requested.emit(target.value, language.value, self.secrets_included)

    @Slot(bool)
    def _on_include_toggled(self, checked: bool) -> None:
        if not checked:
            return
        # Off again until the person said yes: a copied live token is easy to paste by mistake.
        self.include_secrets.blockSignals(True)
        self.include_secrets.setChecked(False)
        self.include_secrets.blockSignals(False)
        parent = self.parentWidget() or self
        self._confirm = ask_to_confirm(
            parent,
            "api_include_secrets_confirm",
            self.tr("Include secrets"),
            self.tr(
                "Copied code will then hold the live client secret and tokens instead of "
                "environment variables. Anyone who gets the text can act as your app and the "
                "seller. Include them?"
            ),
            self._on_confirmed,
            icon=QMessageBox.Icon.Warning,
        )

    def _on_confirmed(self) -> None:
        self.include_secrets.blockSignals(True)
        self.include_secrets.setChecked(True)
        self.include_secrets.blockSignals(False)
