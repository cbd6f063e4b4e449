"""The pane holding the embedded consent browser while the seller signs in.

QtWebEngine is loaded here, lazily: ``from tiki_gui import webengine`` runs at the first
:meth:`ConsentPane.start`, never at import time, so the form appears without Chromium. A new
:class:`~tiki_gui.webengine.ConsentBrowser` is made for each flow and shut down (page, view,
profile) when the flow leaves the consent page. Its profile is off the record ("fresh sign-in every
time"), or the app profile's persistent one ("remember my Tiki login", ``remember=True``), chosen
by :attr:`profile_name`, which the window sets to the app profile in use.

A browser closed while the window is shown goes quiet and out of sight at once, but its teardown
(Chromium deletes the page and the off-the-record profile: several milliseconds on the GUI thread)
waits :data:`RETIRE_DELAY_MS`, so it is not done between the redirect caught and the tokens on
screen (issue 11, P3). With the window hidden (closing), or before a sign-out, it is done at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QVBoxLayout, QWidget

from tiki_gui.ui.shared.wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from tiki_gui.webengine import ConsentBrowser

__all__ = ["RETIRE_DELAY_MS", "SHOW_LOADING_AFTER_MS", "ConsentPane"]

_log = logging.getLogger(__name__)

RETIRE_DELAY_MS = 1000
"""How long a closed browser waits, hidden and quiet, before it is torn down."""

SHOW_LOADING_AFTER_MS = 300
"""A held page still loading when it is released is shown once loaded, or after this long (its
progress then shows): making the view visible mid-load costs Chromium's start of the page ~10 ms
more on the GUI thread (issue 11, P2), and a page on a fast network is in well before this."""


class ConsentPane(QWidget):
    """An explanation line above the browser of the running flow; re-emits its signals."""

    redirect_captured = Signal(str)
    error_page_reached = Signal(str)
    load_failed = Signal(object)  # the browser's sentence (a Retranslatable str)
    location_changed = Signal(str, bool)
    loading_changed = Signal(bool)
    navigated = Signal(str)
    shown = Signal()  # the page is shown to the seller (at once, or when a held one is released)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._browser: ConsentBrowser | None = None
        self._held = False  # the page loads but stays hidden until :meth:`release`
        self._released = False  # release() was called; the page is shown once loaded
        self._loaded = False  # the held browser's first page has loaded
        self.show_loading_after_ms = SHOW_LOADING_AFTER_MS
        self._pending: list[tuple[SignalInstance, str]] = []  # what the page said while held
        self._retired: list[ConsentBrowser] = []  # closed, quiet and hidden; torn down later
        self.profile_name = "default"
        """The app profile whose remembered browser session is used (and signed out of)."""
        self.explanation = WrappedLabel()
        self.explanation.setObjectName("consent_explanation")
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        # At the top while the page loads held (the pane is all the label's then), not mid-height.
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.explanation)

    @property
    def browser(self) -> ConsentBrowser | None:
        """The running flow's browser (None before the first flow and between flows)."""
        return self._browser

    def start(
        self,
        authorization_url: str,
        *,
        redirect_uri: str,
        authorization_endpoint: str,
        remember: bool = False,
        hold: bool = False,
    ) -> None:
        """Show a fresh browser on ``authorization_url`` (loads QtWebEngine the first time).

        ``remember`` uses the persistent session of :attr:`profile_name` (its Tiki login kept).
        ``hold`` loads the page at once but keeps it hidden and disabled, and what it reports
        (redirect, error page, failure, navigation) waiting, until :meth:`release` (the token
        endpoint is being checked meanwhile); :meth:`close_browser` drops it all.

        The first time, Chromium starts (:func:`~tiki_gui.webengine.startup.start_chromium`).
        """
        from tiki_gui import webengine  # lazy: Chromium only when a consent page is needed
        from tiki_gui.webengine.startup import start_chromium

        made = start_chromium(webengine.MODULES)  # the first time: a fresh profile

        self.close_browser()
        storage_name = None
        if remember:
            from tiki_gui.webengine.sessions import storage_name_for

            storage_name = storage_name_for(self.profile_name)
        self.explanation.setText(
            self.tr(
                "Sign in to Tiki and allow access. The redirect to {redirect_uri} is caught in "
                "this window: the code never leaves this computer."
            ).format(redirect_uri=redirect_uri)
        )
        if made is not None and storage_name is not None:
            made.deleteLater()  # a remembered session has its own profile: this one goes unused
            made = None
        browser = webengine.ConsentBrowser(self, storage_name, profile=made)
        # From here to the load, as little as can be (see ConsentBrowser): the layout after it.
        browser.loading_changed.connect(self._on_browser_loading)  # before loading_changed's
        # While held, what decides the flow waits for the release (and is dropped on abort).
        browser.redirect_captured.connect(lambda url: self._relay(self.redirect_captured, url))
        browser.error_page_reached.connect(lambda url: self._relay(self.error_page_reached, url))
        browser.load_failed.connect(lambda text: self._relay(self.load_failed, text))
        browser.navigated.connect(lambda url: self._relay(self.navigated, url))
        browser.location_changed.connect(self.location_changed)
        browser.loading_changed.connect(self.loading_changed)
        self._browser = browser
        self._held, self._pending, self._released, self._loaded = hold, [], False, False
        if hold:  # loaded now, in parallel with the check; shown to the seller once released
            browser.hide()
            browser.setEnabled(False)
        browser.start(
            authorization_url,
            redirect_uri=redirect_uri,
            authorization_endpoint=authorization_endpoint,
        )
        self._layout.addWidget(browser, 1)
        if not hold:
            browser.setFocus()
            self.shown.emit()

    @property
    def held(self) -> bool:
        """True while the page of a browser started with ``hold`` is kept from the seller."""
        return self._browser is not None and self._held

    def release(self) -> None:
        """Show the page of a browser started with ``hold`` to the seller, and pass on what it
        said meanwhile: at once if it has loaded, else once it has, or after
        :attr:`show_loading_after_ms` (see :data:`SHOW_LOADING_AFTER_MS`). Does nothing
        otherwise."""
        browser = self._browser
        if browser is None or not self._held or self._released:
            return
        if not self._loaded:  # (a check that passed before the load has even begun, too)
            self._released = True
            QTimer.singleShot(self.show_loading_after_ms, self, lambda: self._show(browser))
            return
        self._show(browser)

    def _on_browser_loading(self, loading: bool) -> None:
        self._loaded = self._loaded or not loading
        if not loading and self._released and self._browser is not None:
            self._show(self._browser)

    def _show(self, browser: ConsentBrowser) -> None:
        pending = self._pending
        if browser is not self._browser or not self._held:
            return  # closed meanwhile, or shown already
        self._held, self._pending, self._released = False, [], False
        browser.setEnabled(True)
        browser.show()
        browser.setFocus()
        self.shown.emit()
        for signal, value in pending:
            if self._browser is not browser:
                return  # a relayed signal ended the flow
            signal.emit(value)

    def _relay(self, signal: SignalInstance, value: str) -> None:
        if self._held:
            self._pending.append((signal, value))
        else:
            signal.emit(value)

    def sign_out_browser(self) -> None:
        """Forget the remembered Tiki login of :attr:`profile_name` (cookies, cache, storage).

        A browser still shown is shut down first: its profile can only go after its page.
        """
        from tiki_gui.webengine.sessions import sign_out, storage_name_for

        self.close_browser()
        self.dispose_closed()
        sign_out(storage_name_for(self.profile_name))

    def close_browser(self) -> None:
        """Stop the browser and drop it. Idempotent.

        It loads nothing and reports nothing from now on, and is hidden; its teardown (page,
        view, then profile) follows :data:`RETIRE_DELAY_MS` later while the window is shown (off
        the redirect-to-tokens path), at once otherwise."""
        browser, self._browser = self._browser, None
        self._held, self._pending, self._released = False, [], False
        if browser is None:
            return
        browser.stop()
        self._layout.removeWidget(browser)
        browser.hide()
        self._retired.append(browser)
        if self.window().isVisible():
            QTimer.singleShot(RETIRE_DELAY_MS, self, self.dispose_closed)
        else:
            self.dispose_closed()

    def dispose_closed(self) -> None:
        """Tear down the browsers closed so far (page, view, then profile) now."""
        retired, self._retired = self._retired, []
        for browser in retired:
            browser.shutdown()
            browser.deleteLater()  # posted after the page, view and profile deletions
        if retired:
            _log.debug("consent browser shut down")
