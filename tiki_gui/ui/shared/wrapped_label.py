"""A word-wrapped label that remembers its height for each width (issue 11, P3).

Qt's ``QLabel`` lays its whole text out again each time a layout asks its height for a width,
and one layout pass of the window asks the same widths of the same labels many times: a
``QStackedWidget`` asks every page, hidden ones too, and box layouts ask both the height and
the minimum height. When the tokens arrive that came to ~150 asks for ~25 different (label,
width) pairs, ~12 ms of text layout on the GUI thread before the tokens could be painted.
:class:`WrappedLabel` answers the repeated asks from what it measured.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

__all__ = ["WrappedLabel"]

_KEPT_WIDTHS = 16
"""Heights kept per label: a window being resized asks new widths all the time."""


class WrappedLabel(QLabel):
    """A ``QLabel`` with word wrap on whose height for a width is measured once per look.

    What the height depends on beside the width, the text and everything QLabel sizes it by
    (font, style sheet, margins, indent, format), is told by the text and by the label's own
    size hint, which QLabel keeps and measures again after any of those changes: the heights
    are kept under those and forgotten when they change. (Not by a ``changeEvent`` override:
    it would make PySide's ``QEvent`` class, ~4 ms, before the window's first paint.)
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._heights: dict[int, int] = {}
        self._measured: tuple[str, int, int] | None = None

    def heightForWidth(self, width: int) -> int:
        hint = self.sizeHint()
        look = (self.text(), hint.width(), hint.height())
        heights = self._heights
        if look != self._measured:
            heights.clear()
            self._measured = look
        height = heights.get(width)
        if height is None:
            if len(heights) >= _KEPT_WIDTHS:
                heights.clear()
            height = heights[width] = super().heightForWidth(width)
        return height
