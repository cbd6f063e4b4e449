"""Profile, stop, shutdown and failures: the browser never crashes, leaks or talks after it ends."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMainWindow, QProgressBar
from pytestqt.logging import _QtMessageCapture
from pytestqt.qtbot import QtBot
from qt_fixtures import flush_deferred_deletes
from scripted_server import Reply, ScriptedServer, html, openssl_available

from tiki_gui.webengine import ConsentBrowser

from . import drive
from .conftest import close_browser
from .servers import ConnectionCounter

TIMEOUT_MS = 5_000
PROFILE_RELEASE_WARNING = "Release of profile requested"


def _start(browser: ConsentBrowser, url: str, redirect_uri: str) -> None:
    browser.start(url, redirect_uri=redirect_uri, authorization_endpoint=url)


def _all_signals(browser: ConsentBrowser) -> list[object]:
    seen: list[object] = []
    for signal in (
        browser.redirect_captured,
        browser.error_page_reached,
        browser.load_failed,
        browser.location_changed,
        browser.loading_changed,
    ):
        signal.connect(lambda *args, seen=seen: seen.append(args))
    return seen


def _no_profile_warning(qtlog: _QtMessageCapture) -> bool:
    return not any(PROFILE_RELEASE_WARNING in record.message for record in qtlog.records)


def test_each_browser_has_its_own_off_the_record_profile(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/set"] = (
        "<p id='set'>set</p><script>document.cookie = 'flow=one; path=/';</script>"
    )
    pages.pages["/read"] = "<p id='read'>read</p>"
    other = ConsentBrowser()
    qtbot.addWidget(other, before_close_func=close_browser)

    assert browser.profile.isOffTheRecord()
    assert other.profile.isOffTheRecord()
    assert browser.profile is not other.profile
    assert browser.view.page().profile() is browser.profile

    _start(browser, pages.url("/set"), listener.url())
    drive.wait_for_element(qtbot, browser, "set")
    assert drive.js(browser, "document.cookie") == "flow=one"
    _start(other, pages.url("/read"), listener.url())
    drive.wait_for_element(qtbot, other, "read")
    assert drive.js(other, "document.cookie") == ""


def test_shutdown_mid_load_deletes_page_view_and_profile_quietly(
    qtbot: QtBot,
    qtlog: _QtMessageCapture,
    browser: ConsentBrowser,
    pages: ScriptedServer,
    listener: ConnectionCounter,
) -> None:
    pages.pages["/slow"] = html("<p>late</p>", held=True)
    with qtbot.waitSignal(browser.loading_changed) as loading:
        _start(browser, pages.url("/slow"), listener.url())
    assert loading.args == [True]
    page, view, profile = browser.page, browser.view, browser.profile
    seen = _all_signals(browser)

    browser.shutdown()
    browser.shutdown()  # idempotent
    pages.release()
    flush_deferred_deletes()
    qtbot.waitUntil(lambda: not shiboken6.isValid(profile), timeout=5000)

    assert not shiboken6.isValid(page)
    assert not shiboken6.isValid(view)
    assert not shiboken6.isValid(profile)
    assert shiboken6.isValid(browser)
    assert browser.is_shut_down
    assert seen == []
    assert _no_profile_warning(qtlog)
    with pytest.raises(RuntimeError, match="shut down"):
        _start(browser, pages.url("/slow"), listener.url())


def test_closing_the_parent_window_mid_load_is_clean(
    qtbot: QtBot, qtlog: _QtMessageCapture, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/slow"] = html("<p>late</p>", held=True)
    window = QMainWindow()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    embedded = ConsentBrowser()
    window.setCentralWidget(embedded)
    window.show()
    with qtbot.waitSignal(embedded.loading_changed):
        _start(embedded, pages.url("/slow"), listener.url())
    page, profile = embedded.page, embedded.profile

    # No shutdown(): the window goes and takes the browser with it (C++ child order).
    window.close()
    flush_deferred_deletes()
    pages.release()
    qtbot.waitUntil(lambda: not shiboken6.isValid(profile), timeout=5000)

    assert not shiboken6.isValid(window)
    assert not shiboken6.isValid(embedded)
    assert not shiboken6.isValid(page)
    assert not shiboken6.isValid(profile)
    assert _no_profile_warning(qtlog)


def test_stop_silences_the_browser(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/slow"] = html("<script>location.href = '/next';</script>", held=True)
    pages.pages["/next"] = "<p>next</p>"
    with qtbot.waitSignal(browser.loading_changed):
        _start(browser, pages.url("/slow"), listener.url())
    seen = _all_signals(browser)

    browser.stop()
    pages.release()
    qtbot.wait(500)

    assert seen == []
    assert browser.page.closed
    assert "/next" not in pages.requested


def test_connection_refused_is_reported_as_load_failed(
    qtbot: QtBot, browser: ConsentBrowser, listener: ConnectionCounter
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on ``port`` any more.
    with qtbot.waitSignal(browser.load_failed, timeout=TIMEOUT_MS) as failed:
        _start(browser, f"http://127.0.0.1:{port}/sc/oauth2/auth", listener.url())
    message = str(failed.args[0])
    assert f"127.0.0.1:{port}" in message
    assert "REFUSED" in message.upper()


@pytest.fixture
def self_signed_server() -> Iterator[tuple[str, list[str]]]:
    """An https server on 127.0.0.1 with a self-signed certificate; yields (url, paths seen)."""
    if not openssl_available():
        pytest.fail("openssl is needed to make a self-signed certificate (.ci/debian-packages.txt)")
    with ScriptedServer(repeat=Reply(200, b"ok", ()), tls=True) as server:
        yield server.url("/sc/oauth2/auth"), server.requested


def test_a_certificate_error_is_rejected_and_reported(
    qtbot: QtBot,
    browser: ConsentBrowser,
    self_signed_server: tuple[str, list[str]],
    listener: ConnectionCounter,
) -> None:
    url, seen = self_signed_server
    with qtbot.waitSignal(browser.load_failed, timeout=TIMEOUT_MS) as failed:
        _start(browser, url, listener.url())
    assert "certificate" in str(failed.args[0]).lower()
    assert "127.0.0.1" in str(failed.args[0])
    assert seen == []  # no HTTP request was sent over the untrusted connection


def test_a_crashed_renderer_is_reported_as_load_failed(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/start"] = "<p id='start'>start</p>"
    _start(browser, pages.url("/start"), listener.url())
    drive.wait_for_element(qtbot, browser, "start")
    with qtbot.waitSignal(browser.load_failed, timeout=TIMEOUT_MS) as failed:
        browser.view.page().load("chrome://crash")  # Chromium's debug URL: the renderer dies
    assert "stopped working" in str(failed.args[0])


def test_the_widgets_are_named_for_tests_and_screen_readers(browser: ConsentBrowser) -> None:
    assert browser.findChild(QWebEngineView, "consent_view") is browser.view
    assert browser.view.accessibleName()
    progress = browser.findChild(QProgressBar, "consent_progress")
    assert progress is not None
    assert progress.accessibleName()
    assert browser.location_bar.objectName() == "consent_location"
    assert browser.location_bar.isReadOnly()
    assert browser.focusProxy() is browser.view


def test_the_parts_the_load_does_not_need_are_made_before_chromium_starts(
    browser: ConsentBrowser,
) -> None:
    # Children are kept in creation order: the location line and the progress strip come before
    # the view (made right after the profile, which starts Chromium), the profile last (adopted).
    children = [
        child for child in browser.children() if child.objectName() or child is browser.profile
    ]
    assert children.index(browser.location_bar) < children.index(browser.view)
    progress = browser.findChild(QProgressBar, "consent_progress")
    assert progress is not None
    assert children.index(progress) < children.index(browser.view)
    assert children[-1] is browser.profile
