"""The window's staged start (issue 11): what the first paint does not show is made after it, one
event-loop step at a time, or at once when something reaches it first; the seller API console is
made when its tab is first shown. Behaviour is the same either way: only the moment differs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from keyring_service import SecretService
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QWidget
from pytestqt.qtbot import QtBot
from qt_fixtures import flush_deferred_deletes
from storage.flows import new_client

from tiki_gui.app import _NO_ARGUMENTS, build_parser
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage import ProfileStore
from tiki_gui.storage.profiles import Profile
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.flow import FlowResult

from .api_console_helpers import console_of
from .flow_helpers import sandbox_config
from .seller_list import file_tokens
from .stored_window import ProfileWindowFactory, StoredWindowFactory

CLIENT = new_client("ui-staged-start")
# A widget of each page made after the first paint, by objectName.
PAGES = ("consent_explanation", "system_browser_explanation", "error_details", "timeline_heading")


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(clients=[CLIENT]) as made:
        yield made


@pytest.fixture
def unpainted(qtbot: QtBot) -> Iterator[MainWindow]:
    """A window never shown: never painted, so nothing after the first paint was made."""
    window = MainWindow()
    yield window
    window.shutdown()
    window.deleteLater()


def _page_names(window: MainWindow) -> set[str]:
    return {child.objectName() for child in window.findChildren(QWidget)} & set(PAGES)


def test_before_the_first_paint_only_what_it_shows_is_made(unpainted: MainWindow) -> None:
    window = unpainted
    assert not window.flow_view.pages_ready
    assert not window.sign_in_ready
    assert _page_names(window) == set()
    assert window.prewarm is None
    assert window.pages.count() == 1  # the guide
    assert window.pages.currentWidget() is window.guide
    # What the menus ask before then makes nothing either.
    window.menus.update_token_actions()
    assert not window.previous_tokens_action.isEnabled()
    window.copy_access_action.trigger()
    assert window.escape_shortcut is not None
    window._on_cancel()
    assert not window.flow_view.pages_ready
    assert not window.sign_in_ready


def test_reaching_a_page_first_makes_the_pages_and_the_sign_in_wired(
    unpainted: MainWindow,
) -> None:
    window = unpainted
    panel = window.token_panel  # reached before the steps after the paint ran
    assert window.flow_view.pages_ready
    assert window.sign_in_ready
    assert _page_names(window) == set(PAGES)
    assert window.pages.count() == 6
    assert window.pages.indexOf(panel) >= 0
    panel.copied.emit("The access token")  # wired to the window's status bar
    assert window.statusBar().currentMessage() == "The access token copied to the clipboard."
    assert window.flow.state_changed is not None  # the same flow, made once
    assert window.sign_in is window.sign_in


def test_reaching_the_flow_first_makes_the_pages_too(unpainted: MainWindow) -> None:
    window = unpainted
    flow = window.flow
    assert window.flow_view.pages_ready
    flow.timeline_started.emit(None)  # wired to the flow view: the timeline is shown
    assert not window.timeline_panel.isHidden()


def test_the_steps_run_after_the_first_paint(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: window.shutdown())
    assert not window.flow_view.pages_ready
    with qtbot.waitSignal(window.staged, timeout=10_000):
        window.show()
    assert window.flow_view.pages_ready
    assert window.sign_in_ready
    assert window.prewarm is not None
    assert not window.prewarm.triggered
    assert _page_names(window) == set(PAGES)
    assert window.pages.currentWidget() is window.guide  # nothing visible changed
    assert window.timeline_panel.isHidden()


def test_the_stored_tokens_are_made_after_the_first_paint_and_list_the_profile(
    qtbot: QtBot, server: SandboxServer, secret_service: SecretService
) -> None:
    _, [record] = file_tokens(server, CLIENT, "later-shop")  # profile "Shop", one seller
    window = MainWindow(storage=ProfileStore())
    try:
        assert window.profiles is not None
        assert window.profiles.current == "Shop"  # the form shows the profile at the paint
        assert window.findChild(QDockWidget, "token_manager_dock") is None
        with qtbot.waitSignal(window.staged, timeout=10_000):
            window.show()
        dock = window.findChild(QDockWidget, "token_manager_dock")
        assert isinstance(dock, QDockWidget)
        assert dock is window.token_dock
        tokens = window.stored_tokens
        assert tokens is not None
        # Listed once the keyring answers, as when the list was made before the paint.
        qtbot.waitUntil(dock.isVisible, timeout=10_000)
        assert [r.seller_id for r in tokens.manager.records()] == [record.seller_id]
    finally:
        window.close()
        window.shutdown()
        window.deleteLater()
        flush_deferred_deletes()


def test_painted_once_after_the_first_paint_and_no_event_of_the_window_crosses_into_python(
    qtbot: QtBot,
) -> None:
    # The first paint is found without a Python event handler: paintEvent, event() or an event
    # filter would take the window's events through Python, and PySide6 would build QEvent and
    # its ~180 types at the first one (issue 11).
    assert not {"event", "paintEvent", "showEvent", "eventFilter"} & set(vars(MainWindow))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: window.shutdown())
    order: list[str] = []

    class Paints(QObject):  # the test's own witness of the window's paints
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is window:
                order.append("paint")
            return False

    paints = Paints()
    window.installEventFilter(paints)
    window.painted.connect(lambda: order.append(f"painted, pages {window.flow_view.pages_ready}"))
    with qtbot.waitSignal(window.staged, timeout=10_000):
        window.show()
    window.repaint()
    qtbot.wait(50)
    window.removeEventFilter(paints)
    # Once, after the window's first paint and before the steps after it (the pages).
    assert order[0] == "paint"
    assert order.count("painted, pages False") == 1
    assert [entry for entry in order if entry != "paint"] == ["painted, pages False"]


def test_reaching_the_stored_tokens_first_makes_them(
    qtbot: QtBot, no_keyring: None, unpainted: MainWindow
) -> None:
    assert unpainted.stored_tokens is None  # no storage, no stored tokens
    window = MainWindow(storage=ProfileStore())  # never shown: nothing after the paint is made
    try:
        assert window.findChild(QDockWidget, "token_manager_dock") is None
        tokens = window.stored_tokens
        assert tokens is not None
        assert window.stored_tokens is tokens  # made once
        assert window.findChild(QDockWidget, "token_manager_dock") is window.token_dock
        assert window.token_dock.widget() is tokens.manager
    finally:
        window.shutdown()
        window.deleteLater()
        flush_deferred_deletes()


def test_the_profile_name_reaches_the_browser_made_later(unpainted: MainWindow) -> None:
    window = unpainted
    window.profile_name = "Shop"  # the profile opened before the pages exist
    assert window.consent_pane.profile_name == "Shop"
    window.profile_name = "Other"
    assert window.consent_pane.profile_name == "Other"


def test_no_arguments_parse_to_the_defaults() -> None:
    assert build_parser().parse_args([]) == _NO_ARGUMENTS


def _console_built(window: MainWindow) -> bool:
    return window.findChild(QObject, "api_send") is not None


def test_the_console_is_made_when_its_tab_is_first_shown(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    file_tokens(server, CLIENT, "staged-shop")
    window, _, _ = profile_window()
    dock = window.findChild(QWidget, "api_console_dock")
    assert dock is not None  # the tab is there with the first stored seller
    assert window.findChild(QWidget, "api_console_placeholder") is not None
    assert not _console_built(window)
    tabs = window.findChild(QTabBar, "dock_tabs")
    assert isinstance(tabs, QTabBar)
    titles = [tabs.tabText(index) for index in range(tabs.count())]
    tabs.setCurrentIndex(titles.index("Seller API"))  # the user picks the tab
    qtbot.waitUntil(lambda: _console_built(window), timeout=5_000)
    console = console_of(window)
    assert dock.isVisible()
    assert console.panel.isVisible()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "api_console_placeholder") is None)


def test_try_the_api_with_a_seller_makes_the_console(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    _, [record] = file_tokens(server, CLIENT, "try-shop")
    window, _, tokens = profile_window()
    assert not _console_built(window)
    tokens.manager.select_seller(record.seller_id)
    action = window.findChild(QAction, "api_try_seller")
    assert isinstance(action, QAction)
    action.trigger()
    assert _console_built(window)
    assert console_of(window).panel.seller_id() == record.seller_id


def test_tab_reaches_the_pages_made_later_after_the_form(
    qtbot: QtBot, no_keyring: None, stored_window: StoredWindowFactory
) -> None:
    window = stored_window()  # with the profile bar: Tab starts there, then the form
    qtbot.waitUntil(lambda: window.sign_in_ready, timeout=10_000)
    now = datetime.now(UTC)
    tokens = TokenSet("at", "bearer", now, now + timedelta(hours=1), "rt")
    window.flow_view.show_tokens(
        FlowResult(Profile(token_endpoint="https://tiki.test/token"), tokens)
    )
    window.timeline_panel.setVisible(True)
    tab = Qt.FocusPolicy.TabFocus
    stops: list[str] = []
    widget: QWidget = window.form.client_id
    for _ in range(500):
        if widget.isVisible() and widget.focusPolicy() & tab == tab and widget.isEnabled():
            stops.append(widget.objectName())
        following = widget.nextInFocusChain()
        if following is None or following is window.form.client_id:
            break
        widget = following
    assert stops[0] == "client_id"
    assert stops.index("client_secret") < stops.index("advanced_toggle")
    assert stops.index("advanced_toggle") < stops.index("show_tokens") < stops.index("timeline")


def test_the_http_client_is_made_on_a_worker_once_the_form_is_reached_for(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    made: list[str] = []

    def factory() -> httpx.Client:
        made.append(threading.current_thread().name)
        return httpx.Client(timeout=5)

    window = MainWindow(sandbox_config(sandbox), http_factory=factory)
    qtbot.addWidget(window, before_close_func=lambda w: window.shutdown())
    window.show()
    qtbot.waitUntil(lambda: window.sign_in_ready and window.prewarm is not None, timeout=10_000)
    assert window.form.authorize.isEnabled()
    QApplication.processEvents()
    assert made == []  # a complete form nobody touched: no HTTP client (idle memory, issue 11)
    prewarm = window.prewarm
    assert prewarm is not None
    prewarm.trigger()  # what a hover or focus of Authorize, or an edit, does
    qtbot.waitUntil(lambda: made != [], timeout=15_000)
    assert made[0] != threading.main_thread().name
    prewarm.trigger()
    window.sign_in.preflight.prepare()
    QApplication.processEvents()
    assert len(made) == 1
