"""The window with storage: the profile bar as the top tool bar, the stored tokens in a dock
(hidden until the profile has a stored token: nothing empty on screen), the seller API console
tabbed with them once there is a seller to call as, and the wiring between these and the form.

:func:`install_storage` sets the window's ``keyring_jobs``, ``profiles`` and ``profile_toolbar``
and returns the :class:`WindowStorage` that keeps them in step. The profile bar is built before
the first paint (it is on screen: the window must not jump); the keyring is read after it
(:meth:`~tiki_gui.ui.shared.jobs.JobRunner.hold_until`). The stored tokens (their
controller and hidden dock, :attr:`WindowStorage.tokens`) are not on screen at the first paint:
they are made after it (issue 11), or at once when something reaches them first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QToolBar, QWidget

from tiki_gui.ui.profiles.controller import ProfilesController
from tiki_gui.ui.shared.jobs import JobRunner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from tiki_gui.storage import ProfileStore
    from tiki_gui.ui.api_console.controller import ApiConsole
    from tiki_gui.ui.api_console.dock import ApiConsoleDock
    from tiki_gui.ui.main_window import MainWindow
    from tiki_gui.ui.stored_tokens.auto_refresh import RefreshPolicy
    from tiki_gui.ui.stored_tokens.controller import StoredTokensController

__all__ = ["WindowStorage", "install_storage"]


def install_storage(
    window: MainWindow, store: ProfileStore, policy: RefreshPolicy | None
) -> WindowStorage:
    """The profile bar (top tool bar) of ``window``, wired; the stored tokens come later."""
    # One keyring thread for the window: keyring writes stay in order.
    window.keyring_jobs = JobRunner("keyring", threads=1, parent=window)
    # The keyring's import and backend lookup wait for the window's first paint (issue 11).
    window.keyring_jobs.hold_until(window.painted)
    profiles = ProfilesController(store, window.form, window.keyring_jobs, window)
    window.profiles = profiles
    toolbar = QToolBar(QCoreApplication.translate("MainWindow", "Profile"), window)
    toolbar.setObjectName("profile_toolbar")
    toolbar.setMovable(False)
    toolbar.setFloatable(False)
    toolbar.addWidget(profiles.bar)
    window.addToolBar(toolbar)  # at the top, the default: no Qt enum before the first paint
    window.profile_toolbar = toolbar
    # Tab starts in the profile bar, then goes down the form.
    bar = profiles.bar
    chain = [bar.profile, bar.new, bar.rename, bar.duplicate, bar.delete, bar.import_]
    for first, second in zip(chain, [*chain[1:], bar.export], strict=True):
        QWidget.setTabOrder(first, second)
    QWidget.setTabOrder(bar.export, window.form.client_id)
    wiring = WindowStorage(window, profiles, store, policy)
    profiles.start()
    return wiring


class WindowStorage(QObject):
    """Keeps the profiles, the stored tokens, the console's dock and the window in step."""

    def __init__(
        self,
        window: MainWindow,
        profiles: ProfilesController,
        store: ProfileStore,
        policy: RefreshPolicy | None,
    ) -> None:
        super().__init__(window)
        self._window, self._profiles = window, profiles
        self._store, self._policy = store, policy
        self._tokens: StoredTokensController | None = None
        self._token_dock: QDockWidget | None = None  # made with the tokens
        self._console_dock: ApiConsoleDock | None = None
        profiles.opened.connect(self._on_profile_opened)
        profiles.busy_changed.connect(self._on_profile_job_busy)
        profiles.message.connect(window.show_message)

    @property
    def tokens_built(self) -> bool:
        """True once the stored tokens are made (reading this makes nothing)."""
        return self._tokens is not None

    @property
    def tokens(self) -> StoredTokensController:
        """The stored tokens' controller, its dock and wiring made now if not yet."""
        return self._built()[0]

    @property
    def token_dock(self) -> QDockWidget:
        """The stored tokens' dock (hidden while the profile has no stored token)."""
        return self._built()[1]

    def _built(self) -> tuple[StoredTokensController, QDockWidget]:
        if self._tokens is None or self._token_dock is None:
            self._tokens, self._token_dock = self._build_tokens()
        return self._tokens, self._token_dock

    def _build_tokens(self) -> tuple[StoredTokensController, QDockWidget]:
        from PySide6.QtCore import Qt  # after the first paint: see enum_free
        from PySide6.QtWidgets import QDockWidget

        from tiki_gui.ui.stored_tokens.controller import StoredTokensController

        window, profiles, store = self._window, self._profiles, self._store
        tokens = StoredTokensController(
            store, keyring=window.keyring_jobs, http=window.http, policy=self._policy, parent=window
        )
        dock = QDockWidget(QCoreApplication.translate("MainWindow", "Stored tokens"), window)
        dock.setObjectName("token_manager_dock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(tokens.manager)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        # A few rows by default: the form and the tokens come first; the user can drag it taller.
        window.resizeDocks([dock], [180], Qt.Orientation.Vertical)
        dock.setVisible(False)  # shown once the profile has a stored token: nothing empty
        self._tokens, self._token_dock = tokens, dock  # before the wiring: it reads them
        tokens.loaded.connect(self.update_docks)
        tokens.changed.connect(self.update_docks)
        tokens.changed.connect(self._on_records_changed)
        profiles.opened.connect(tokens.show_profile)
        profiles.keyring_changed.connect(tokens.set_keyring_ok)
        tokens.keyring_checked.connect(profiles.set_keyring_ok)
        tokens.message.connect(window.show_message)
        tokens.manager.reauthorize_requested.connect(self._on_reauthorize_requested)
        tokens.manager.setEnabled(not profiles.busy)
        # What the profiles did before: the open profile (listed now), the keyring's answer.
        if profiles.current:
            tokens.show_profile(profiles.current, profiles.profile)
        if profiles.keyring_ok is not None:
            tokens.set_keyring_ok(profiles.keyring_ok)
        tokens.start(sandbox=store.sandbox is not None)
        return tokens, dock

    @property
    def api_console(self) -> ApiConsole:
        """The seller API console, its dock installed and the console made now if not yet."""
        return self._install_console_dock().console

    @property
    def api_console_built(self) -> bool:
        return self._console_dock is not None and self._console_dock.built

    def _install_console_dock(self) -> ApiConsoleDock:
        if self._console_dock is None:
            from tiki_gui.ui.api_console.dock import ApiConsoleDock  # issue 13

            self._console_dock = ApiConsoleDock(self._window, self.token_dock)
            self.update_docks()
        return self._console_dock

    @Slot()
    def update_docks(self) -> None:
        """The stored tokens and the console are shown when there is a stored seller, except
        while the seller signs in (the consent page gets the window)."""
        if self._tokens is None or self._token_dock is None:
            return  # not made yet: nothing to show (it looks when it is made)
        window = self._window
        shown = bool(self._tokens.manager.records()) and not window.consent_mode
        self._token_dock.setVisible(shown)
        if shown and self._console_dock is None:
            self._install_console_dock()  # the first seller: the console's tab (not the console)
            return
        if self._console_dock is not None:
            self._console_dock.dock.setVisible(shown)  # the console needs a stored seller too

    @Slot()
    def _on_records_changed(self) -> None:
        """Tokens on screen that are now in the keyring need no warning before they go."""
        view = self._window.flow_view
        shown = view.token_panel.tokens if view.pages_ready else None
        if shown is None:
            return
        stored = {record.token.access_token for record in self.tokens.manager.records()}
        if shown.access_token in stored:
            view.token_panel.mark_kept()

    @Slot(str, object)
    def _on_profile_opened(self, name: str, _profile: object) -> None:
        # Each app profile has its own remembered Tiki login: two sellers never share cookies.
        self._window.profile_name = name

    @Slot(bool)
    def _on_profile_job_busy(self, busy: bool) -> None:
        # A rename, duplicate, delete or import moves keyring entries: nothing else meanwhile.
        self._window.form.setEnabled(not busy)
        if self._tokens is not None:
            self._tokens.manager.setEnabled(not busy)

    @Slot()
    def _on_reauthorize_requested(self) -> None:
        window = self._window
        if window.form.authorize.isEnabled():
            window.form.authorize.click()
        else:
            window.show_message(
                self.tr("Fill in the form (client secret included) to authorize again.")
            )
