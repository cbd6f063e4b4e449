"""A combo box offering one of the core's options (:mod:`tiki_gui.core.options`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from PySide6.QtWidgets import QComboBox

from tiki_gui.ui.shared.labels import label
from tiki_gui.ui.shared.widgets import named

__all__ = ["fill", "option_combo"]


class _Option(Protocol):
    @property
    def value(self) -> str: ...
    @property
    def label(self) -> str: ...


def option_combo(
    object_name: str, accessible_name: str, description: str, options: Iterable[_Option]
) -> QComboBox:
    """A named combo box with one item per option, that never widens the form."""
    combo = named(QComboBox(), object_name, accessible_name, description)
    # Long labels must not widen the form: the popup still shows them whole.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    fill(combo, options)
    return combo


def fill(combo: QComboBox, options: Iterable[_Option]) -> None:
    """One item per option: its label shown, its value as the item's data."""
    for option in options:
        combo.addItem(label(option), option.value)
