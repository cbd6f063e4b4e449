"""One authorization code flow as a state machine, with no widgets in it.

::

    IDLE ──begin()──▶ CONSENT ──redirect (state ok, code)──▶ EXCHANGING ──▶ SUCCEEDED
                        │   ╲──redirect with error / bad state / error page / load failure──▶ FAILED
                        ╰──cancel()──▶ CANCELLED            EXCHANGING ──error──▶ FAILED

The window starts the consent browser when the state becomes CONSENT and feeds the browser's
signals to :meth:`on_redirect_captured`, :meth:`on_error_page_reached` and
:meth:`on_load_failed`. Only the first outcome of a flow counts: anything arriving in another
state is ignored, so a second redirect can never cause a second token request.

A flow runs with the form's value (a profile and its secret). Sign-in methods (``sign_in``):
"embedded" as above; "loopback" listens on the loopback redirect URI while the seller signs in in
the system browser (the listener is closed when the flow leaves CONSENT, whatever the reason);
"paste" waits for :meth:`on_pasted_url`. Every redirect is checked by the core (state, and ``iss``
against the profile's issuer). The client credentials grant skips CONSENT: IDLE → EXCHANGING.
Each flow gets a :class:`Timeline`.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal, Slot

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import RedirectError, StateMismatchError, TikiGuiError, ValidationError
from tiki_gui.core.options import Grant, SignIn
from tiki_gui.core.redirect import IssuerMismatchError, parse_error_page, parse_redirect
from tiki_gui.core.tokens import TokenSet
from tiki_gui.signin import LoopbackError, LoopbackReceiver, parse_pasted_redirect
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.shared.error_text import ConsentPageError, LoopbackTimeoutError
from tiki_gui.ui.signin.form_problems import form_problems
from tiki_gui.ui.signin.token_request import TokenExchanger

if TYPE_CHECKING:
    from tiki_gui.core.redirect import AuthorizationResponse
    from tiki_gui.core.timeline import Timeline
    from tiki_gui.storage.profiles import Profile, ProfileWithSecret

__all__ = ["LOOPBACK_TIMEOUT_S", "AuthorizationFlow", "FlowResult", "FlowState"]

_log = logging.getLogger(__name__)

LOOPBACK_TIMEOUT_S = 600.0
"""How long the loopback listener waits for the redirect before the flow fails."""


class _LoopbackSignals(QObject):
    """Carries the receiver's callbacks (a background thread) to the GUI thread, queued."""

    received = Signal(str)
    timed_out = Signal()
    refused = Signal(int, str)  # how many refused so far, and why (secret-free)


@dataclass(frozen=True, slots=True)
class FlowResult:
    """What a successful flow hands on: the profile it ran with, the tokens, and whether that
    profile is stored (if not, the tokens cannot be filed under it)."""

    profile: Profile
    tokens: TokenSet
    stored: bool = False


class FlowState(enum.Enum):
    IDLE = "idle"
    CONSENT = "consent"  # the seller signs in and allows or denies in the embedded browser
    EXCHANGING = "exchanging"  # the code is being exchanged for tokens
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def running(self) -> bool:
        return self in (FlowState.CONSENT, FlowState.EXCHANGING)


class AuthorizationFlow(QObject):
    """Drives one flow at a time; emits what happened, never touches a widget."""

    state_changed = Signal(object)  # FlowState
    succeeded = Signal(object)  # FlowResult
    failed = Signal(object)  # BaseException: a core error, or ConsentPageError
    timeline_started = Signal(object)  # Timeline of the flow that begins
    paste_rejected = Signal(str)  # a pasted text that is not this flow's redirect: try again
    loopback_refused = Signal(int, str)  # the listener refused a request: count so far, reason

    def __init__(
        self,
        exchanger: TokenExchanger,
        parent: QObject | None = None,
        *,
        loopback_timeout: float = LOOPBACK_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self._exchanger = exchanger
        self._state = FlowState.IDLE
        self._value: ProfileWithSecret | None = None
        self._stored = False
        self._request: AuthorizationRequest | None = None
        self._timeline: Timeline | None = None
        self._receiver: LoopbackReceiver | None = None
        self._loopback_timeout = loopback_timeout
        self._loopback = _LoopbackSignals(self)
        self._loopback.received.connect(self._on_loopback_received)
        self._loopback.timed_out.connect(self._on_loopback_timed_out)
        self._loopback.refused.connect(self._on_loopback_refused)
        exchanger.succeeded.connect(self._on_tokens)
        exchanger.failed.connect(self._on_exchange_failed)

    @property
    def state(self) -> FlowState:
        return self._state

    @property
    def running(self) -> bool:
        return self._state.running

    @property
    def request(self) -> AuthorizationRequest | None:
        """The request of the current (or last) flow."""
        return self._request

    @property
    def profile(self) -> Profile | None:
        """The profile of the current (or last) flow."""
        return self._value.profile if self._value is not None else None

    @property
    def secret(self) -> str:
        """The client secret of the current (or last) flow ("" before the first)."""
        return self._value.secret if self._value is not None else ""

    @property
    def timeline(self) -> Timeline | None:
        """The record of the current (or last) flow."""
        return self._timeline

    @property
    def loopback_timeout(self) -> float:
        """Seconds the loopback listener waits for the redirect (applies to the next flow)."""
        return self._loopback_timeout

    @loopback_timeout.setter
    def loopback_timeout(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("loopback_timeout must be positive")
        self._loopback_timeout = seconds

    @property
    def receiver(self) -> LoopbackReceiver | None:
        """The loopback listener while a "loopback" flow waits for its redirect."""
        return self._receiver

    def begin(
        self, value: ProfileWithSecret, *, stored: bool = False
    ) -> AuthorizationRequest | None:
        """Start a flow with ``value`` (``stored``: its profile is saved, its tokens can be filed):
        a fresh request (new state). RuntimeError if one runs; ValidationError if unusable.

        Returns the authorization request, or None for the client credentials grant (which goes
        straight to EXCHANGING). A loopback listener that cannot start (port in use) fails the
        flow at once (state FAILED, ``failed`` emitted) and the request is still returned.
        """
        if self.running:
            raise RuntimeError("An authorization flow is already running")
        if problems := form_problems(value):
            raise ValidationError(problems[0].message)
        profile = value.profile
        if profile.grant is Grant.CLIENT_CREDENTIALS:
            self._start_timeline(value)
            self._value, self._request, self._stored = value, None, stored
            note = self.tr("Client credentials grant for client {client_id}")
            self._note(note.format(client_id=profile.client_id))
            self._set_state(FlowState.EXCHANGING)
            try:
                self._exchanger.client_credentials(value, observer=self._timeline)
            except (TikiGuiError, RuntimeError) as exc:
                self._fail(exc)
            return None
        request = profile.authorization_request()
        timeline = self._start_timeline(value)
        self._value, self._request, self._stored = value, request, stored
        timeline.record_authorization_request(request)
        _log.info("flow started: client %s at %s", profile.client_id, urlsplit(request.url).netloc)
        self._set_state(FlowState.CONSENT)
        if profile.sign_in is SignIn.LOOPBACK:
            self._listen(profile, request)
        elif profile.sign_in is SignIn.PASTE:
            self._note(self.tr("Waiting for the redirect URL to be pasted"))
        return request

    def cancel(self) -> None:
        """Stop the running flow; a token request already sent is abandoned (not retried)."""
        if not self.running:
            return
        if self._state is FlowState.EXCHANGING:
            self._exchanger.abandon()
        _log.info("flow cancelled")
        self._note(self.tr("Cancelled"))
        self._set_state(FlowState.CANCELLED)

    def abort(self, error: BaseException) -> None:
        """End the flow waiting for consent with ``error`` (e.g. its token endpoint does not
        answer, found before the seller signed in). Nothing happens in any other state."""
        if self._state is FlowState.CONSENT:
            self._fail(error)

    @Slot(str)
    def on_redirect_captured(self, url: str) -> None:
        if self._state is not FlowState.CONSENT or self._request is None or self._value is None:
            _log.info("redirect ignored: no flow waits for one")
            return
        if self._timeline is not None:
            self._timeline.record_callback(url)
        try:
            response = parse_redirect(url, self._request, issuer=self._issuer())
        except TikiGuiError as exc:  # state mismatch, access_denied, other error redirects
            self._fail(exc)
            return
        self._exchange(response)

    @Slot(str)
    def on_pasted_url(self, text: str) -> None:
        """The URL the user pasted ("paste" sign-in): checked exactly like a caught redirect.

        Text that is not this flow's redirect at all (not a URL, another host or path, the
        sign-in page) is rejected with ``paste_rejected`` and the flow keeps waiting; a redirect
        whose state or ``iss`` is wrong, or that carries an error, ends the flow.
        """
        if self._state is not FlowState.CONSENT or self._request is None or self._value is None:
            return
        try:
            response = parse_pasted_redirect(text, self._request, issuer=self._issuer())
        except (StateMismatchError, IssuerMismatchError) as exc:
            self._note(self.tr("A pasted URL was refused"))
            self._fail(exc)
            return
        except (ValidationError, RedirectError) as exc:
            self._note(self.tr("A pasted URL was not the redirect of this sign-in"))
            self.paste_rejected.emit(core_text(str(exc)))
            return
        except TikiGuiError as exc:  # error redirects, the server's error page
            self._note(self.tr("The pasted URL carries an error"))
            self._fail(exc)
            return
        if self._timeline is not None:
            self._timeline.record_callback(text.strip())
        self._exchange(response)

    @Slot(str)
    def on_navigated(self, url: str) -> None:
        """A page the embedded browser went to (recorded as host and path only)."""
        if self._state is FlowState.CONSENT and self._timeline is not None:
            self._timeline.record_navigation(url)

    def _exchange(self, response: AuthorizationResponse) -> None:
        value, request = self._value, self._request
        if value is None or request is None:
            return
        # The request goes out first; the window's switch to the exchange page overlaps its
        # round trip (the outcome comes back queued, after this state change: issue 11, P3).
        try:
            self._exchanger.exchange_code(value, response, request, observer=self._timeline)
        except (TikiGuiError, RuntimeError) as exc:
            self._fail(exc)
            return
        self._set_state(FlowState.EXCHANGING)

    def _issuer(self) -> str | None:
        issuer = self._value.profile.issuer.strip() if self._value is not None else ""
        return issuer or None

    def _start_timeline(self, value: ProfileWithSecret) -> Timeline:
        from tiki_gui.core.timeline import Timeline  # imports httpx: not before the first flow

        timeline = Timeline()
        timeline.add_secrets(value.secret)
        self._timeline = timeline
        self.timeline_started.emit(timeline)
        return timeline

    def _note(self, text: str) -> None:
        if self._timeline is not None:
            self._timeline.record_note(text)

    def _listen(self, profile: Profile, request: AuthorizationRequest) -> None:
        signals = self._loopback
        receiver = LoopbackReceiver(
            profile.redirect_uri,
            timeout=self._loopback_timeout,
            request=request,
            issuer=self._issuer(),
            on_redirect=signals.received.emit,  # background thread: only emit
            on_timeout=signals.timed_out.emit,
            on_refused=signals.refused.emit,
        )
        try:
            receiver.start()
        except LoopbackError as exc:
            self._fail(exc)
            return
        self._receiver = receiver
        self._note(
            self.tr("Listening for the redirect on {host} port {port}").format(
                host=receiver.host, port=receiver.port
            )
        )

    def _close_listener(self) -> None:
        receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.close()
            self._note(self.tr("Stopped listening"))

    @Slot(str)
    def _on_loopback_received(self, url: str) -> None:
        if self._receiver is None:
            return  # a late callback of a flow that already ended
        self._close_listener()
        self.on_redirect_captured(url)

    @Slot(int, str)
    def _on_loopback_refused(self, count: int, reason: str) -> None:
        if self._receiver is None:
            return  # a late callback of a flow that already ended
        self._note(
            self.tr("Refused a request to the redirect URI ({count} so far): {reason}").format(
                count=count, reason=reason
            )
        )
        self.loopback_refused.emit(count, reason)

    @Slot()
    def _on_loopback_timed_out(self) -> None:
        if self._receiver is None or self._state is not FlowState.CONSENT:
            return
        self._close_listener()
        self._fail(
            LoopbackTimeoutError(
                f"No redirect arrived within {_duration(self._loopback_timeout)}, so the app "
                "stopped listening. Press Authorize to start again.",
                timeout_s=self._loopback_timeout,
            )
        )

    @Slot(str)
    def on_error_page_reached(self, url: str) -> None:
        if self._state is FlowState.CONSENT:
            self._fail(parse_error_page(url))

    @Slot(object)
    def on_load_failed(self, message: str) -> None:
        if self._state is FlowState.CONSENT:
            self._fail(ConsentPageError(message))

    @Slot(object)
    def _on_tokens(self, tokens: TokenSet) -> None:
        if self._state is not FlowState.EXCHANGING or self._value is None:
            return
        self._note(self.tr("Tokens received"))
        self._set_state(FlowState.SUCCEEDED)
        self.succeeded.emit(FlowResult(self._value.profile, tokens, self._stored))

    @Slot(object)
    def _on_exchange_failed(self, error: BaseException) -> None:
        if self._state is FlowState.EXCHANGING:
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        _log.info("flow failed: %s", type(error).__name__)
        if self._timeline is not None:
            self._timeline.record_error(error)
        self._set_state(FlowState.FAILED)
        self.failed.emit(error)

    def _set_state(self, state: FlowState) -> None:
        if state is not self._state:
            self._state = state
            if state is not FlowState.CONSENT:
                self._close_listener()
            self.state_changed.emit(state)


def _duration(seconds: float) -> str:
    """``10 minutes``, ``1 minute``, ``90 seconds``, ``0.5 seconds``: for a sentence."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
    return "1 second" if seconds == 1 else f"{seconds:g} seconds"
