"""Scopes as checkboxes for the ones Tiki documents, plus the space-separated text itself.

The line edit (objectName ``scope``) is the value; the checkboxes are a view of it, kept in sync
both ways: ticking a box adds the scope at the end of the text, unticking removes it, and typing a
known scope ticks its box. Scopes Tiki adds later are typed as free text.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QVBoxLayout, QWidget

from tiki_gui.core.scopes import DEPRECATED_SCOPES, TIKI_SCOPES
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP
from tiki_gui.ui.shared.widgets import named

__all__ = ["ScopePicker"]

_SCOPE_HELP: dict[str, str] = {
    "offline": QT_TRANSLATE_NOOP("ScopePicker", "Needed to get a refresh token"),
    "product": QT_TRANSLATE_NOOP("ScopePicker", "Read and update the seller's products"),
    "order": QT_TRANSLATE_NOOP("ScopePicker", "Read and handle the seller's orders"),
    "inventory": QT_TRANSLATE_NOOP("ScopePicker", "Read the seller's inventory (read only)"),
    "multichannel": QT_TRANSLATE_NOOP("ScopePicker", "Multichannel APIs (some partners only)"),
    "all": QT_TRANSLATE_NOOP(
        "ScopePicker", "Deprecated by Tiki (basic product + order): prefer product and order"
    ),
}
_COLUMNS = 3


class ScopePicker(QWidget):
    """Checkboxes for Tiki's scopes above a line edit holding the scope string."""

    scope_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        for index, scope in enumerate((*TIKI_SCOPES, *DEPRECATED_SCOPES)):
            deprecated = scope in DEPRECATED_SCOPES
            text = self.tr("{scope} (deprecated)").format(scope=scope) if deprecated else scope
            help_text = self.tr(_SCOPE_HELP[scope])
            box = named(
                QCheckBox(text, self),
                f"scope_{scope}",
                self.tr("Scope {scope}").format(scope=text),
                help_text,
            )
            box.setToolTip(help_text)
            box.toggled.connect(self._on_box_toggled)
            self._boxes[scope] = box
            grid.addWidget(box, index // _COLUMNS, index % _COLUMNS)
        self.line_edit = named(
            QLineEdit(self),
            "scope",
            self.tr("Scopes"),
            self.tr("Space-separated scopes; type scopes Tiki adds later here"),
        )
        self.line_edit.setPlaceholderText(self.tr("offline product order"))
        self.line_edit.setToolTip(
            self.tr(
                "Space-separated scopes (not commas). Scopes not listed above can be typed here."
            )
        )
        self.line_edit.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.line_edit)

    @property
    def boxes(self) -> dict[str, QCheckBox]:
        """The checkboxes by scope, in display order."""
        return dict(self._boxes)

    def scope(self) -> str:
        return self.line_edit.text()

    def set_scope(self, text: str) -> None:
        self.line_edit.setText(text)

    @Slot(bool)
    def _on_box_toggled(self, checked: bool) -> None:
        sender = self.sender()
        scope = next((name for name, box in self._boxes.items() if box is sender), None)
        if scope is None:
            return
        items = self.line_edit.text().split()
        if checked and scope not in items:
            items.append(scope)
        elif not checked:
            items = [item for item in items if item != scope]
        self.line_edit.setText(" ".join(items))

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        present = set(text.split())
        for scope, box in self._boxes.items():
            if box.isChecked() != (scope in present):
                was_blocked = box.blockSignals(True)
                box.setChecked(scope in present)
                box.blockSignals(was_blocked)
        self.scope_changed.emit(text)
