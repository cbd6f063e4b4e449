"""The main window: the credentials form on the left, the running flow on the right.

The right side is the :class:`~tiki_gui.ui.signin.flow_view.FlowView`. With storage, the profile
bar is the top tool bar and the stored tokens a dock; the window wires the profiles and stored
tokens controllers to the flow and to each other. Escape cancels a flow, Ctrl+Q quits, Enter in
the form authorizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.core.errors import ValidationError
from tiki_gui.core.options import BrowserSession, SignIn
from tiki_gui.core.shared_http import HttpFactory, SharedHttp
from tiki_gui.ui.sandbox_mode import open_sandbox
from tiki_gui.ui.shared.colors import Tone, notice_style
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.shared.icon import app_icon
from tiki_gui.ui.shared.widgets import ask_to_confirm
from tiki_gui.ui.signin.credentials_form import CredentialsForm
from tiki_gui.ui.signin.flow import AuthorizationFlow, FlowState
from tiki_gui.ui.signin.flow_view import FlowView
from tiki_gui.ui.signin.preflight_check import TokenEndpointCheck
from tiki_gui.ui.signin.prewarm import WebEnginePrewarm
from tiki_gui.ui.signin.token_request import TokenExchanger
from tiki_gui.ui.window_menus import WindowMenus

if TYPE_CHECKING:
    from tiki_gui.core.authorization import AuthorizationRequest
    from tiki_gui.sandbox import SandboxServer
    from tiki_gui.storage import ProfileStore
    from tiki_gui.storage.profiles import Profile, ProfileWithSecret
    from tiki_gui.ui.api_console.controller import ApiConsole
    from tiki_gui.ui.profiles.controller import ProfilesController
    from tiki_gui.ui.stored_tokens.auto_refresh import RefreshPolicy
    from tiki_gui.ui.stored_tokens.controller import StoredTokensController

__all__ = ["MainWindow", "first_window_size"]

PREFERRED_SIZE = QSize(1280, 860)
FRAME_ALLOWANCE = 40  # title bar and borders the window system adds around the client area


def first_window_size(available: QRect) -> QSize:
    """The first window's size: the preferred size, or what fits in the screen's ``available``
    area (taskbars and panels excluded) with room left for the window's frame."""
    width = min(PREFERRED_SIZE.width(), available.width())
    height = min(PREFERRED_SIZE.height(), available.height() - FRAME_ALLOWANCE)
    return QSize(max(width, 640), max(height, 480))


class MainWindow(QMainWindow):
    """tiki-gui's window. ``config`` pre-fills the form; ``banner`` is shown above it."""

    closing = Signal()  # the window accepted a close (the app quits with it)
    # The seller API console (issue 13), with storage: installed after the first paint (it
    # loads httpx, issue 11), or on demand through :attr:`api_console`.
    _api_console: ApiConsole | None = None
    _painted = False

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
        self.setWindowIcon(app_icon())
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.resize(first_window_size(screen.availableGeometry()))
        self._consent_mode = False

        self.http = SharedHttp(http_factory)  # one client for every request of this window
        self.exchanger = TokenExchanger(self, http=self.http)
        self.flow = AuthorizationFlow(self.exchanger, self)
        self.preflight = TokenEndpointCheck(self.http, self)
        self.preflight.passed.connect(self._on_preflight_passed)
        self.preflight.failed.connect(self._on_preflight_failed)
        self._held_sign_in: tuple[Profile, AuthorizationRequest] | None = None
        self.form = CredentialsForm()
        if config is not None:
            self.form.set_value(config)
        self.flow_view = FlowView()
        # The flow's pages, as attributes of the window (tests and the self-test reach them here).
        view = self.flow_view
        self.consent_pane, self.system_browser_pane = view.consent_pane, view.system_browser_pane
        self.timeline_panel, self.token_panel = view.timeline_panel, view.token_panel
        self.error_panel, self.guide, self.pages = view.error_panel, view.guide, view.pages
        self.exchange_page, self.flow_status = view.exchange_page, view.flow_status
        self.flow_progress, self.cancel = view.flow_progress, view.cancel
        self.cancel.clicked.connect(self._on_cancel)

        self._build_layout(banner)
        self.menus = WindowMenus(self)
        menus = self.menus  # the window's actions, as attributes of the window too
        self.quit_action, self.authorize_action = menus.quit_action, menus.authorize_action
        self.copy_access_action = menus.copy_access_action
        self.previous_tokens_action = menus.previous_tokens_action
        self.sandbox_action, self.help_links = menus.sandbox_action, menus.help_links
        self.escape_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.escape_shortcut.activated.connect(self._on_cancel)
        self._connect()
        self.prewarm = WebEnginePrewarm(self.form, self.form.authorize, self)  # once touched
        self.prewarm.warmed.connect(self.preflight.prepare)  # then httpx, off the GUI thread
        # Profiles, keyring and stored tokens (None: nothing is saved, as before).
        self.sandbox_server: SandboxServer | None = None  # started by "Try it on the sandbox"
        self.profiles: ProfilesController | None = None
        self.stored_tokens: StoredTokensController | None = None
        if storage is not None:
            self._install_storage(storage, refresh_policy)

    # -- construction ------------------------------------------------------------------------

    def _build_layout(self, banner: str) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel(banner)
        self.banner.setObjectName("sandbox_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._restyle()
        self.banner.setVisible(bool(banner))
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.form)
        scroll = QScrollArea()
        scroll.setObjectName("form_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no unnamed Tab stop: its fields are
        scroll.setWidget(left)
        # The form scrolls; Authorize stays below it, always in view.
        self.form_column = QWidget()
        self.form_column.setObjectName("form_column")
        self.form_column.setMinimumWidth(400)
        column = QVBoxLayout(self.form_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll, 1)
        column.addWidget(self.form.authorize_bar)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("main_splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.form_column)
        splitter.addWidget(self.flow_view)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 740])
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(8, 8, 8, 4)
        central_layout.addWidget(splitter)
        self.setCentralWidget(central)
        QWidget.setTabOrder(self.form.authorize, self.cancel)

    def _install_storage(self, store: ProfileStore, policy: RefreshPolicy | None) -> None:
        """The profile bar (top tool bar) and the stored tokens (a dock), wired to the flow."""
        from tiki_gui.ui.profiles.controller import ProfilesController
        from tiki_gui.ui.shared.jobs import JobRunner
        from tiki_gui.ui.stored_tokens.controller import StoredTokensController

        # One keyring thread for the window: keyring writes stay in order.
        self.keyring_jobs = JobRunner("keyring", threads=1, parent=self)
        profiles = ProfilesController(store, self.form, self.keyring_jobs, self)
        tokens = StoredTokensController(
            store, keyring=self.keyring_jobs, http=self.http, policy=policy, parent=self
        )
        self.profiles, self.stored_tokens = profiles, tokens
        toolbar = QToolBar(self.tr("Profile"), self)
        toolbar.setObjectName("profile_toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.addWidget(profiles.bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        dock = QDockWidget(self.tr("Stored tokens"), self)
        dock.setObjectName("token_manager_dock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(tokens.manager)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        # A few rows by default: the form and the tokens come first; the user can drag it taller.
        self.resizeDocks([dock], [180], Qt.Orientation.Vertical)
        self.profile_toolbar, self.token_dock = toolbar, dock
        dock.setVisible(False)  # shown once the profile has a stored token: nothing empty
        tokens.loaded.connect(self._update_docks)
        tokens.changed.connect(self._update_docks)
        tokens.changed.connect(self._on_records_changed)
        # Tab starts in the profile bar, then goes down the form.
        bar = profiles.bar
        chain = [bar.profile, bar.new, bar.rename, bar.duplicate, bar.delete, bar.import_]
        for first, second in zip(chain, [*chain[1:], bar.export], strict=True):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(bar.export, self.form.client_id)
        profiles.opened.connect(tokens.show_profile)
        profiles.opened.connect(self._on_profile_opened)
        profiles.keyring_changed.connect(tokens.set_keyring_ok)
        profiles.busy_changed.connect(self._on_profile_job_busy)
        profiles.message.connect(self._on_message)
        tokens.keyring_checked.connect(profiles.set_keyring_ok)
        tokens.message.connect(self._on_message)
        tokens.manager.reauthorize_requested.connect(self._on_reauthorize_requested)
        self.flow.succeeded.connect(tokens.store_from_flow)
        profiles.start()
        tokens.start(sandbox=store.sandbox is not None)

    def _connect(self) -> None:
        self.form.authorize_requested.connect(self._on_authorize_requested)
        self.flow.state_changed.connect(self._on_flow_state_changed)
        self.flow.succeeded.connect(self.flow_view.show_tokens)
        self.flow.state_changed.connect(self.menus.update_token_actions)
        self.flow.failed.connect(self._on_flow_failed)
        self.consent_pane.redirect_captured.connect(self.flow.on_redirect_captured)
        self.consent_pane.error_page_reached.connect(self.flow.on_error_page_reached)
        self.consent_pane.load_failed.connect(self.flow.on_load_failed)
        self.consent_pane.location_changed.connect(self._on_location_changed)
        self.consent_pane.navigated.connect(self.flow.on_navigated)
        self.system_browser_pane.pasted.connect(self.flow.on_pasted_url)
        self.system_browser_pane.copied.connect(self._on_copied)
        self.flow.paste_rejected.connect(self.system_browser_pane.show_paste_problem)
        self.flow.loopback_refused.connect(self.system_browser_pane.show_refused)
        self.flow.timeline_started.connect(self.timeline_panel.watch)
        self.flow.timeline_started.connect(self.flow_view.show_timeline)
        self.timeline_panel.copied.connect(self._on_copied)
        self.form.sign_out_browser_requested.connect(self._on_sign_out_browser)
        self.token_panel.copied.connect(self._on_copied)
        self.error_panel.copied.connect(self._on_copied)
        self.error_panel.field_requested.connect(self._on_field_at_fault)
        self.error_panel.auth_method_requested.connect(self._on_switch_auth_method)
        self.error_panel.start_again_requested.connect(self._on_authorize_shortcut)

    def sizeHint(self) -> QSize:
        return PREFERRED_SIZE

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True  # the console's dock waits for the first paint (issue 11)
            if self.stored_tokens is not None:
                QTimer.singleShot(0, self, self._install_api_console)
        return super().event(event)

    @property
    def api_console(self) -> ApiConsole:
        """The seller API console (the window needs storage), installed now if not yet."""
        return self._install_api_console()

    def _install_api_console(self) -> ApiConsole:
        if self._api_console is None:
            from tiki_gui.ui.api_console.dock import install_api_console  # issue 13

            self._api_console = install_api_console(self, self.token_dock)
            self._update_docks()
        return self._api_console

    # -- public ------------------------------------------------------------------------------

    @Slot()
    def start_sandbox(self) -> None:
        """Start the built-in sandbox (once) and fill the form with its demo app: with storage,
        as the in-memory "Sandbox" profile. Stopped by :meth:`shutdown`."""
        if not self.flow.running:
            open_sandbox(self)

    def shutdown(self) -> None:
        """Cancel any flow, tear the browser down, wait for a token request to end (bounded by
        the HTTP timeouts) and close the HTTP client. Call before the window is deleted."""
        self.flow.cancel()
        self.consent_pane.close_browser()
        self.consent_pane.dispose_closed()  # a closed browser waits a moment otherwise
        self.timeline_panel.close_timeline()
        self.preflight.close()
        self.exchanger.close()
        if self.profiles is not None and self.stored_tokens is not None:
            self.profiles.close()  # saves the form: its secret goes to the keyring worker
            self.stored_tokens.close()
            self.keyring_jobs.close()
        self.http.close()  # last: every job that could use it has ended
        if self.sandbox_server is not None:
            self.sandbox_server.stop()
            self.sandbox_server = None

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def _on_authorize_requested(self) -> None:
        if self.flow.running:
            return  # one flow at a time
        value, stored = self.form.value(), False
        if self.profiles is not None:
            value, stored = self.profiles.sign_in_value()
        try:
            request = self.flow.begin(value, stored=stored)
        except ValidationError as exc:
            self.statusBar().showMessage(core_text(str(exc)), 8000)
            return
        if request is None or self.flow.state is not FlowState.CONSENT:
            return  # client credentials (no browser), or the listener could not start
        # The token endpoint must answer before the seller signs in (a wrong one would waste
        # the sign-in): the page loads meanwhile but stays hidden (held), and the system
        # browser is not opened, until it does; a failed check closes the page unseen.
        config = value.profile
        self._held_sign_in = (config, request)
        if config.sign_in is SignIn.EMBEDDED:
            self.consent_pane.start(
                request.url,
                redirect_uri=request.redirect_uri,
                authorization_endpoint=request.authorization_endpoint,
                remember=config.browser_session is BrowserSession.REMEMBER,
                hold=True,
            )
        self.flow_status.setText(self.tr("Checking that the token endpoint answers\u2026"))
        self.preflight.start(config.token_endpoint)

    @Slot(object)
    def _on_preflight_passed(self, _status: object) -> None:
        held, self._held_sign_in = self._held_sign_in, None
        if held is None or self.flow.state is not FlowState.CONSENT:
            return
        config, request = held
        if self.flow.request is not request:
            return  # an older flow's check
        self.flow_view.show_state(FlowState.CONSENT, config, code=True)  # the status line
        if config.sign_in is SignIn.EMBEDDED:
            self.consent_pane.release()
        else:
            self.system_browser_pane.start(
                config.sign_in, request.url, redirect_uri=request.redirect_uri
            )

    @Slot(object)
    def _on_preflight_failed(self, error: BaseException) -> None:
        self._held_sign_in = None
        self.flow.abort(error)

    @Slot()
    def _on_sign_out_browser(self) -> None:
        self.consent_pane.sign_out_browser()
        self.statusBar().showMessage(
            self.tr("Signed out of the embedded browser for this profile."), 6000
        )

    @Slot()
    def _on_cancel(self) -> None:
        if self.flow.running:
            self.flow.cancel()

    @property
    def about_box(self) -> QMessageBox | None:
        return self.menus.about_box

    @Slot()
    def _on_authorize_shortcut(self) -> None:
        if self.form.authorize.isEnabled():
            self.form.authorize.click()

    @Slot(str)
    def _on_field_at_fault(self, name: str) -> None:
        report = self.error_panel.report
        reason = report.message if report is not None else ""
        self.form.show_field_at_fault(name, reason)

    @Slot(str)
    def _on_switch_auth_method(self, method: str) -> None:
        combo = self.form.auth_method
        combo.setCurrentIndex(max(0, combo.findData(method)))
        self._on_authorize_shortcut()

    @Slot()
    def _on_records_changed(self) -> None:
        """Tokens on screen that are now in the keyring need no warning before they go."""
        shown = self.token_panel.tokens
        if shown is None or self.stored_tokens is None:
            return
        stored = {record.token.access_token for record in self.stored_tokens.manager.records()}
        if shown.access_token in stored:
            self.token_panel.mark_kept()

    def _set_consent_mode(self, on: bool) -> None:
        """While the seller signs in the page gets the window: the (read-only) form, the profile
        bar, the timeline and the stored tokens step aside; Cancel stays above the page."""
        if on == self._consent_mode:
            return
        self._consent_mode = on
        self.form_column.setVisible(not on)
        self.flow_view.set_consent_mode(on)
        if self.profiles is not None:
            self.profile_toolbar.setVisible(not on)
        self._update_docks()

    @Slot()
    def _update_docks(self) -> None:
        if self.stored_tokens is None:
            return
        shown = bool(self.stored_tokens.manager.records()) and not self._consent_mode
        self.token_dock.setVisible(shown)
        console = self._api_console  # installed after the first paint
        if console is not None and console.dock is not None:
            console.dock.setVisible(shown)  # the seller API console needs a stored seller too

    @Slot(object)
    def _on_flow_state_changed(self, state: FlowState) -> None:
        config = self.flow.profile
        embedded = config is None or config.sign_in is SignIn.EMBEDDED
        if state.running and self.token_panel.needs_keeping:
            self._on_message(
                self.tr(
                    "The tokens on screen were not copied or stored: Tokens > Show the previous "
                    "tokens brings them back."
                )
            )
        if state is not FlowState.CONSENT:
            self.preflight.cancel()  # Cancel, Escape, a failure: the check is dropped too
            self._held_sign_in = None
        self._set_consent_mode(state is FlowState.CONSENT and embedded)
        self.form.set_busy(state.running)
        if self.profiles is not None:
            self.profiles.set_flow_running(state.running)
        self.flow_view.show_state(state, self.flow.profile, code=self.flow.request is not None)
        if state is FlowState.CANCELLED:
            self.form.authorize.setFocus()

    @Slot(object)
    def _on_flow_failed(self, error: BaseException) -> None:
        self.flow_view.show_error(error)
        self.form.authorize.setFocus()

    @Slot(str, object)
    def _on_profile_opened(self, name: str, _profile: object) -> None:
        # Each app profile has its own remembered Tiki login: two sellers never share cookies.
        self.consent_pane.profile_name = name

    @Slot(bool)
    def _on_profile_job_busy(self, busy: bool) -> None:
        # A rename, duplicate, delete or import moves keyring entries: nothing else meanwhile.
        self.form.setEnabled(not busy)
        if self.stored_tokens is not None:
            self.stored_tokens.manager.setEnabled(not busy)

    @Slot()
    def _on_reauthorize_requested(self) -> None:
        if self.form.authorize.isEnabled():
            self.form.authorize.click()
        else:
            self._on_message(
                self.tr("Fill in the form (client secret included) to authorize again.")
            )

    @Slot(str)
    def _on_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_location_changed(self, host: str, is_tls: bool) -> None:
        security = self.tr("TLS") if is_tls else self.tr("not encrypted")
        self.consent_pane.setAccessibleDescription(
            self.tr("Page from {host} ({security})").format(host=host, security=security)
        )

    @Slot(str)
    def _on_copied(self, what: str) -> None:
        self.statusBar().showMessage(
            self.tr("{what} copied to the clipboard.").format(what=what), 4000
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        """The sandbox banner's colours from the palette (light or dark scheme)."""
        banner = getattr(self, "banner", None)
        if banner is not None:
            banner.setStyleSheet(notice_style("QLabel#sandbox_banner", Tone.NOTICE, self.palette()))

    def tokens_would_be_lost(self) -> bool:
        """Closing now loses tokens: shown, never copied, and no keyring to have stored them
        (the built-in sandbox's demo tokens are worth nothing: no warning for those)."""
        from tiki_gui.storage import SANDBOX_PROFILE_NAME

        profiles = self.profiles
        if profiles is None or profiles.keyring_ok is not False:
            return False
        return self.token_panel.needs_keeping and profiles.current != SANDBOX_PROFILE_NAME

    def _close_anyway(self) -> None:
        self._loss_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing here blocks: a token request still in flight is abandoned, its outcome dropped,
        # and shutdown() (called by the app before deleting the window) waits for it to end.
        if self.tokens_would_be_lost() and not getattr(self, "_loss_confirmed", False):
            event.ignore()  # ask first (without blocking): the tokens exist nowhere else
            self.loss_box = ask_to_confirm(
                self,
                "tokens_lost_box",
                self.tr("Quit and lose the tokens?"),
                self.tr(
                    "The tokens on screen were not copied, and without a system keyring they "
                    "were not stored: they are gone once tiki-gui quits. Quit anyway?"
                ),
                self._close_anyway,
                icon=QMessageBox.Icon.Warning,
            )
            return
        self.flow.cancel()
        self.consent_pane.close_browser()
        super().closeEvent(event)
        if event.isAccepted():
            self.closing.emit()
