"""The window's menus and their actions: File (Authorize, Try it on the sandbox, Quit), Tokens
(copy the access token from anywhere, the previous sign-in's tokens) and Help (Tiki's pages in
the system browser, About with the version)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QShortcut

from tiki_gui.ui.help_menu import add_help_links, app_version
from tiki_gui.ui.shared.enum_free import set_keys
from tiki_gui.ui.shared.i18n import language_switcher
from tiki_gui.ui.shared.language_menu import add_language_menu
from tiki_gui.ui.shared.widgets import text_action
from tiki_gui.ui.signin.credentials_form import AUTHORIZE_SHORTCUT

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from tiki_gui.ui.main_window import MainWindow

__all__ = ["WindowMenus"]


class WindowMenus(QObject):
    """Builds ``window``'s menu bar; its actions are attributes (tests trigger them)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.about_box: QMessageBox | None = None
        bar = window.menuBar()

        file_menu = bar.addMenu(self.tr("&File"))
        self.authorize_action = self._action(
            self.tr("&Authorize"), "authorize_action", window._on_authorize_shortcut
        )
        # Shortcuts by their text, as Qt's .ui files set them: QKeySequence's class costs
        # PySide6 ~2 ms before the first paint, and setShortcut(str) would make Qt.Key (issue 11).
        set_keys(self.authorize_action, shortcut=AUTHORIZE_SHORTCUT)
        self.authorize_on_keypad = QShortcut(window)  # Ctrl and the keypad's Enter too
        set_keys(self.authorize_on_keypad, key="Ctrl+Enter")
        self.authorize_on_keypad.activated.connect(self.authorize_action.trigger)
        self.sandbox_action = self._action(
            self.tr("Try it on the &sandbox"), "sandbox_action", window.start_sandbox
        )
        self.sandbox_action.setToolTip(window.flow_view.try_sandbox.toolTip())
        window.flow_view.try_sandbox.clicked.connect(window.start_sandbox)
        self.quit_action = self._action(self.tr("&Quit"), "quit_action", window.close)
        set_keys(self.quit_action, shortcut="Ctrl+Q", shortcutContext="ApplicationShortcut")
        file_menu.addAction(self.authorize_action)
        file_menu.addSeparator()
        file_menu.addAction(self.sandbox_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        tokens_menu = bar.addMenu(self.tr("&Tokens"))
        self.copy_access_action = self._action(
            self.tr("&Copy access token"), "copy_access_action", self._on_copy_access_token
        )
        set_keys(self.copy_access_action, shortcut="Ctrl+Shift+C")
        self.previous_tokens_action = self._action(
            self.tr("Show the &previous tokens"),
            "previous_tokens_action",
            self._on_show_previous_tokens,
        )
        tokens_menu.addAction(self.copy_access_action)
        tokens_menu.addAction(self.previous_tokens_action)
        tokens_menu.aboutToShow.connect(self.update_token_actions)
        self.update_token_actions()

        add_language_menu(bar, language_switcher())
        help_menu = bar.addMenu(self.tr("&Help"))
        self.help_links = add_help_links(help_menu, window)
        help_menu.addSeparator()
        self.about_action = self._action(self.tr("&About tiki-gui"), "about_action", self._on_about)
        help_menu.addAction(self.about_action)
        for action in (self.authorize_action, self.copy_access_action, self.quit_action):
            window.addAction(action)  # their shortcuts work with the menu bar hidden too

    def _action(self, text: str, name: str, slot: object) -> QAction:
        action = text_action(text, self._window)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    @Slot()
    def _on_copy_access_token(self) -> None:
        view = self._window.flow_view
        if view.pages_ready:  # no token panel yet: no token to copy
            view.token_panel.copy_access_token.click()  # copies nothing when none is shown

    @Slot()
    def update_token_actions(self) -> None:
        window = self._window
        view = window.flow_view  # its pages are made after the first paint: none before
        self.previous_tokens_action.setEnabled(
            view.pages_ready and view.token_panel.previous is not None and not window.flow.running
        )

    @Slot()
    def _on_show_previous_tokens(self) -> None:
        window = self._window
        previous = window.token_panel.previous
        if previous is None or window.flow.running:
            return
        window.token_panel.set_tokens(previous)
        window.pages.setCurrentWidget(window.token_panel)
        window.flow_status.setText(self.tr("The tokens of the previous sign-in."))
        self.update_token_actions()

    @Slot()
    def _on_about(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox  # its enums, only when asked (issue 11)

        window = self._window
        box = QMessageBox(window)
        box.setObjectName("about_box")
        box.setWindowTitle(self.tr("About tiki-gui"))
        box.setIconPixmap(window.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            self.tr(
                "<b>tiki-gui %1</b><br>Runs Tiki Marketplace's OAuth 2.0 authorization code "
                "flow for integrators.<br><br>Tiki's documentation: %2"
            )
            .replace("%1", app_version())
            .replace("%2", '<a href="https://open.tiki.vn/">open.tiki.vn</a>')
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._on_about_closed)
        self.about_box = box
        box.open()

    @Slot()
    def _on_about_closed(self) -> None:
        self.about_box = None
