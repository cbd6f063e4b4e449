"""Every way a page can head for the redirect URI is refused and reported, off the network."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from scripted_server import ScriptedServer
from scripted_server import html as html_page

from tiki_gui.webengine import ConsentBrowser

from . import drive
from .servers import ConnectionCounter

TIMEOUT_MS = 5_000
QUERY = "?code=not-a-real-code&state=st4te-from-the-page"


def _start(browser: ConsentBrowser, pages: ScriptedServer, path: str, redirect_uri: str) -> None:
    browser.start(
        pages.url(path), redirect_uri=redirect_uri, authorization_endpoint=pages.url("/oauth2/auth")
    )


def _page_heading_for(kind: str, target: str) -> str:
    quoted = html.escape(target, quote=True)
    script_target = target.replace("\\", "\\\\").replace('"', '\\"')
    bodies = {
        "iframe": f'<iframe src="{quoted}"></iframe>',
        "location_href": f'<script>location.href = "{script_target}";</script>',
        "location_replace": f'<script>location.replace("{script_target}");</script>',
        "meta_refresh": f'<meta http-equiv="refresh" content="0; url={quoted}">',
        "form_get": (
            f'<form id="f" method="get" action="{quoted.split("?")[0]}">'
            '<input type="hidden" name="code" value="x"><input type="hidden" name="state" '
            'value="y"></form><script>document.getElementById("f").submit();</script>'
        ),
        "link_click": (
            f'<a id="go" href="{quoted}">back to the app</a>'
            '<script>document.getElementById("go").click();</script>'
        ),
    }
    return f"<!doctype html><html><body><h1 id='start'>{kind}</h1>{bodies[kind]}</body></html>"


@pytest.mark.parametrize(
    ("kind", "expected_type", "main_frame"),
    [
        ("iframe", None, False),
        ("location_href", None, True),
        ("location_replace", None, True),
        ("meta_refresh", None, True),
        ("form_get", "form", True),
        ("link_click", "link", True),
    ],
)
def test_page_navigations_to_the_redirect_uri_are_refused(
    qtbot: QtBot,
    browser: ConsentBrowser,
    pages: ScriptedServer,
    listener: ConnectionCounter,
    kind: str,
    expected_type: str | None,
    main_frame: bool,
) -> None:
    redirect_uri = listener.url("/callback")
    pages.pages["/start"] = _page_heading_for(kind, redirect_uri + QUERY)
    events: list[object] = []
    browser.page.navigation_requested.connect(events.append)

    with qtbot.waitSignal(browser.redirect_captured, timeout=TIMEOUT_MS) as captured:
        _start(browser, pages, "/start", redirect_uri)

    url = str(captured.args[0])
    assert url.startswith(redirect_uri + "?")
    assert "code=" in url
    qtbot.wait(300)  # a preconnect, had there been one, would show up by now
    assert listener.count == 0
    assert browser.view.url().toString() == pages.url("/start")
    last = events[-1]
    assert getattr(last, "is_main_frame", None) is main_frame
    if expected_type is not None:
        assert getattr(last, "navigation_type", None) == expected_type


def test_a_server_redirect_outside_the_sandbox_is_refused_too(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    redirect_uri = listener.url("/callback")
    pages.pages["/start"] = "<p id='start'>start</p>"
    pages.pages["/bounce"] = html_page(status=302, location=redirect_uri + QUERY)
    events: list[object] = []
    browser.page.navigation_requested.connect(events.append)
    with qtbot.waitSignal(browser.redirect_captured, timeout=TIMEOUT_MS) as captured:
        _start(browser, pages, "/bounce", redirect_uri)

    assert captured.args == [redirect_uri + QUERY]
    assert getattr(events[-1], "navigation_type", None) == "redirect"
    assert listener.count == 0


def test_a_similar_but_different_uri_is_not_captured(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    redirect_uri = listener.url("/callback")
    # Same host and port, other path: structurally not the redirect URI, so it loads.
    pages.pages["/start"] = _page_heading_for("location_href", pages.url("/callback2" + QUERY))
    pages.pages["/callback2"] = "<p id='elsewhere'>elsewhere</p>"
    with qtbot.assertNotEmitted(browser.redirect_captured, wait=300):
        _start(browser, pages, "/start", redirect_uri)
        drive.wait_for_element(qtbot, browser, "elsewhere")
    assert "/callback2" in pages.requested


def test_after_the_capture_nothing_loads_any_more(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    redirect_uri = listener.url("/callback")
    pages.pages["/start"] = _page_heading_for("location_href", redirect_uri + QUERY)
    pages.pages["/later"] = "<p>later</p>"
    with qtbot.waitSignal(browser.redirect_captured, timeout=TIMEOUT_MS):
        _start(browser, pages, "/start", redirect_uri)

    with (
        qtbot.assertNotEmitted(browser.redirect_captured, wait=300),
        qtbot.assertNotEmitted(browser.loading_changed),
    ):
        browser.view.page().load(pages.url("/later"))
    assert "/later" not in pages.requested


def test_a_new_window_is_refused(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/start"] = (
        "<body style='margin:0'><a id='popup' href='/elsewhere' target='_blank' "
        "style='display:block;width:400px;height:200px;background:#ddd'>open</a></body>"
    )
    pages.pages["/elsewhere"] = "<p>elsewhere</p>"
    _start(browser, pages, "/start", listener.url("/callback"))
    drive.wait_for_element(qtbot, browser, "popup")
    windows_before = QApplication.topLevelWidgets()

    # A real mouse click (a user gesture); script-opened popups are blocked outright. The link
    # must be laid out under the pointer first: a click before the first frame reaches nothing.
    qtbot.waitUntil(
        lambda: drive.js(browser, "document.elementFromPoint(40, 40)?.id ?? ''") == "popup",
        timeout=TIMEOUT_MS,
    )
    surface = browser.view.focusProxy()
    assert surface is not None
    refused: list[str] = []
    browser.page.new_window_refused.connect(refused.append)

    def clicked_through() -> bool:
        # Under load the compositor may drop the first click: click again until one lands.
        if not refused:
            QTest.mouseClick(surface, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
            qtbot.wait(300)
        return bool(refused)

    qtbot.waitUntil(clicked_through, timeout=TIMEOUT_MS * 2)
    assert set(refused) == {pages.url("/elsewhere")}
    qtbot.wait(200)
    assert QApplication.topLevelWidgets() == windows_before
    assert browser.view.url().toString() == pages.url("/start")
    assert "/elsewhere" not in pages.requested
