"""Where the window's parts go: the form in a scrolling column on the left (Authorize below it,
always in view), the flow view on the right, and the window's first size on the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from tiki_gui.ui.shared.enum_free import set_keys
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from tiki_gui.ui.main_window import MainWindow
    from tiki_gui.ui.signin.flow_view import FlowView

__all__ = ["PREFERRED_SIZE", "first_window_size", "lay_out", "tab_to_pages_after"]

PREFERRED_SIZE = QSize(1280, 860)
FRAME_ALLOWANCE = 40  # title bar and borders the window system adds around the client area


def first_window_size(available: QRect) -> QSize:
    """The first window's size: the preferred size, or what fits in the screen's ``available``
    area (taskbars and panels excluded) with room left for the window's frame."""
    width = min(PREFERRED_SIZE.width(), available.width())
    height = min(PREFERRED_SIZE.height(), available.height() - FRAME_ALLOWANCE)
    return QSize(max(width, 640), max(height, 480))


def lay_out(window: MainWindow, banner: str) -> tuple[QLabel, QWidget]:
    """Put ``window``'s form and flow view in its central widget, ``banner`` (the sandbox's
    line, shown only if not empty) above the form; the banner and the form's column."""
    form = window.form
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    banner_label = WrappedLabel(banner)
    banner_label.setObjectName("sandbox_banner")
    set_keys(banner_label, textInteractionFlags="TextSelectableByMouse")
    banner_label.setVisible(bool(banner))
    left_layout.addWidget(banner_label)
    left_layout.addWidget(form)
    scroll = QScrollArea()
    scroll.setObjectName("form_scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    set_keys(scroll, focusPolicy="NoFocus")  # no unnamed Tab stop: its fields are
    scroll.setWidget(left)
    # The form scrolls; Authorize stays below it, always in view.
    form_column = QWidget()
    form_column.setObjectName("form_column")
    form_column.setMinimumWidth(400)
    column = QVBoxLayout(form_column)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(scroll, 1)
    column.addWidget(form.authorize_bar)

    splitter = QSplitter()  # side by side, QSplitter's default
    splitter.setObjectName("main_splitter")
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(form_column)
    splitter.addWidget(window.flow_view)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([460, 740])
    central = QWidget()
    central_layout = QVBoxLayout(central)
    central_layout.setContentsMargins(8, 8, 8, 4)
    central_layout.addWidget(splitter)
    window.setCentralWidget(central)
    QWidget.setTabOrder(form.authorize, window.cancel)
    return banner_label, form_column


def tab_to_pages_after(cancel: QWidget, view: FlowView) -> None:
    """Tab goes from the form (Authorize, then ``cancel``) to ``view``'s pages, then its
    timeline, as when they were made with the window: made later (after the first paint), Qt
    would put them after the form's first field.

    Each page's chain is walked alone: a walk through the whole window's chain makes Python
    wrappers for Qt's own widgets, which crash QtWebEngine's teardown at exit."""
    from PySide6.QtCore import Qt  # after the first paint: see tiki_gui/ui/shared/enum_free.py

    tab = Qt.FocusPolicy.TabFocus
    pages = view.pages
    parts = [page for i in range(1, pages.count()) if (page := pages.widget(i))]  # 0: guide
    chain: list[QWidget] = []
    for part in [*parts, view.timeline_panel]:
        widget: QWidget | None = part
        while widget is not None and (widget is part or part.isAncestorOf(widget)):
            if widget.focusPolicy() & tab == tab:
                chain.append(widget)  # the Tab stops only: a container takes its children
            widget = widget.nextInFocusChain()
    for first, second in zip([cancel, *chain], chain, strict=False):
        QWidget.setTabOrder(first, second)
