"""ConsentBrowser: the embedded browser for one authorization flow.

Layout: a read-only location line (host + TLS indication), a thin progress strip under it while a
page loads, and the ``QWebEngineView`` underneath. Without a ``storage_name`` the profile is off
the record and belongs to this widget: cookies (Hydra's CSRF cookies, the Tiki login session) live
for one flow only. With one, the app profile's persistent profile is used (see
:mod:`tiki_gui.webengine.sessions`): it is shared, outlives this widget, and is never deleted here.
No web channel is ever set on the page: the page's scripts reach nothing of the app.

Lifetime: deleting a profile before its page crashes Chromium, so the C++ child order is arranged
(view, with the page as its child, before the profile) and :meth:`shutdown` deletes page, view,
then profile explicitly. A ConsentBrowser is single use: after :meth:`shutdown`, make a new one.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QProgressBar, QVBoxLayout, QWidget

from tiki_gui.retranslatable import Retranslatable
from tiki_gui.webengine.location import LocationBar, describe_location
from tiki_gui.webengine.navigation import FlowTargets, NavigationEvent
from tiki_gui.webengine.net_errors import CONTEXT, describe_net_error
from tiki_gui.webengine.network import authority_hint, proxy_hint
from tiki_gui.webengine.page import ConsentPage
from tiki_gui.webengine.sessions import persistent_profile

__all__ = ["ConsentBrowser"]

_log = logging.getLogger(__name__)

_Status = QWebEngineLoadingInfo.LoadStatus
_ERR_ABORTED = -3  # Chromium's net::ERR_ABORTED: a load replaced or cancelled, not a failure


def _net_words(words: str) -> str:
    """Chromium's error in words (:mod:`~tiki_gui.webengine.net_errors`), in the UI's language."""
    return QCoreApplication.translate(CONTEXT, words)


class ConsentBrowser(QWidget):
    """Embedded browser for ONE authorization flow (see the module docstring).

    Signals are emitted from the event loop (never from inside a QtWebEngine callback) and never
    after :meth:`stop` or :meth:`shutdown`.
    """

    redirect_captured = Signal(str)
    """The redirect back to the app (any frame, any navigation type); it was refused, nothing
    reached the redirect host. Emitted at most once; the browser then loads nothing more."""
    error_page_reached = Signal(str)
    """The authorization server's own error page (Hydra's /oauth2/fallbacks/error), shown."""
    load_failed = Signal(object)  # a Retranslatable sentence (a str)
    """A page could not load (connection refused, certificate rejected, ...): a sentence."""
    location_changed = Signal(str, bool)
    """host, is_tls of the page now shown."""
    loading_changed = Signal(bool)
    """True while a page loads."""
    navigated = Signal(str)
    """A main-frame navigation the page was allowed to make (full URL: mask before showing)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        storage_name: str | None = None,
        *,
        profile: QWebEngineProfile | None = None,
    ) -> None:
        """``storage_name``: the persistent profile's (see the module docstring); else the
        browser's own off-the-record profile is ``profile`` (a new parentless one, which it then
        owns: :func:`~tiki_gui.webengine.startup.start_chromium`'s) or one it makes."""
        super().__init__(parent)
        self.setObjectName("consent_browser")
        self._stopped = False
        self._shut_down = False
        self._loading = False
        self._last_location: tuple[str, bool] | None = None

        # Everything the load does not need is made before the profile and the page: Python run
        # between Chromium's start (a first profile made here) and the page's load() delays
        # Chromium's own start-up tasks on this thread by more than its duration (issue 11, P2).
        self._location = LocationBar(self)
        self._progress = QProgressBar(self)
        self._progress.setObjectName("consent_progress")
        self._progress.setAccessibleName(self.tr("Page loading progress"))
        self._progress.setRange(0, 100)
        self._progress.setTextVisible(False)
        self._progress.setFixedHeight(4)  # a thin strip under the location line, as browsers do
        policy = self._progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # no jump of the page when loading starts or ends
        self._progress.setSizePolicy(policy)
        self._progress.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._location)
        layout.addSpacing(2)
        layout.addWidget(self._progress)
        _ = QWebEngineSettings.WebAttribute  # PySide makes the class's enums at the first touch

        # Order matters for C++ teardown when this widget is deleted without shutdown(): children
        # are deleted in creation order, so the view (and the page, its child) must come before
        # the profile. The profile is created parentless and adopted once the view exists.
        self._owns_profile = storage_name is None
        # No storage name: off the record. Else the shared one, living as long as the app.
        if storage_name is not None:
            profile = persistent_profile(storage_name)
        elif profile is None:
            profile = QWebEngineProfile()
        self._view = QWebEngineView(self)
        self._view.setObjectName("consent_view")
        self._view.setAccessibleName(self.tr("Tiki sign-in and consent page"))
        self._page = ConsentPage(profile, self._view)
        if self._owns_profile:
            profile.setParent(self)
        self._profile = profile
        self._configure_settings(self._page.settings())
        self._view.setPage(self._page)
        layout.addWidget(self._view, 1)
        self.setFocusProxy(self._view)

        self._page.redirect_captured.connect(self._on_redirect_captured)
        self._page.error_page_reached.connect(self._on_error_page_reached)
        self._page.certificate_rejected.connect(self._on_certificate_rejected)
        self._page.insecure_refused.connect(self._on_insecure_refused)
        self._page.navigation_requested.connect(self._on_navigation_requested)
        self._page.loadingChanged.connect(self._on_loading_changed)
        self._page.loadProgress.connect(self._on_load_progress)
        self._page.urlChanged.connect(self._on_url_changed)
        self._page.renderProcessTerminated.connect(self._on_render_process_terminated)

    @staticmethod
    def _configure_settings(settings: QWebEngineSettings) -> None:
        attribute = QWebEngineSettings.WebAttribute
        # A login form needs JavaScript, nothing more: no popups, no local files, no plugins.
        settings.setAttribute(attribute.JavascriptCanOpenWindows, False)
        settings.setAttribute(attribute.LocalContentCanAccessRemoteUrls, False)
        settings.setAttribute(attribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(attribute.PluginsEnabled, False)
        settings.setAttribute(attribute.PdfViewerEnabled, False)
        settings.setAttribute(attribute.AllowRunningInsecureContent, False)
        settings.setAttribute(attribute.AllowGeolocationOnInsecureOrigins, False)

    # -- public API -----------------------------------------------------------------------------

    @property
    def view(self) -> QWebEngineView:
        return self._view

    @property
    def page(self) -> ConsentPage:
        return self._page

    @property
    def profile(self) -> QWebEngineProfile:
        return self._profile

    @property
    def location_bar(self) -> LocationBar:
        return self._location

    @property
    def is_shut_down(self) -> bool:
        return self._shut_down

    def start(
        self, authorization_url: str, *, redirect_uri: str, authorization_endpoint: str
    ) -> None:
        """Load ``authorization_url`` and watch for ``redirect_uri`` (one flow per browser)."""
        if self._shut_down:
            raise RuntimeError("This ConsentBrowser was shut down; create a new one.")
        self._stopped = False
        self._page.set_targets(
            FlowTargets(redirect_uri=redirect_uri, authorization_endpoint=authorization_endpoint)
        )
        if not self.isVisible():
            # Chromium takes the view's size at its first show for the page's first viewport,
            # and a view not shown yet keeps Qt's default (100x30) until its layout places it,
            # after that show: a page focused on a field (a sign-in page's) scrolls it into that
            # tiny viewport and keeps the offset once the real size comes, so in a small window
            # it opened scrolled, its top out of sight. Its window's size is at least its place.
            size = self.window().size()
            self.resize(size)
            self._view.resize(size)
        self._page.load(QUrl(authorization_url))

    def stop(self) -> None:
        """Stop loading and go quiet: no navigation is allowed and no signal is emitted after it."""
        if self._stopped or self._shut_down:
            return
        self._stopped = True
        self._page.close_flow()
        self._page.triggerAction(ConsentPage.WebAction.Stop)
        self._set_loading(False, emit=False)

    def shutdown(self) -> None:
        """Tear down page, then view, then profile. Idempotent; the widget stays, empty."""
        if self._shut_down:
            return
        self.stop()
        self._shut_down = True
        page, view, profile = self._page, self._view, self._profile
        for signal, slot in (
            (page.redirect_captured, self._on_redirect_captured),
            (page.error_page_reached, self._on_error_page_reached),
            (page.certificate_rejected, self._on_certificate_rejected),
            (page.insecure_refused, self._on_insecure_refused),
            (page.navigation_requested, self._on_navigation_requested),
            (page.loadingChanged, self._on_loading_changed),
            (page.loadProgress, self._on_load_progress),
            (page.urlChanged, self._on_url_changed),
            (page.renderProcessTerminated, self._on_render_process_terminated),
        ):
            signal.disconnect(slot)
        view.hide()
        # deleteLater keeps us safe if shutdown() runs from a slot of the page's own signals;
        # deferred deletions run in the order they were posted: page, view, profile.
        page.deleteLater()
        view.deleteLater()
        if self._owns_profile:
            profile.deleteLater()  # a persistent profile is shared: it stays

    # -- slots ------------------------------------------------------------------------------------

    def _on_redirect_captured(self, url: str) -> None:
        if self._stopped:
            return
        self._page.triggerAction(ConsentPage.WebAction.Stop)
        self._set_loading(False, emit=True)
        self._stopped = True  # one flow, one capture: nothing is emitted after this signal
        self.redirect_captured.emit(url)

    def _on_error_page_reached(self, url: str) -> None:
        if not self._stopped:
            self.error_page_reached.emit(url)

    def _on_certificate_rejected(self, url: str, description: str, unknown_authority: bool) -> None:
        if self._stopped:
            return
        location = describe_location(url)
        host = location.host if location else url

        def write() -> str:
            message = QCoreApplication.translate(
                "ConsentBrowser", "The certificate of {host} was rejected: {reason}"
            ).format(host=host, reason=description)
            return f"{message} {authority_hint()}" if unknown_authority else message

        self.load_failed.emit(Retranslatable(write))

    def _on_insecure_refused(self, origin: str) -> None:
        if self._stopped:
            return
        self.load_failed.emit(
            Retranslatable(
                lambda: QCoreApplication.translate(
                    "ConsentBrowser",
                    "The page at {origin} was not loaded: it is plain http (not encrypted) and "
                    "not on this computer, so a password typed there could be read on the way. "
                    "Tiki's sign-in pages use https://: check the authorization endpoint.",
                ).format(origin=origin)
            )
        )

    def _on_navigation_requested(self, event: NavigationEvent) -> None:
        if not self._stopped and event.is_main_frame:
            self.navigated.emit(event.url)

    def _on_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        if self._stopped:
            return
        status = info.status()
        if status is _Status.LoadStartedStatus:
            self._set_loading(True, emit=True)
            return
        self._set_loading(False, emit=True)
        if status is not _Status.LoadFailedStatus or self._page.captured:
            return
        if info.errorCode() == _ERR_ABORTED and info.errorDomain() in (
            QWebEngineLoadingInfo.ErrorDomain.InternalErrorDomain,
            QWebEngineLoadingInfo.ErrorDomain.ConnectionErrorDomain,
        ):
            return
        if info.errorDomain() is QWebEngineLoadingInfo.ErrorDomain.CertificateErrorDomain:
            return  # already reported by _on_certificate_rejected, with the reason
        url, error = info.url().toString(), info.errorString()
        location = describe_location(url)

        def write() -> str:
            where = (
                location.host_port
                if location
                else QCoreApplication.translate("ConsentBrowser", "the page")
            )
            reason = describe_net_error(error, _net_words)
            message = QCoreApplication.translate(
                "ConsentBrowser", "Could not load {where}: {reason}."
            )
            return message.format(where=where, reason=reason) + proxy_hint(url)

        self.load_failed.emit(Retranslatable(write))

    def _on_load_progress(self, percent: int) -> None:
        if not self._stopped:
            self._progress.setValue(percent)

    def _on_url_changed(self, url: QUrl) -> None:
        if self._stopped:
            return
        location = describe_location(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        self._location.set_location(location)
        if location is None:
            return
        key = (location.host, location.is_tls)
        if key != self._last_location:
            self._last_location = key
            self.location_changed.emit(location.host, location.is_tls)

    def _on_render_process_terminated(
        self, status: ConsentPage.RenderProcessTerminationStatus, exit_code: int
    ) -> None:
        if (
            self._stopped
            or status is ConsentPage.RenderProcessTerminationStatus.NormalTerminationStatus
        ):
            return
        _log.warning("renderer process ended: %s (exit code %d)", status.name, exit_code)
        self._set_loading(False, emit=True)
        self.load_failed.emit(
            Retranslatable(
                lambda: QCoreApplication.translate(
                    "ConsentBrowser",
                    "The page stopped working (its renderer process ended unexpectedly). "
                    "Start the authorization again.",
                )
            )
        )

    def _set_loading(self, loading: bool, *, emit: bool) -> None:
        if loading == self._loading:
            return
        self._loading = loading
        self._progress.setVisible(loading)
        if loading:
            self._progress.setValue(0)
        if emit:
            self.loading_changed.emit(loading)
