"""The warning icon and reason shown on each line edit of the credentials form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QLineEdit

from tiki_gui.storage.profiles import FieldProblem

__all__ = ["FieldWarnings"]


class FieldWarnings:
    """One trailing warning icon per line edit; the reason in its tooltip and accessible
    description, in place of the field's own tooltip while there is one."""

    def __init__(self, edits: Mapping[str, QLineEdit], icon: QIcon) -> None:
        self._edits = dict(edits)
        self._tooltips = {name: edit.toolTip() for name, edit in self._edits.items()}
        self._actions: dict[str, QAction] = {}
        for name, edit in self._edits.items():
            action = edit.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
            action.setVisible(False)
            self._actions[name] = action

    def show(self, problems: Iterable[FieldProblem]) -> None:
        """Mark the fields of ``problems``; the other fields get their own tooltip back."""
        by_field = {problem.field: problem.message for problem in problems}
        for name, edit in self._edits.items():
            message = by_field.get(name)
            # Empty required fields are only reported next to Authorize: no icon on a new form.
            shown = message is not None and bool(edit.text().strip())
            action = self._actions[name]
            action.setVisible(shown)
            action.setToolTip(message or "")
            edit.setToolTip(message or self._tooltips.get(name, ""))
            edit.setAccessibleDescription(message or "")

    def mark(self, name: str, reason: str) -> None:
        """Show the icon on ``name`` with ``reason`` until the next :meth:`show`."""
        action = self._actions.get(name)
        if action is not None:
            action.setVisible(True)
            action.setToolTip(reason)
