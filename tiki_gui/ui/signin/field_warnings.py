"""The warning icon and reason shown on each line edit of the credentials form.

The icon and its actions are made when a field first needs one, not with the form: the style's
standard icon costs PySide the ~20 enums of ``QStyle`` (issue 11), and a new or valid form shows
none at its first paint. A line edit's hidden action takes no room, so nothing moves either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit

from tiki_gui.storage.profiles import FieldProblem

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QIcon

__all__ = ["FieldWarnings"]


class FieldWarnings:
    """One trailing warning icon per line edit; the reason in its tooltip and accessible
    description, in place of the field's own tooltip while there is one."""

    def __init__(self, edits: Mapping[str, QLineEdit], icon: Callable[[], QIcon]) -> None:
        self._edits = dict(edits)
        self._tooltips = {name: edit.toolTip() for name, edit in self._edits.items()}
        self._icon = icon
        self._icon_made: QIcon | None = None
        self._actions: dict[str, QAction] = {}

    def _action(self, name: str) -> QAction:
        """The warning icon's action on ``name`` (hidden), made now if not yet."""
        action = self._actions.get(name)
        if action is None:
            if self._icon_made is None:
                self._icon_made = self._icon()
            edit = self._edits[name]
            action = edit.addAction(self._icon_made, QLineEdit.ActionPosition.TrailingPosition)
            action.setVisible(False)
            self._actions[name] = action
        return action

    def action(self, name: str) -> QAction | None:
        """The warning icon's action on ``name``, if one was ever needed."""
        return self._actions.get(name)

    def show(self, problems: Iterable[FieldProblem]) -> None:
        """Mark the fields of ``problems``; the other fields get their own tooltip back."""
        by_field = {problem.field: problem.message for problem in problems}
        for name, edit in self._edits.items():
            message = by_field.get(name)
            # Empty required fields are only reported next to Authorize: no icon on a new form.
            shown = message is not None and bool(edit.text().strip())
            action = self._action(name) if shown else self._actions.get(name)
            if action is not None:
                action.setVisible(shown)
                action.setToolTip(message or "")
            edit.setToolTip(message or self._tooltips.get(name, ""))
            edit.setAccessibleDescription(message or "")

    def mark(self, name: str, reason: str) -> None:
        """Show the icon on ``name`` with ``reason`` until the next :meth:`show`."""
        if name in self._edits:
            action = self._action(name)
            action.setVisible(True)
            action.setToolTip(reason)
