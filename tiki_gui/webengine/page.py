"""ConsentPage: the QWebEnginePage that refuses the redirect back to the app.

``acceptNavigationRequest`` sees every navigation, in every frame and of every type (the server's
303 included) before anything is sent: returning False there means no DNS lookup and no
connection to the redirect host. The callback only turns Qt's arguments into a
:class:`NavigationEvent`, asks :func:`classify` and returns; signals are emitted from a zero-delay
timer bound to the page, so no slot re-enters the engine from inside the callback and none runs
after the page is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, SignalInstance
from PySide6.QtNetwork import QAuthenticator
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEngineProfile,
)

from tiki_gui.webengine.navigation import (
    FlowTargets,
    NavigationEvent,
    NavigationVerdict,
    classify,
)
from tiki_gui.webengine.network import proxy_credentials_for

__all__ = ["ConsentPage", "navigation_type_name"]

_log = logging.getLogger(__name__)

_NavigationType = QWebEnginePage.NavigationType
_TYPE_NAMES: dict[QWebEnginePage.NavigationType, str] = {
    _NavigationType.NavigationTypeLinkClicked: "link",
    _NavigationType.NavigationTypeTyped: "typed",
    _NavigationType.NavigationTypeFormSubmitted: "form",
    _NavigationType.NavigationTypeBackForward: "back_forward",
    _NavigationType.NavigationTypeReload: "reload",
    _NavigationType.NavigationTypeOther: "other",
    _NavigationType.NavigationTypeRedirect: "redirect",
}


def navigation_type_name(navigation_type: QWebEnginePage.NavigationType) -> str:
    return _TYPE_NAMES.get(navigation_type, "other")


def _origin_of(url: QUrl) -> str:
    """Scheme, host and port only: safe to log (no code, state or challenge)."""
    port = url.port()
    return f"{url.scheme()}://{url.host()}" + (f":{port}" if port != -1 else "")


class ConsentPage(QWebEnginePage):
    """The page of one authorization flow; see the module docstring."""

    navigation_requested = Signal(object)  # NavigationEvent (queued; ALL navigations)
    redirect_captured = Signal(str)  # the refused redirect URL (queued, at most once)
    error_page_reached = Signal(str)  # the authorization server's error page URL (queued)
    new_window_refused = Signal(str)  # URL a popup / target=_blank tried to open (queued)
    certificate_rejected = Signal(str, str, bool)  # url, description, unknown CA (queued)
    insecure_refused = Signal(str)  # origin of a plain-http page that was not loaded (queued)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self._targets: FlowTargets | None = None
        self._closed = False
        self._captured = False
        self.newWindowRequested.connect(self._on_new_window_requested)
        self.certificateError.connect(self._on_certificate_error)
        self.proxyAuthenticationRequired.connect(self._on_proxy_authentication_required)

    # -- flow state ---------------------------------------------------------------------------

    def set_targets(self, targets: FlowTargets) -> None:
        """Start watching for ``targets`` (a new flow: a previous stop or capture is forgotten)."""
        self._targets = targets
        self._closed = False
        self._captured = False

    def close_flow(self) -> None:
        """Refuse every navigation from now on and emit nothing more."""
        self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def captured(self) -> bool:
        return self._captured

    # -- Qt virtuals ----------------------------------------------------------------------------

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        qurl = url if isinstance(url, QUrl) else QUrl(url)
        event = NavigationEvent(
            url=qurl.toString(QUrl.ComponentFormattingOption.FullyEncoded),
            navigation_type=navigation_type_name(navigation_type),
            is_main_frame=bool(is_main_frame),
        )
        verdict = classify(event, self._targets, closed=self._closed)
        _log.debug(
            "navigation %s %s frame to %s: %s",
            event.navigation_type,
            "main" if event.is_main_frame else "sub",
            _origin_of(qurl),
            verdict,
        )
        if verdict is NavigationVerdict.REFUSE:
            return False
        if verdict is NavigationVerdict.INSECURE:
            origin = _origin_of(qurl)
            self._post(lambda: self._emit_if_open(self.insecure_refused, origin))
            return False
        self._post(lambda: self.navigation_requested.emit(event))
        if verdict is NavigationVerdict.CAPTURE_REDIRECT:
            # One flow, one capture: from here on nothing loads.
            self._captured = True
            self._closed = True
            self._post(lambda: self.redirect_captured.emit(event.url))
            return False
        if verdict is NavigationVerdict.ERROR_PAGE:
            self._post(lambda: self._emit_if_open(self.error_page_reached, event.url))
        return True

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line_number: int,
        source_id: str,
    ) -> None:
        # Qt's default prints to the Qt log, where page scripts could fail a strict test run; the
        # text itself may quote URLs with challenges or codes, so only where it came from is kept.
        _log.debug(
            "js console %s at %s line %d", level.name, _origin_of(QUrl(source_id)), line_number
        )

    # -- slots ------------------------------------------------------------------------------------

    def _on_new_window_requested(self, request: QWebEngineNewWindowRequest) -> None:
        # Not calling request.openIn() declines the request: no popup, no new tab, no new page.
        url = request.requestedUrl().toString(QUrl.ComponentFormattingOption.FullyEncoded)
        _log.info("refused a new window to %s", _origin_of(request.requestedUrl()))
        self._post(lambda: self._emit_if_open(self.new_window_refused, url))

    def _on_certificate_error(self, error: QWebEngineCertificateError) -> None:
        # Never accepted: the consent page asks for a Tiki password.
        error.rejectCertificate()
        url = error.url().toString(QUrl.ComponentFormattingOption.FullyEncoded)
        description = error.description()
        unknown_authority = (
            error.type() is QWebEngineCertificateError.Type.CertificateAuthorityInvalid
        )
        _log.warning("certificate rejected for %s: %s", _origin_of(error.url()), description)
        self._post(
            lambda: self._emit_if_open(
                self.certificate_rejected, url, description, unknown_authority
            )
        )

    def _on_proxy_authentication_required(
        self, request_url: QUrl, authenticator: QAuthenticator, proxy_host: str
    ) -> None:
        # Filled in here, synchronously, as Qt requires. Only the proxy variables' own
        # credentials, for their own proxy host; never a prompt, never logged.
        credentials = proxy_credentials_for(proxy_host)
        if credentials is None:
            _log.warning("the proxy %s asks for credentials; none are set for it", proxy_host)
            return  # the load fails with the proxy's 407
        authenticator.setUser(credentials[0])
        authenticator.setPassword(credentials[1])

    # -- helpers ----------------------------------------------------------------------------------

    def _emit_if_open(self, signal: SignalInstance, *args: object) -> None:
        if not self._closed:
            signal.emit(*args)

    def _post(self, call: Callable[[], None]) -> None:
        """Run ``call`` from the event loop, never after this page is deleted."""
        QTimer.singleShot(0, self, call)
