"""The window's sign-in: the flow, its token endpoint check and the pages it drives, wired.

A :class:`WindowSignIn` is made once per window, after the window's first paint (issue 11: the
flow's modules and pages are not needed to show the form) or as soon as anything needs it; it
owns the token exchanger, the :class:`~tiki_gui.ui.signin.flow.AuthorizationFlow` and the
:class:`~tiki_gui.ui.signin.preflight_check.TokenEndpointCheck`, and connects them to the form,
the flow view's pages, the menus and (with storage) the stored tokens.

Authorize: the form is saved to its profile, the flow begins; for a code flow the token endpoint
must answer before the seller signs in (a wrong one would waste the sign-in), so the consent page
loads meanwhile but stays hidden (held) and the system browser is not opened until it does; a
failed check closes the page unseen.

The HTTP client (httpx and its TLS context: ~100 ms and ~8 MB, issue 11) and the flow's network
modules are made on the token endpoint check's thread
(:meth:`~tiki_gui.ui.signin.preflight_check.TokenEndpointCheck.prepare`) once the user reaches for
the form (the QtWebEngine pre-warm's trigger), or after a click without it once the consent page
has loaded (the check probes without the client meanwhile): never on the GUI thread, and never
for a form nobody touches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from tiki_gui.core.errors import ValidationError
from tiki_gui.core.options import BrowserSession, Grant, SignIn
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.signin.flow import AuthorizationFlow, FlowState
from tiki_gui.ui.signin.preflight_check import TokenEndpointCheck
from tiki_gui.ui.signin.token_request import TokenExchanger

if TYPE_CHECKING:
    from tiki_gui.core.authorization import AuthorizationRequest
    from tiki_gui.storage.profiles import Profile
    from tiki_gui.ui.main_window import MainWindow

__all__ = ["WindowSignIn"]


class WindowSignIn(QObject):
    """The flow of ``window`` and its wiring (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        view = window.flow_view
        view.build_pages()  # the pages first: the wiring below reaches them
        self.exchanger = TokenExchanger(self, http=window.http)
        self.flow = AuthorizationFlow(self.exchanger, self)
        self.preflight = TokenEndpointCheck(window.http, self)
        self.preflight.passed.connect(self._on_preflight_passed)
        self.preflight.failed.connect(self._on_preflight_failed)
        self._held_sign_in: tuple[Profile, AuthorizationRequest] | None = None
        self._page_coming = False  # the flow begun shows a consent page in this window
        flow = self.flow
        flow.state_changed.connect(self._on_flow_state_changed)
        flow.succeeded.connect(view.show_tokens)
        flow.state_changed.connect(window.menus.update_token_actions)
        flow.failed.connect(self._on_flow_failed)
        consent = view.consent_pane
        consent.redirect_captured.connect(flow.on_redirect_captured)
        consent.error_page_reached.connect(flow.on_error_page_reached)
        consent.load_failed.connect(flow.on_load_failed)
        consent.location_changed.connect(self._on_location_changed)
        consent.navigated.connect(flow.on_navigated)
        consent.loading_changed.connect(self._on_page_loading)
        consent.shown.connect(self._on_page_shown)
        consent.profile_name = window.profile_name
        browser_pane = view.system_browser_pane
        browser_pane.pasted.connect(flow.on_pasted_url)
        browser_pane.copied.connect(window.show_copied)
        flow.paste_rejected.connect(browser_pane.show_paste_problem)
        flow.loopback_refused.connect(browser_pane.show_refused)
        flow.timeline_started.connect(view.timeline_panel.watch)
        flow.timeline_started.connect(self._on_timeline_started)
        view.timeline_panel.copied.connect(window.show_copied)
        view.token_panel.copied.connect(window.show_copied)
        errors = view.error_panel
        errors.copied.connect(window.show_copied)
        errors.field_requested.connect(self._on_field_at_fault)
        errors.auth_method_requested.connect(self._on_switch_auth_method)
        errors.start_again_requested.connect(window.authorize_if_ready)
        if window.stored_tokens is not None:
            flow.succeeded.connect(window.stored_tokens.store_from_flow)

    def close(self) -> None:
        """Cancel the flow, tear the browser down, end the check and the token request."""
        self.flow.cancel()
        view = self._window.flow_view
        view.consent_pane.close_browser()
        view.consent_pane.dispose_closed()  # a closed browser waits a moment otherwise
        view.timeline_panel.close_timeline()
        self.preflight.close()
        self.exchanger.close()

    # -- Authorize ---------------------------------------------------------------------------

    def authorize(self) -> None:
        """Begin a flow with the form's values (one flow at a time)."""
        window = self._window
        if self.flow.running:
            return  # one flow at a time
        value, stored = window.form.value(), False
        if window.profiles is not None:
            value, stored = window.profiles.sign_in_value()
        config = value.profile
        embedded = config.sign_in is SignIn.EMBEDDED
        self._page_coming = embedded and config.grant is Grant.AUTHORIZATION_CODE
        try:
            request = self.flow.begin(value, stored=stored)
        except ValidationError as exc:
            window.statusBar().showMessage(core_text(str(exc)), 8000)
            return
        if request is None or self.flow.state is not FlowState.CONSENT:
            return  # client credentials (no browser), or the listener could not start
        # The token endpoint must answer before the seller signs in: see the module docstring.
        self._held_sign_in = (config, request)
        window.flow_status.setText(self.tr("Checking that the token endpoint answers\u2026"))
        # Which starts first (issue 11, P2): a prepared check is network I/O, so it goes first
        # and its round trip overlaps the page's start. A cold one probes without the HTTP
        # client (no httpx to import, see TokenEndpointCheck.start) once the page's load is
        # issued: started while Chromium starts, its thread took the CPU from Chromium's helpers
        # (measured: the page ~4 ms later on 2 cores). Making the client (~80 ms of GIL-bound
        # Python on the check's thread, which the GUI thread needs for the page) waits until the
        # page has loaded, while the seller reads it.
        # A remembered browser session may redirect before any page shows (a login and consent
        # Tiki remembers): its client is made at once, or the code's exchange would wait for it
        # (issue 11, P3).
        check_first = self.preflight.ready or not embedded
        endpoint = config.token_endpoint
        if check_first:
            self.preflight.start(endpoint)
        elif config.browser_session is not BrowserSession.REMEMBER:
            # The HTTP client waits for the page (see _on_page_loading).
            self.preflight.hold_preparation()
        if embedded:
            window.flow_view.consent_pane.start(
                request.url,
                redirect_uri=request.redirect_uri,
                authorization_endpoint=request.authorization_endpoint,
                remember=config.browser_session is BrowserSession.REMEMBER,
                hold=True,
            )
        if not check_first and self._held_sign_in is not None:
            self.preflight.start(endpoint)  # (unless the page's start ended the flow)

    @Slot(object)
    def _on_preflight_passed(self, _status: object) -> None:
        held, self._held_sign_in = self._held_sign_in, None
        if held is None or self.flow.state is not FlowState.CONSENT:
            return
        config, request = held
        if self.flow.request is not request:
            return  # an older flow's check
        view = self._window.flow_view
        if config.sign_in is SignIn.EMBEDDED:
            view.consent_pane.release()  # the status line follows with the page (_on_page_shown)
        else:
            view.show_state(FlowState.CONSENT, config, code=True)  # the status line
            view.system_browser_pane.start(
                config.sign_in, request.url, redirect_uri=request.redirect_uri
            )

    @Slot(object)
    def _on_preflight_failed(self, error: BaseException) -> None:
        self._held_sign_in = None
        self.flow.abort(error)

    # -- the flow's progress -----------------------------------------------------------------

    @Slot(object)
    def _on_flow_state_changed(self, state: FlowState) -> None:
        window, view = self._window, self._window.flow_view
        if state.running and view.token_panel.needs_keeping:
            window.show_message(
                self.tr(
                    "The tokens on screen were not copied or stored: Tokens > Show the previous "
                    "tokens brings them back."
                )
            )
        if state is not FlowState.CONSENT:
            self.preflight.cancel()  # Cancel, Escape, a failure: the check is dropped too
            self.preflight.end_hold()  # no page to wait for any more
            self._held_sign_in = None
            # The consent page gets the window when it is shown (_on_page_shown), not while it
            # loads hidden during the token endpoint check (that layout and its paint competed
            # with Chromium's start on the GUI thread), and never if the check fails (issue 11,
            # P2). The code's exchange keeps that layout (its page in the page's place): the
            # window lays itself out again once, with the tokens or the error (issue 11, P3).
            window.set_consent_mode(state is FlowState.EXCHANGING and window.consent_mode)
        window.form.set_busy(state.running)
        if window.profiles is not None:
            window.profiles.set_flow_running(state.running)
        view.show_state(state, self.flow.profile, code=self.flow.request is not None)
        if state is FlowState.CANCELLED:
            window.form.authorize.setFocus()

    @Slot(object)
    def _on_timeline_started(self, _timeline: object) -> None:
        # Not over a consent page about to take the view (issue 11, P2: that layout and paint
        # would come between the page's load and its start); the flow's end shows it.
        if not self._page_coming:
            self._window.flow_view.show_timeline()

    @Slot()
    def _on_page_shown(self) -> None:
        if self.flow.state is FlowState.CONSENT:
            # One layout and paint with the page, not one more while it loads (issue 11, P2).
            self._window.flow_view.show_state(FlowState.CONSENT, self.flow.profile, code=True)
            self._window.set_consent_mode(True)

    @Slot(bool)
    def _on_page_loading(self, loading: bool) -> None:
        if not loading:  # the first page is in: the HTTP client can be made, after the
            # window's layout and paint with the page (a thread importing httpx meanwhile would
            # take the GIL from this thread's Python: the pages' own Python event handlers).
            QTimer.singleShot(0, self, self.preflight.end_hold)

    @Slot(object)
    def _on_flow_failed(self, error: BaseException) -> None:
        self._window.flow_view.show_error(error)
        self._window.form.authorize.setFocus()

    @Slot(str)
    def _on_field_at_fault(self, name: str) -> None:
        report = self._window.flow_view.error_panel.report
        reason = report.message if report is not None else ""
        self._window.form.show_field_at_fault(name, reason)

    @Slot(str)
    def _on_switch_auth_method(self, method: str) -> None:
        combo = self._window.form.auth_method
        combo.setCurrentIndex(max(0, combo.findData(method)))
        self._window.authorize_if_ready()

    def _on_location_changed(self, host: str, is_tls: bool) -> None:
        security = self.tr("TLS") if is_tls else self.tr("not encrypted")
        self._window.flow_view.consent_pane.setAccessibleDescription(
            self.tr("Page from {host} ({security})").format(host=host, security=security)
        )
