"""The main window's steps after its first paint (issue 11's staged start), in their order.

:data:`STAGES` are run by :class:`~tiki_gui.ui.main_window.MainWindow`, one per event-loop turn
once the window is painted (each well under 16 ms measured): the icons, the guide's height for
its width, Authorize's shortcut
in its tooltip, the stored tokens, the QtWebEngine pre-warm's watch on the form, the flow's
modules, the flow view's hidden pages and the sign-in, then the consent browser's modules that
need no QtWebEngine and the flow's timeline, and the PySide6 classes a first sign-in uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from tiki_gui.ui.main_window import MainWindow

__all__ = ["STAGES"]


def _watch_for_prewarm(window: MainWindow) -> None:
    # QtWebEngine is loaded once the form is touched (the user can touch it once painted).
    from tiki_gui.ui.signin.prewarm import WebEnginePrewarm

    window.prewarm = WebEnginePrewarm(window.form, window.form.authorize, window)
    window.prewarm.watch_action(window.authorize_action)  # File > Authorize, hovered first
    window.prewarm.warmed.connect(window.prepare_sign_in)


def _load_flow_modules(_window: MainWindow) -> None:
    import tiki_gui.ui.window_signin  # noqa: F401 -- the flow, the token request, the check


def _load_page_modules(_window: MainWindow) -> None:
    import tiki_gui.ui.signin.consent_pane
    import tiki_gui.ui.signin.error_panel
    import tiki_gui.ui.signin.obtained_tokens_panel
    import tiki_gui.ui.signin.system_browser_pane
    import tiki_gui.ui.signin.timeline_panel  # noqa: F401


def _load_browser_modules(_window: MainWindow) -> None:
    # The consent browser's Python half (no QtWebEngine: its address line, navigation rules and
    # error wording) and the flow's timeline: ~8 ms a click with nothing before it would spend
    # on the GUI thread while Chromium starts (issue 11, P2).
    import tiki_gui.core.timeline
    import tiki_gui.webengine.location
    import tiki_gui.webengine.navigation
    import tiki_gui.webengine.net_errors  # noqa: F401


def _make_sign_in_classes(_window: MainWindow) -> None:
    # PySide6 classes a first sign-in uses, each made with its enums at first use: ~2.5 ms the
    # click (issue 11, P2) or the tokens' arrival (P3) would spend on the GUI thread, and no
    # longer made before the first paint (P1).
    # QDateTime: the tokens' expiry shown; QMetaMethod: QTimer.singleShot(ms, context, slot);
    # QSizePolicy: the consent browser's progress line.
    from PySide6.QtCore import QDateTime, QMetaMethod  # noqa: F401
    from PySide6.QtWidgets import QSizePolicy  # noqa: F401

    from tiki_gui.qt_native import qt_library_folder

    qt_library_folder()  # QLibraryInfo: where Chromium's start finds QtWebEngine's libraries


def _build_pages(window: MainWindow) -> None:
    window.flow_view.build_pages()  # and so the sign-in (MainWindow._on_pages_built)


def _set_icons(window: MainWindow) -> None:
    # After the first paint: QIcon costs PySide its class and enums, the SVG its plug-in (issue
    # 11). The application's too (dialogs), unless a program embedding the window set its own.
    from tiki_gui.ui.shared.icon import app_icon

    icon = app_icon()
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and app.windowIcon().isNull():
        app.setWindowIcon(icon)
    window.setWindowIcon(icon)


def _fit_guide(window: MainWindow) -> None:
    window.flow_view.fit_guide_to_width()  # its rich text measured (~2 ms): not in the start


def _name_shortcuts(window: MainWindow) -> None:
    window.form.authorize_bar.name_shortcut()  # in Authorize's tooltip (QKeySequence: ~2 ms)


def _build_stored_tokens(window: MainWindow) -> None:
    _ = window.stored_tokens  # with storage: the controller, its hidden dock, the listing


# The steps after the first paint, one per event-loop turn (each well under 16 ms measured).
STAGES: tuple[Callable[[MainWindow], None], ...] = (
    _set_icons,
    _fit_guide,
    _name_shortcuts,
    _build_stored_tokens,
    _watch_for_prewarm,
    _load_flow_modules,
    _load_page_modules,
    _build_pages,
    _load_browser_modules,
    _make_sign_in_classes,
)
