"""The main window: the credentials form on the left, the running flow on the right.

The right side is the :class:`~tiki_gui.ui.signin.flow_view.FlowView`. With storage, the profile
bar is the top tool bar and the stored tokens a dock (:mod:`tiki_gui.ui.window_storage`). Escape
cancels a flow, Ctrl+Q quits, Enter in the form authorizes.

Start-up is staged (issue 11): what the first paint shows (the form, the guide, the profile bar,
the menus) is made in the constructor; the rest is made after the first paint, one step per
event-loop turn (:data:`~tiki_gui.ui.window_stages.STAGES`), so that the GUI thread is never held
long at once. Each is also made at once when something reaches it first (:attr:`flow`,
:attr:`consent_pane`, :attr:`stored_tokens`, ... are properties), so nothing behaves differently,
only sooner or later. The seller API console is made when its tab is first shown
(:mod:`tiki_gui.ui.api_console.dock`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractEventDispatcher, QSize, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QShortcut
from PySide6.QtWidgets import QMainWindow, QWidget

from tiki_gui.core.shared_http import HttpFactory, SharedHttp
from tiki_gui.ui.sandbox_mode import open_sandbox
from tiki_gui.ui.shared.colors import Tone, follow_palette, notice_style
from tiki_gui.ui.shared.enum_free import set_keys, window_exposed
from tiki_gui.ui.shared.parts import Part
from tiki_gui.ui.signin.credentials_form import CredentialsForm
from tiki_gui.ui.signin.flow_view import FlowView
from tiki_gui.ui.window_closing import asked_before_losing_tokens, tokens_would_be_lost
from tiki_gui.ui.window_layout import (
    FRAME_ALLOWANCE,
    PREFERRED_SIZE,
    first_window_size,
    lay_out,
    tab_to_pages_after,
)
from tiki_gui.ui.window_menus import WindowMenus
from tiki_gui.ui.window_stages import STAGES

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPalette  # not made before the first paint (issue 11)
    from PySide6.QtWidgets import QDockWidget, QLabel, QMessageBox, QToolBar

    from tiki_gui.sandbox import SandboxServer
    from tiki_gui.storage import ProfileStore
    from tiki_gui.storage.profiles import ProfileWithSecret
    from tiki_gui.ui.api_console.controller import ApiConsole
    from tiki_gui.ui.profiles.controller import ProfilesController
    from tiki_gui.ui.shared.jobs import JobRunner
    from tiki_gui.ui.signin.consent_pane import ConsentPane
    from tiki_gui.ui.signin.error_panel import ErrorPanel
    from tiki_gui.ui.signin.flow import AuthorizationFlow
    from tiki_gui.ui.signin.obtained_tokens_panel import TokenPanel
    from tiki_gui.ui.signin.preflight_check import TokenEndpointCheck
    from tiki_gui.ui.signin.prewarm import WebEnginePrewarm
    from tiki_gui.ui.signin.system_browser_pane import SystemBrowserPane
    from tiki_gui.ui.signin.timeline_panel import TimelinePanel
    from tiki_gui.ui.signin.token_request import TokenExchanger
    from tiki_gui.ui.stored_tokens.auto_refresh import RefreshPolicy
    from tiki_gui.ui.stored_tokens.controller import StoredTokensController
    from tiki_gui.ui.window_signin import WindowSignIn
    from tiki_gui.ui.window_storage import WindowStorage

__all__ = ["FRAME_ALLOWANCE", "MainWindow", "first_window_size"]  # two from window_layout


class MainWindow(QMainWindow):
    """tiki-gui's window. ``config`` pre-fills the form; ``banner`` is shown above it."""

    closing = Signal()  # the window accepted a close (the app quits with it)
    staged = Signal()  # the steps after the first paint are done (see the module docstring)
    painted = Signal()  # once, on the event-loop turn after the window's first paint

    # With storage (None without: nothing is saved), set by install_storage().
    profiles: ProfilesController | None = None
    keyring_jobs: JobRunner
    prewarm: WebEnginePrewarm | None = None  # made after the first paint
    _staging = False  # the steps after the first paint are under way (or done)
    _painted = False  # the window was painted
    _awaiting_paint = False  # shown: its first paint is looked for at each event-loop turn
    profile_toolbar: QToolBar

    def __init__(
        self,
        config: ProfileWithSecret | None = None,
        *,
        banner: str = "",
        http_factory: HttpFactory | None = None,
        storage: ProfileStore | None = None,
        refresh_policy: RefreshPolicy | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowTitle("tiki-gui")
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.resize(first_window_size(screen.availableGeometry()))
        self._consent_mode = False
        self._sign_in: WindowSignIn | None = None
        self._storage: WindowStorage | None = None
        self._stages = list(STAGES)  # run after the first paint
        self._shut_down = False
        self._profile_name = "default"  # the consent browser's session: see profile_name

        self.http = SharedHttp(http_factory)  # one client for every request of this window
        self.form = CredentialsForm()
        if config is not None:
            self.form.set_value(config)
        self.flow_view = view = FlowView()
        view.pages_built.connect(self._on_pages_built)
        self.guide, self.pages = view.guide, view.pages
        self.flow_status, self.flow_progress = view.flow_status, view.flow_progress
        self.cancel = view.cancel
        self.cancel.clicked.connect(self._on_cancel)
        self.banner, self.form_column = lay_out(self, banner)
        self._restyle()
        follow_palette(self._restyle)
        self.menus = WindowMenus(self)
        menus = self.menus  # the window's actions, as attributes of the window too
        self.quit_action, self.authorize_action = menus.quit_action, menus.authorize_action
        self.copy_access_action = menus.copy_access_action
        self.previous_tokens_action = menus.previous_tokens_action
        self.sandbox_action, self.help_links = menus.sandbox_action, menus.help_links
        # By name, a window shortcut (QShortcut's default): no Qt enum or QKeySequence (~2 ms)
        # before the first paint.
        self.escape_shortcut = QShortcut(self)
        set_keys(self.escape_shortcut, key="Esc")
        self.escape_shortcut.activated.connect(self._on_cancel)
        self.form.authorize_requested.connect(self._on_authorize_requested)
        self.form.sign_out_browser_requested.connect(self._on_sign_out_browser)
        self.sandbox_server: SandboxServer | None = None  # started by "Try it on the sandbox"
        if storage is not None:
            from tiki_gui.ui.window_storage import install_storage

            self._storage = install_storage(self, storage, refresh_policy)

    def sizeHint(self) -> QSize:
        return PREFERRED_SIZE

    # -- staged start ------------------------------------------------------------------------

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        if visible and not self._painted and not self._awaiting_paint:
            self._awaiting_paint = True
            QAbstractEventDispatcher.instance().aboutToBlock.connect(self._on_loop_turn)

    @Slot()
    def _on_loop_turn(self) -> None:
        # The first paint, found without a Python event handler: paintEvent, event() or an event
        # filter would make PySide6 build QEvent and its ~180 types at the first event (~4 ms of
        # the start, issue 11). A widget window paints as it is exposed, in that turn: once its
        # window is exposed, at the next turn of the event loop, it has been painted. (Asked
        # through enum_free: PySide6's QWindow and its bases would cost ~2 ms more.)
        if self._painted or not window_exposed(self):
            return
        self._painted = True
        QAbstractEventDispatcher.instance().aboutToBlock.disconnect(self._on_loop_turn)
        QTimer.singleShot(0, self, self._after_first_paint)  # after what is queued already

    @Slot()
    def _after_first_paint(self) -> None:
        self.painted.emit()
        if self._stages and not self._staging:
            self._staging = True  # the rest is made from the event loop
            self._next_stage()

    @Slot()
    def _next_stage(self) -> None:
        if self._stages:
            self._stages.pop(0)(self)
        if self._stages:
            QTimer.singleShot(0, self, self._next_stage)
        else:
            self.staged.emit()

    @property
    def staging_done(self) -> bool:
        """The steps after the first paint have all run (:attr:`staged` was emitted)."""
        return self._staging and not self._stages

    @property
    def sign_in(self) -> WindowSignIn:
        """The flow and its wiring (:mod:`tiki_gui.ui.window_signin`), made now if not yet."""
        if self._sign_in is None:
            self.flow_view.build_pages()  # which makes the sign-in (_on_pages_built)
        if self._sign_in is None:
            from tiki_gui.ui.window_signin import WindowSignIn

            self._sign_in = WindowSignIn(self)
        return self._sign_in

    @property
    def sign_in_ready(self) -> bool:
        """True once the sign-in is made (reading this makes nothing)."""
        return self._sign_in is not None

    @Slot()
    def prepare_sign_in(self) -> None:
        """The check's thread makes the HTTP client and loads the flow's network modules (the
        sign-in is made now if the steps after the paint have not made it yet): QtWebEngine's
        pre-warm calls it once loaded."""
        if not self._shut_down:
            self.sign_in.preflight.prepare()

    @Slot()
    def _on_pages_built(self) -> None:
        _ = self.sign_in  # pages without their wiring would be dead: wire them now
        tab_to_pages_after(self.cancel, self.flow_view)  # where they would be if made earlier

    # The sign-in's parts (properties: mypy infers WindowSignIn's attributes in its __init__).
    @property
    def flow(self) -> AuthorizationFlow:
        return self.sign_in.flow

    @property
    def exchanger(self) -> TokenExchanger:
        return self.sign_in.exchanger

    @property
    def preflight(self) -> TokenEndpointCheck:
        return self.sign_in.preflight

    # The flow view's pages, made on demand by the flow view.
    consent_pane: Part[MainWindow, ConsentPane] = Part(lambda w: w.flow_view.consent_pane)
    system_browser_pane: Part[MainWindow, SystemBrowserPane] = Part(
        lambda w: w.flow_view.system_browser_pane
    )
    timeline_panel: Part[MainWindow, TimelinePanel] = Part(lambda w: w.flow_view.timeline_panel)
    token_panel: Part[MainWindow, TokenPanel] = Part(lambda w: w.flow_view.token_panel)
    error_panel: Part[MainWindow, ErrorPanel] = Part(lambda w: w.flow_view.error_panel)
    exchange_page: Part[MainWindow, QLabel] = Part(lambda w: w.flow_view.exchange_page)

    @property
    def stored_tokens(self) -> StoredTokensController | None:
        """The stored tokens (None without storage), made now if not yet (after the paint)."""
        return None if self._storage is None else self._storage.tokens

    @property
    def token_dock(self) -> QDockWidget:
        """The stored tokens' dock (the window needs storage), made now if not yet."""
        if self._storage is None:
            raise RuntimeError("the stored tokens need the window's storage")
        return self._storage.token_dock

    @property
    def api_console(self) -> ApiConsole:
        """The seller API console (the window needs storage), made now if not yet."""
        if self._storage is None:
            raise RuntimeError("the API console needs the window's storage")
        return self._storage.api_console

    @property
    def profile_name(self) -> str:
        """The app profile in use: the consent browser keeps one Tiki login per profile."""
        return self._profile_name

    @profile_name.setter
    def profile_name(self, name: str) -> None:
        self._profile_name = name
        if self.flow_view.pages_ready:
            self.consent_pane.profile_name = name

    # -- public ------------------------------------------------------------------------------

    @Slot()
    def start_sandbox(self) -> None:
        """Start the built-in sandbox (once) and fill the form with its demo app: with storage,
        as the in-memory "Sandbox" profile. Stopped by :meth:`shutdown`."""
        if not self.sign_in_ready or not self.flow.running:
            open_sandbox(self)

    def shutdown(self) -> None:
        """Cancel any flow, tear the browser down, wait for a token request to end (bounded by
        the HTTP timeouts) and close the HTTP client. Call before the window is deleted."""
        self._stages.clear()  # nothing more is made
        self._shut_down = True  # a late pre-warm must not make the sign-in now
        if self._sign_in is not None:
            self._sign_in.close()
        if self.profiles is not None and self._storage is not None:
            self.profiles.close()  # saves the form: its secret goes to the keyring worker
            if self._storage.tokens_built:
                self._storage.tokens.close()
            self.keyring_jobs.close()
        self.http.close()  # last: every job that could use it has ended
        if self.sandbox_server is not None:
            self.sandbox_server.stop()
            self.sandbox_server = None

    @Slot()
    def authorize_if_ready(self) -> None:
        """Click Authorize, if the form allows it (the window's shortcut, "Start again")."""
        if self.form.authorize.isEnabled():
            self.form.authorize.click()

    _on_authorize_shortcut = authorize_if_ready

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(str)
    def show_copied(self, what: str) -> None:
        self.statusBar().showMessage(
            self.tr("{what} copied to the clipboard.").format(what=what), 4000
        )

    @property
    def about_box(self) -> QMessageBox | None:
        return self.menus.about_box

    @property
    def consent_mode(self) -> bool:
        return self._consent_mode

    def set_consent_mode(self, on: bool) -> None:
        """While the seller signs in the page gets the window: the (read-only) form, the profile
        bar, the timeline and the stored tokens step aside; Cancel stays above the page."""
        if on == self._consent_mode:
            return
        self._consent_mode = on
        self.form_column.setVisible(not on)
        self.flow_view.set_consent_mode(on)
        if self.profiles is not None:
            self.profile_toolbar.setVisible(not on)
        if self._storage is not None:
            self._storage.update_docks()

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def _on_authorize_requested(self) -> None:
        self.sign_in.authorize()

    @Slot()
    def _on_cancel(self) -> None:
        if self.sign_in_ready and self.flow.running:
            self.flow.cancel()

    @Slot()
    def _on_sign_out_browser(self) -> None:
        self.consent_pane.sign_out_browser()
        self.statusBar().showMessage(
            self.tr("Signed out of the embedded browser for this profile."), 6000
        )

    def show_banner(self, text: str) -> None:
        """Show ``text`` (the sandbox's line) above the form, in the notice's colours."""
        self.banner.setText(text)
        self._restyle()
        self.banner.setVisible(True)

    @Slot()
    @Slot("QPalette")  # by name: the class is not made before the first paint
    def _restyle(self, palette: QPalette | None = None) -> None:
        """The sandbox banner's colours from the palette (light or dark scheme: the application's
        new one, when it changes); none while it has no text (it is hidden then: at most windows'
        first paint, issue 11)."""
        banner = getattr(self, "banner", None)
        if banner is not None and banner.text():
            palette = palette if palette is not None else self.palette()
            banner.setStyleSheet(notice_style("QLabel#sandbox_banner", Tone.NOTICE, palette))

    # -- closing -----------------------------------------------------------------------------

    def tokens_would_be_lost(self) -> bool:
        """Closing now loses tokens (see :mod:`tiki_gui.ui.window_closing`)."""
        return tokens_would_be_lost(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing here blocks: a token request still in flight is abandoned, its outcome dropped,
        # and shutdown() (called by the app before deleting the window) waits for it to end.
        if asked_before_losing_tokens(self, event):
            return
        if self._sign_in is not None:
            self.flow.cancel()
            self.consent_pane.close_browser()
        super().closeEvent(event)
        if event.isAccepted():
            self.closing.emit()
