"""Where and when the sign-in's HTTP client (httpx, its TLS context) is made and the token
endpoint checked, off the click-to-page path (issue 11, P2/P3; not timed here, the bench times
them):

- the HTTP client and the token client are made on the token endpoint check's thread; once the
  user reaches for the form (the pre-warm) both are done there ahead of the click (the flow's
  timeline is loaded after the window's first paint);
- the click starts a prepared check (its HTTP client made: network I/O only) before the consent
  page, so its round trip overlaps the page's start; a cold one right after the page's load is
  issued, as a probe that needs no HTTP client, which is made only once the page has loaded (its
  GIL-bound Python would slow the GUI thread's start of the page); with a remembered browser
  session it is made at once (the redirect may come before any page).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from child_processes import run_qt_driver
from core.hostile_server import HostileServer, silent
from keyring_service import IsolatedDirs
from pytestqt.qtbot import QtBot

from tiki_gui.core.http import make_http_client
from tiki_gui.core.options import BrowserSession
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine import ConsentBrowser

from .conftest import WindowFactory
from .flow_helpers import FLOW_TIMEOUT_MS, click_authorize, sandbox_config


def _noting_thread(made_on: list[threading.Thread]) -> Callable[[], httpx.Client]:
    """An HTTP client factory noting the thread that makes the client."""

    def factory() -> httpx.Client:
        made_on.append(threading.current_thread())
        return make_http_client()

    return factory


def _shown_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_check_makes_the_http_client_off_the_gui_thread(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    made_on: list[threading.Thread] = []
    window = MainWindow(sandbox_config(sandbox), http_factory=_noting_thread(made_on))
    _shown_window(qtbot, window)
    click_authorize(qtbot, window)
    qtbot.waitUntil(lambda: bool(made_on), timeout=FLOW_TIMEOUT_MS)  # once the page is in
    qtbot.waitUntil(lambda: not window.consent_pane.held, timeout=FLOW_TIMEOUT_MS)
    assert len(made_on) == 1
    assert made_on[0] is not threading.main_thread()  # not by the click itself


def test_a_cold_check_passes_without_waiting_for_the_http_client(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    may_make = threading.Event()

    def factory() -> httpx.Client:  # httpx's import and the TLS context, drawn out
        may_make.wait(30)
        return make_http_client()

    def close(window: MainWindow) -> None:
        may_make.set()
        window.shutdown()

    window = MainWindow(sandbox_config(sandbox), http_factory=factory)
    qtbot.addWidget(window, before_close_func=close)
    window.show()
    qtbot.waitExposed(window)
    click_authorize(qtbot, window)
    qtbot.waitUntil(lambda: not window.consent_pane.held, timeout=FLOW_TIMEOUT_MS)  # passed
    assert not window.http.made  # the probe answered: no client needed for it
    assert window.flow.state is FlowState.CONSENT
    may_make.set()
    qtbot.waitUntil(lambda: window.http.made, timeout=FLOW_TIMEOUT_MS)  # made after the page


def test_the_http_client_waits_for_the_window_to_show_the_page(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    # Not in the step that shows the page: the thread making it would take the GIL from the
    # window's layout and paint with the page (issue 11, P2).
    made_on: list[threading.Thread] = []
    window = _shown_window(
        qtbot, MainWindow(sandbox_config(sandbox), http_factory=_noting_thread(made_on))
    )
    held_when_loaded: list[bool] = []

    def loading(now: bool) -> None:  # connected after the window's own slot: runs after it
        if not now:
            held_when_loaded.append(window.preflight.preparation_held)

    window.consent_pane.loading_changed.connect(loading)
    click_authorize(qtbot, window)
    qtbot.waitUntil(lambda: bool(made_on), timeout=FLOW_TIMEOUT_MS)
    assert held_when_loaded[:1] == [True]  # still held as the page came in
    assert not window.preflight.preparation_held


def test_the_http_client_waits_for_the_consent_page_to_load(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    made_on: list[threading.Thread] = []
    with HostileServer(silent) as page_server:  # a sign-in page that never comes
        config = sandbox_config(sandbox, authorization_endpoint=page_server.url + "/auth")
        window = _shown_window(qtbot, MainWindow(config, http_factory=_noting_thread(made_on)))
        browser = click_authorize(qtbot, window)
        qtbot.waitUntil(lambda: not window.consent_pane.held, timeout=FLOW_TIMEOUT_MS)  # passed
        assert window.preflight.wait(5000)  # the check's thread is idle: nothing queued on it
        assert browser.page.isLoading()
        assert made_on == []  # the check and the pre-warm asked: it waits for the page
        window.cancel.click()  # no page to wait for any more
        qtbot.waitUntil(lambda: bool(made_on), timeout=FLOW_TIMEOUT_MS)
        assert made_on[0] is not threading.main_thread()


def _checking_when_the_page_starts(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> list[bool]:
    """Whether the window's check runs as each consent browser issues its page's load."""
    start = ConsentBrowser.start
    checking: list[bool] = []

    def start_page(browser: ConsentBrowser, *args: Any, **kwargs: Any) -> None:  # recorded only
        checking.append(window.preflight.running)
        start(browser, *args, **kwargs)

    monkeypatch.setattr(ConsentBrowser, "start", start_page)
    return checking


def test_a_prepared_check_starts_before_the_consent_page(
    qtbot: QtBot,
    make_window: WindowFactory,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(sandbox_config(sandbox))
    window.sign_in.preflight.prepare()  # what the pre-warm has done by the click
    qtbot.waitUntil(lambda: window.sign_in.preflight.ready, timeout=FLOW_TIMEOUT_MS)
    checking = _checking_when_the_page_starts(window, monkeypatch)
    click_authorize(qtbot, window)
    assert checking == [True]  # already under way when the page began
    qtbot.waitUntil(lambda: not window.consent_pane.held, timeout=FLOW_TIMEOUT_MS)
    assert window.flow.state is FlowState.CONSENT


def test_a_cold_check_starts_once_the_page_is_loading(
    qtbot: QtBot, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not while Chromium starts: its thread would take the CPU from Chromium's helpers (P2).
    window = MainWindow(sandbox_config(sandbox), http_factory=make_http_client)
    _shown_window(qtbot, window)
    assert not window.sign_in.preflight.ready
    checking = _checking_when_the_page_starts(window, monkeypatch)
    click_authorize(qtbot, window)
    assert checking == [False]  # the page's load was issued first (Chromium started before)
    assert window.preflight.running  # and the check right after, in the same click
    qtbot.waitUntil(lambda: not window.consent_pane.held, timeout=FLOW_TIMEOUT_MS)
    assert window.flow.state is FlowState.CONSENT


_DRIVER = """
import json, os, sys, threading

WATCHED = ("tiki_gui.core.token_client",)  # the timeline: loaded after the first paint
imported_on = {}

class Recorder:  # notes the thread that imports each watched module; imports nothing itself
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name in WATCHED and name not in imported_on:
            imported_on[name] = threading.current_thread().name
        return None

sys.meta_path.insert(0, Recorder)
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
import tiki_gui.core.shared_http as shared_http
from tiki_gui.app import _application, launch

made = shared_http._default_http
def spied():  # the real client, noting the thread that makes it (its TLS context is the cost)
    imported_on["client"] = threading.current_thread().name
    return made()
shared_http._default_http = spied
app = _application()
session = launch(["--sandbox"])
window = session.window
seen = {}

def touch():
    seen["before"] = sorted(imported_on)
    if sys.argv[1] == "hover":
        QTest.mouseMove(window.form.authorize)
    else:
        window.form.authorize.click()
    QTimer.singleShot(200, wait)

def wait():
    if len(imported_on) < len(WATCHED) + 1:
        QTimer.singleShot(100, wait)
        return
    seen["imported_on"] = imported_on
    seen["main"] = threading.main_thread().name
    print(json.dumps(seen), flush=True)
    session.close()
    os._exit(0)

QTimer.singleShot(1000, touch)
QTimer.singleShot(30000, lambda: (print(json.dumps({"timeout": imported_on})), os._exit(1)))
app.exec()
"""


def _imported_on(touch: str) -> dict[str, object]:
    return run_qt_driver(_DRIVER, touch)


def test_hovering_authorize_loads_the_flow_network_modules_off_the_gui_thread(
    isolated_dirs: IsolatedDirs,
) -> None:
    seen = _imported_on("hover")
    assert seen["before"] == []  # nothing while the form was untouched
    imported_on = seen["imported_on"]
    assert isinstance(imported_on, dict)
    assert set(imported_on) == {"client", "tiki_gui.core.token_client"}
    assert seen["main"] not in imported_on.values(), imported_on


def test_without_a_pre_warm_the_click_leaves_the_check_and_exchange_modules_to_a_thread(
    isolated_dirs: IsolatedDirs,
) -> None:
    seen = _imported_on("click")
    imported_on = seen["imported_on"]
    assert isinstance(imported_on, dict)
    assert imported_on["client"] != seen["main"], imported_on
    assert imported_on["tiki_gui.core.token_client"] != seen["main"], imported_on


def test_a_token_request_does_not_hold_the_window_while_the_http_client_is_made(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    # A redirect right after the page (a remembered consent) can come while the token endpoint
    # check's thread is still making the HTTP client (httpx's import, the TLS context): the
    # request's worker waits for it, the window does not.
    from tiki_gui.core.shared_http import SharedHttp
    from tiki_gui.ui.signin.token_request import TokenExchanger

    release = threading.Event()

    def slow_client() -> httpx.Client:
        release.wait(10)
        return make_http_client()

    http = SharedHttp(slow_client)
    making = threading.Thread(target=http.get)  # the check's thread, in the middle of it
    making.start()
    exchanger = TokenExchanger(http=http)
    tokens: list[object] = []
    exchanger.succeeded.connect(tokens.append)
    try:
        waited = threading.Timer(2.0, release.set)  # what a held window would have waited
        waited.start()
        exchanger.client_credentials(sandbox_config(sandbox))
        returned_before_the_client = not release.is_set()
        release.set()
        qtbot.waitUntil(lambda: not exchanger.busy, timeout=FLOW_TIMEOUT_MS)
        waited.cancel()
    finally:
        release.set()
        making.join()
        exchanger.close()
        http.close()
    assert returned_before_the_client
    assert len(tokens) == 1  # and the request went out once the client was there


def test_a_remembered_session_makes_the_http_client_without_waiting_for_a_page(
    qtbot: QtBot, sandbox: SandboxServer
) -> None:
    # Tiki may remember the login and the consent: the redirect can come before any page shows,
    # and the code's exchange needs the client then (issue 11, P3).
    made_on: list[threading.Thread] = []
    with HostileServer(silent) as page_server:  # a sign-in page that never comes
        config = sandbox_config(
            sandbox,
            authorization_endpoint=page_server.url + "/auth",
            browser_session=BrowserSession.REMEMBER,
        )
        window = _shown_window(qtbot, MainWindow(config, http_factory=_noting_thread(made_on)))
        browser = click_authorize(qtbot, window)
        finished: list[bool] = []
        browser.page.loadFinished.connect(finished.append)
        qtbot.waitUntil(lambda: bool(made_on), timeout=FLOW_TIMEOUT_MS)
        # Made while the page is still coming. (Not page.isLoading(): that turns True only on
        # the event-loop turn after load(), and the client's thread can start before it.)
        assert finished == []
        assert made_on[0] is not threading.main_thread()
        window.cancel.click()
