"""The console in the main window: a "Seller API" dock tabbed with the stored tokens, and
"Try the API with this seller" in the stored-token list's context menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QTabBar

from tiki_gui.ui.api_console.controller import ApiConsole

if TYPE_CHECKING:
    from tiki_gui.ui.main_window import MainWindow

__all__ = ["install_api_console"]


def install_api_console(window: MainWindow, tokens_dock: QDockWidget) -> ApiConsole:
    """Add the console to ``window`` (which has storage) beside ``tokens_dock``."""
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
    dock = QDockWidget(QCoreApplication.translate("ApiConsoleDock", "Seller API"), window)
    dock.setObjectName("api_console_dock")
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    dock.setWidget(console.panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(tokens_dock, dock)
    tokens_dock.raise_()
    for tabs in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not tabs.objectName():  # the tabs Qt makes for the two docks: a named keyboard stop
            tabs.setObjectName("dock_tabs")
            tabs.setAccessibleName(
                QCoreApplication.translate("ApiConsoleDock", "Stored tokens and seller API")
            )

    console.dock = dock

    def open_for_selected() -> None:
        console.open_for(tokens.manager.selected_seller())

    action = QAction(
        QCoreApplication.translate("ApiConsoleDock", "Try the API with this seller"),
        tokens.manager.sellers,
    )
    action.setObjectName("api_try_seller")
    action.triggered.connect(open_for_selected)
    tokens.manager.sellers.addAction(action)
    tokens.manager.sellers.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    tokens.manager.sellers.itemDoubleClicked.connect(lambda *_: open_for_selected())
    console.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    window.closing.connect(console.close)
    return console
