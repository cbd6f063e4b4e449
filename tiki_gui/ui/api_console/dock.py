"""The console in the main window: a "Seller API" dock tabbed with the stored tokens, and
"Try the API with this seller" in the stored-token list's context menu.

On a laptop screen the dock starts short (the form comes first): when the console's tab is shown
the dock grows to give the console room (up to :data:`CONSOLE_SHARE` of the window, never
shrinking what the person made taller), and when an answer arrives the panel scrolls to it.

The dock and the menu entry are cheap and come with the first stored seller; the console itself
(:class:`~tiki_gui.ui.api_console.controller.ApiConsole`, which loads httpx and the seller API
tools: ~100 ms and several MB, issue 11) is made the first time its tab is shown, the entry is
chosen, or :attr:`ApiConsoleDock.console` is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QTabBar, QWidget

if TYPE_CHECKING:
    from tiki_gui.ui.api_console.controller import ApiConsole
    from tiki_gui.ui.main_window import MainWindow

__all__ = ["CONSOLE_SHARE", "ApiConsoleDock"]

CONSOLE_SHARE = 0.6
"""The most of the window's height the dock takes when the console's tab is shown."""


class ApiConsoleDock(QObject):
    """The "Seller API" dock of ``window`` (which has storage), beside ``tokens_dock``."""

    def __init__(self, window: MainWindow, tokens_dock: QDockWidget) -> None:
        super().__init__(window)
        tokens = window.stored_tokens
        if tokens is None or window.profiles is None:
            raise RuntimeError("the API console needs the window's storage")
        self._window = window
        self._console: ApiConsole | None = None
        dock = QDockWidget(QCoreApplication.translate("ApiConsoleDock", "Seller API"), window)
        dock.setObjectName("api_console_dock")
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        placeholder = QWidget()
        placeholder.setObjectName("api_console_placeholder")  # until the tab is first shown
        dock.setWidget(placeholder)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.tabifyDockWidget(tokens_dock, dock)
        tokens_dock.raise_()
        for tabs in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not tabs.objectName():  # the tabs Qt makes for the two docks: a named keyboard stop
                tabs.setObjectName("dock_tabs")
                tabs.setAccessibleName(
                    QCoreApplication.translate("ApiConsoleDock", "Stored tokens and seller API")
                )
        self.dock = dock
        dock.visibilityChanged.connect(self._on_visibility_changed)
        sellers = tokens.manager.sellers
        action = QAction(
            QCoreApplication.translate("ApiConsoleDock", "Try the API with this seller"), sellers
        )
        action.setObjectName("api_try_seller")
        action.triggered.connect(self._open_for_selected)
        sellers.addAction(action)
        sellers.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        sellers.itemDoubleClicked.connect(self._open_for_selected)

    @property
    def built(self) -> bool:
        """True once the console exists (reading this builds nothing)."""
        return self._console is not None

    @property
    def console(self) -> ApiConsole:
        """The console, made now if it was not yet."""
        if self._console is None:
            from tiki_gui.ui.api_console.controller import ApiConsole  # httpx: issue 11

            window = self._window
            tokens, profiles = window.stored_tokens, window.profiles
            if tokens is None or profiles is None:
                raise RuntimeError("the API console needs the window's storage")
            console = ApiConsole(
                tokens=tokens,
                profiles=profiles,
                flow=window.flow,
                form_config=window.form.value,
                http=window.http,
                parent=window,
            )
            console.dock = self.dock
            placeholder = self.dock.widget()
            # The panel scrolls inside the dock: its full height would push the window past a
            # laptop screen's bottom edge (1366x768).
            scroll = QScrollArea()
            scroll.setObjectName("api_console_scroll")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(console.panel)
            self.dock.setWidget(scroll)
            scroll.show()  # a widget put into a shown dock must be shown (Qt's rule)
            if placeholder is not None:
                placeholder.deleteLater()
            console.finished.connect(lambda: scroll.ensureWidgetVisible(console.panel.tabs, 0, 0))
            console.message.connect(window.show_message)
            window.closing.connect(console.close)
            self._console = console
        return self._console

    @Slot(bool)
    def _on_visibility_changed(self, visible: bool) -> None:
        if not visible:
            return
        wanted = self.console.panel.sizeHint().height()  # made now if its tab is first shown
        room = int(self._window.height() * CONSOLE_SHARE)
        height = min(wanted, room)
        if not self.dock.isFloating() and self.dock.height() < height:
            self._window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)

    @Slot()
    def _open_for_selected(self) -> None:
        tokens = self._window.stored_tokens
        if tokens is not None:
            self.console.open_for(tokens.manager.selected_seller())
