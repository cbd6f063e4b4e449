"""One authorization code flow as a state machine, with no widgets in it.

::

    IDLE ──begin()──▶ CONSENT ──redirect (state ok, code)──▶ EXCHANGING ──▶ SUCCEEDED
                        │   ╲──redirect with error / bad state / error page / load failure──▶ FAILED
                        ╰──cancel()──▶ CANCELLED            EXCHANGING ──error──▶ FAILED

The window starts the consent browser when the state becomes CONSENT and feeds the browser's
signals to :meth:`on_redirect_captured`, :meth:`on_error_page_reached` and
:meth:`on_load_failed`. Only the first outcome of a flow counts: anything arriving in another
state is ignored, so a second redirect can never cause a second token request.
"""

from __future__ import annotations

import enum
import logging
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal, Slot

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import TikiGuiError
from tiki_gui.core.redirect import parse_error_page, parse_redirect
from tiki_gui.core.tokens import TokenSet
from tiki_gui.ui.client_config import ClientConfig
from tiki_gui.ui.error_text import ConsentPageError
from tiki_gui.ui.token_exchanger import TokenExchanger

__all__ = ["AuthorizationFlow", "FlowState"]

_log = logging.getLogger(__name__)


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
    succeeded = Signal(object)  # TokenSet
    failed = Signal(object)  # BaseException: a core error, or ConsentPageError

    def __init__(self, exchanger: TokenExchanger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exchanger = exchanger
        self._state = FlowState.IDLE
        self._config: ClientConfig | None = None
        self._request: AuthorizationRequest | None = None
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
    def config(self) -> ClientConfig | None:
        return self._config

    def begin(self, config: ClientConfig) -> AuthorizationRequest:
        """Start a flow: a fresh request (new state). RuntimeError if one is already running;
        ValidationError if ``config`` is unusable."""
        if self.running:
            raise RuntimeError("An authorization flow is already running")
        request = config.authorization_request()
        self._config = config
        self._request = request
        _log.info("flow started: client %s at %s", config.client_id, _host(request.url))
        self._set_state(FlowState.CONSENT)
        return request

    def cancel(self) -> None:
        """Stop the running flow; a token request already sent is abandoned (not retried)."""
        if not self.running:
            return
        if self._state is FlowState.EXCHANGING:
            self._exchanger.abandon()
        _log.info("flow cancelled")
        self._set_state(FlowState.CANCELLED)

    @Slot(str)
    def on_redirect_captured(self, url: str) -> None:
        if self._state is not FlowState.CONSENT or self._request is None or self._config is None:
            _log.info("redirect ignored: no flow waits for one")
            return
        try:
            response = parse_redirect(url, self._request)
        except TikiGuiError as exc:  # state mismatch, access_denied, other error redirects
            self._fail(exc)
            return
        self._set_state(FlowState.EXCHANGING)
        try:
            self._exchanger.exchange_code(self._config, response, self._request)
        except (TikiGuiError, RuntimeError) as exc:
            self._fail(exc)

    @Slot(str)
    def on_error_page_reached(self, url: str) -> None:
        if self._state is FlowState.CONSENT:
            self._fail(parse_error_page(url))

    @Slot(str)
    def on_load_failed(self, message: str) -> None:
        if self._state is FlowState.CONSENT:
            self._fail(ConsentPageError(message))

    @Slot(object)
    def _on_tokens(self, tokens: TokenSet) -> None:
        if self._state is not FlowState.EXCHANGING:
            return
        self._set_state(FlowState.SUCCEEDED)
        self.succeeded.emit(tokens)

    @Slot(object)
    def _on_exchange_failed(self, error: BaseException) -> None:
        if self._state is FlowState.EXCHANGING:
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        _log.info("flow failed: %s", type(error).__name__)
        self._set_state(FlowState.FAILED)
        self.failed.emit(error)

    def _set_state(self, state: FlowState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)


def _host(url: str) -> str:
    return urlsplit(url).netloc
