"""The right side of the window: what the running sign-in shows.

A :class:`FlowView` is a stack of pages (a short guide, the consent browser, the system-browser
pane, the token request in progress, the tokens just obtained, or the error) under a status
line, a progress bar and Cancel, with the flow's timeline below. :meth:`show_state`,
:meth:`show_tokens` and :meth:`show_error` switch it; it never drives the flow itself.

Only the guide is made with the view (it is what the first paint shows, issue 11); the other
pages and the timeline are made by :meth:`build_pages`, which the window calls after its first
paint, and which any of their properties calls first if it has not run yet. :attr:`pages_built`
tells the window to wire them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.core.options import SignIn
from tiki_gui.ui.shared.after_paint import after_paint
from tiki_gui.ui.shared.enum_free import set_keys
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP, format_time, language_switcher
from tiki_gui.ui.shared.parts import Part
from tiki_gui.ui.shared.widgets import named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from tiki_gui.storage.profiles import Profile
    from tiki_gui.ui.signin.consent_pane import ConsentPane
    from tiki_gui.ui.signin.error_panel import ErrorPanel
    from tiki_gui.ui.signin.flow import FlowResult, FlowState
    from tiki_gui.ui.signin.obtained_tokens_panel import TokenPanel
    from tiki_gui.ui.signin.system_browser_pane import SystemBrowserPane
    from tiki_gui.ui.signin.timeline_panel import TimelinePanel

__all__ = ["FlowView"]

_CONSENT_STATUS = QT_TRANSLATE_NOOP(
    "FlowView", "Waiting for the seller to sign in and allow access\u2026"
)
_GUIDE = QT_TRANSLATE_NOOP(
    "FlowView",
    "<h3>Get tokens for your Tiki app</h3>"
    "<ol>"
    "<li>Fill in the app's client ID, client secret and redirect URI exactly as registered in "
    "Tiki's console, pick the scopes and the auth method.</li>"
    "<li>Press <b>Authorize</b>: Tiki's sign-in and consent page opens here. Sign in as the "
    "seller and allow access.</li>"
    "<li>The redirect back is caught in this window (the code never leaves this computer) and "
    "exchanged for tokens, shown here with Copy buttons.</li>"
    "</ol>"
    "<p>The form is saved in the profile chosen above; the client secret and the tokens only in "
    "your system keyring, never in a file.</p>",
)


def _text_page(name: str, text: str = "") -> QLabel:
    page = WrappedLabel(text)
    page.setObjectName(name)
    set_keys(page, alignment="AlignTop|AlignLeft")
    return page


class _Pages(NamedTuple):
    """The pages made after the first paint (see the module docstring). A named tuple: a frozen
    dataclass's generated methods cost ~1.5 ms at import, before the first paint (issue 11)."""

    consent_pane: ConsentPane
    system_browser_pane: SystemBrowserPane
    exchange_page: QLabel
    token_panel: TokenPanel
    error_panel: ErrorPanel
    timeline_panel: TimelinePanel


class FlowView(QWidget):
    """The pages of a sign-in, its status line, progress, Cancel and timeline."""

    pages_built = Signal()  # build_pages() made the hidden pages (once)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._built: _Pages | None = None
        self.guide_text = _text_page("guide_text", self.tr(_GUIDE))
        # Its height for its width only after the first paint (fit_guide_to_width): measuring
        # the rich text at the first layout cost the start ~5 ms (issue 11, P1).
        self.guide_text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.try_sandbox = named(
            QPushButton(self.tr("Try it on the sandbox")),
            "try_sandbox",
            self.tr("Try it on the sandbox"),
            self.tr("A local Tiki look-alike with a demo app: no Tiki account needed"),
        )
        self.try_sandbox.setToolTip(
            self.tr(
                "Start a Tiki-like server on this computer with a demo app filled in: try the "
                "whole sign-in without a Tiki account or the internet"
            )
        )
        guide_page = QWidget()
        guide_layout = QVBoxLayout(guide_page)
        guide_layout.setContentsMargins(0, 0, 0, 0)
        guide_layout.addWidget(self.guide_text)
        guide_row = QHBoxLayout()
        guide_row.addWidget(self.try_sandbox)
        guide_row.addStretch(1)
        guide_layout.addLayout(guide_row)
        guide_layout.addStretch(1)
        # In a scroll area: a narrow window scrolls the guide instead of cutting it short, and
        # its rich text's height for width stays inside (the stacked pages ask every page's,
        # hidden ones too, at each layout of the window: ~8-11 ms of the click, issue 11, P2).
        self.guide = QScrollArea()
        self.guide.setObjectName("guide")
        self.guide.setWidgetResizable(True)
        self.guide.setFrameShape(QFrame.Shape.NoFrame)
        self.guide.setWidget(guide_page)
        self.pages = QStackedWidget()
        self.pages.setObjectName("flow_pages")
        self.pages.addWidget(self.guide)
        self.flow_status = named(WrappedLabel(), "flow_status", self.tr("Flow status"))
        self.flow_progress = named(QProgressBar(), "flow_progress", self.tr("Flow progress"))
        self.flow_progress.setRange(0, 0)
        self.flow_progress.setMaximumWidth(160)
        self.flow_progress.setTextVisible(False)
        self.flow_progress.setVisible(False)
        self.cancel = named(
            QPushButton(self.tr("Cancel")),
            "cancel",
            self.tr("Cancel the authorization"),
            self.tr("Escape also cancels"),
        )
        self.cancel.setToolTip(self.tr("Stop this authorization (Esc)"))
        self.cancel.setVisible(False)

        header = QHBoxLayout()
        header.addWidget(self.flow_status, 1)
        header.addWidget(self.flow_progress)
        header.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addLayout(header)
        self._split = QSplitter()
        set_keys(self._split, orientation="Vertical")
        self._split.setObjectName("flow_splitter")
        self._split.setChildrenCollapsible(False)
        self._split.addWidget(self.pages)
        self._split.setStretchFactor(0, 1)
        layout.addWidget(self._split, 1)
        self._consent_mode = False
        self._redraw: Callable[[], None] | None = None  # re-composes texts on a language change
        language_switcher().language_changed.connect(self._on_language_changed)
        self.show_idle()

    def fit_guide_to_width(self) -> None:
        """Give the guide's text the height its width needs (after the first paint)."""
        policy = self.guide_text.sizePolicy()
        policy.setHeightForWidth(True)
        self.guide_text.setSizePolicy(policy)

    # -- the pages made after the first paint -------------------------------------------------

    @property
    def pages_ready(self) -> bool:
        """True once :meth:`build_pages` ran (reading this builds nothing)."""
        return self._built is not None

    def build_pages(self) -> None:
        """Make the hidden pages and the timeline (once), then emit :attr:`pages_built`."""
        self._pages()

    def _pages(self) -> _Pages:
        if self._built is not None:
            return self._built
        from tiki_gui.ui.signin.consent_pane import ConsentPane
        from tiki_gui.ui.signin.error_panel import ErrorPanel
        from tiki_gui.ui.signin.obtained_tokens_panel import TokenPanel
        from tiki_gui.ui.signin.system_browser_pane import SystemBrowserPane
        from tiki_gui.ui.signin.timeline_panel import TimelinePanel

        built = _Pages(
            consent_pane=ConsentPane(),
            system_browser_pane=SystemBrowserPane(),
            exchange_page=_text_page("exchange_page"),
            token_panel=TokenPanel(),
            error_panel=ErrorPanel(),
            timeline_panel=TimelinePanel(),
        )
        self._built = built
        for page in (
            built.consent_pane,
            built.system_browser_pane,
            built.exchange_page,
            built.token_panel,
            built.error_panel,
        ):
            self.pages.addWidget(page)
        # Nothing empty on screen: the timeline appears with the first sign-in.
        built.timeline_panel.setVisible(False)
        self._split.addWidget(built.timeline_panel)
        self._split.setStretchFactor(1, 0)
        self._split.setSizes([640, 110])
        self.pages_built.emit()
        return built

    # The pages, made (all at once) when one is first read.
    consent_pane: Part[FlowView, ConsentPane] = Part(lambda view: view._pages().consent_pane)
    system_browser_pane: Part[FlowView, SystemBrowserPane] = Part(
        lambda view: view._pages().system_browser_pane
    )
    exchange_page: Part[FlowView, QLabel] = Part(lambda view: view._pages().exchange_page)
    token_panel: Part[FlowView, TokenPanel] = Part(lambda view: view._pages().token_panel)
    error_panel: Part[FlowView, ErrorPanel] = Part(lambda view: view._pages().error_panel)
    timeline_panel: Part[FlowView, TimelinePanel] = Part(lambda view: view._pages().timeline_panel)

    # -- what the flow shows -----------------------------------------------------------------

    @Slot()
    def _on_language_changed(self) -> None:
        if self._redraw is not None:
            self._redraw()

    def show_timeline(self) -> None:
        """A sign-in began: its timeline is worth a look (except over the consent page)."""
        self.timeline_panel.setVisible(not self._consent_mode)

    def set_consent_mode(self, on: bool) -> None:
        """The consent page takes the whole view: the timeline is hidden meanwhile. It comes
        back once what the sign-in ended with (the tokens, or the error) is painted: its text's
        layout and paint (~4 ms) would come first otherwise (issue 11, P3)."""
        self._consent_mode = on
        if on:
            self.timeline_panel.setVisible(False)
        else:
            after_paint(self, self._show_timeline_if_any)

    def _show_timeline_if_any(self) -> None:
        if not self._consent_mode:
            self.timeline_panel.setVisible(self.timeline_panel.timeline is not None)

    def show_idle(self) -> None:
        self._redraw = None
        self.flow_status.setText("")
        self.pages.setCurrentWidget(self.guide)

    def show_state(self, state: FlowState, profile: Profile | None, *, code: bool) -> None:
        """The page for ``state`` of a flow run with ``profile`` (``code``: a code exchange)."""
        from tiki_gui.ui.signin.flow import FlowState  # loaded with the flow, after the paint

        self.cancel.setVisible(state.running)
        self.flow_progress.setVisible(state is FlowState.EXCHANGING)
        if state is not FlowState.CONSENT:
            self.consent_pane.close_browser()
        if state.running:
            self.token_panel.clear()  # the tokens shown stay reachable as its previous set
        if state is FlowState.CONSENT:
            self._redraw = None
            self.flow_status.setText(self.tr(_CONSENT_STATUS))
            embedded = profile is None or profile.sign_in is SignIn.EMBEDDED
            self.pages.setCurrentWidget(self.consent_pane if embedded else self.system_browser_pane)
        elif state is FlowState.EXCHANGING:
            where = (
                urlsplit(profile.token_endpoint).netloc
                if profile is not None
                else self.tr("the token endpoint")
            )
            self._redraw = partial(self._show_exchanging, where, code)
            self._redraw()
            self.pages.setCurrentWidget(self.exchange_page)
        elif state is FlowState.CANCELLED:
            self._redraw = None
            self.flow_status.setText(self.tr("Authorization cancelled."))
            self.pages.setCurrentWidget(self.guide)
        elif state is FlowState.IDLE:
            self.show_idle()

    def show_tokens(self, result: FlowResult) -> None:
        """The tokens the sign-in just obtained, with Copy buttons."""
        tokens = result.tokens
        self.token_panel.set_tokens(tokens)
        self.pages.setCurrentWidget(self.token_panel)
        where = urlsplit(result.profile.token_endpoint).netloc
        self._redraw = partial(self._show_received, where, tokens.obtained_at)
        self._redraw()
        self.token_panel.copy_access_token.setFocus()

    def show_error(self, error: BaseException) -> None:
        """What went wrong, in words, with the server's fields one click away."""
        self._redraw = partial(self._show_error_report, error)
        self._redraw()
        self.pages.setCurrentWidget(self.error_panel)
        self.flow_status.setText("")

    def _show_exchanging(self, where: str, code: bool) -> None:
        # The status line says what runs; the page in the middle, what it means (not the same
        # words twice).
        if code:
            status = self.tr("Exchanging the code at {where}\u2026")
            page = self.tr(
                "Signed in. Tiki sent back an authorization code, which is now exchanged for "
                "tokens (the line above says where). The code is used this once.\n\n"
                "Esc stops waiting."
            )
        else:
            status = self.tr("Requesting a token at {where}\u2026")
            page = self.tr(
                "Requesting a token with the app's own credentials (client credentials grant, "
                "the line above says where): no seller signs in.\n\nEsc stops waiting."
            )
        self.flow_status.setText(status.format(where=where))
        self.exchange_page.setText(page)

    def _show_received(self, where: str, received: datetime) -> None:
        self.flow_status.setText(
            self.tr("Tokens received from {where} at {time}.").format(
                where=where, time=format_time(received)
            )
        )

    def _show_error_report(self, error: BaseException) -> None:
        # The error wording (and the core's error tree) is loaded when an error is shown, not
        # before the first paint (issue 11).
        from tiki_gui.ui.shared.error_text import describe_error

        self.error_panel.show_report(describe_error(error))
