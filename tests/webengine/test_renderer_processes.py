"""The leftover check's view of Chromium's processes, and Chromium's sandbox as the user runs it.

The suite runs both as root (sandbox off, the app's warning) and as a normal user (sandbox on):
``.ci/run`` does both, so each branch below is asserted in CI, none is skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qt_fixtures import flush_deferred_deletes
from scripted_server import ScriptedServer

from tiki_gui.webengine import ConsentBrowser

from . import drive
from .processes import (
    command_line,
    renderer_processes,
    sandboxed,
    webengine_processes,
    zygote_processes,
)
from .servers import ConnectionCounter

RUNNING_AS_ROOT = os.geteuid() == 0


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents()
        time.sleep(0.05)
    return True


def test_a_page_has_a_renderer_that_ends_with_it_while_the_zygotes_stay(
    qtbot: QtBot, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/start"] = "<p id='start'>start</p>"
    browser = ConsentBrowser()
    browser.resize(400, 300)
    browser.show()
    url = pages.url("/start")
    browser.start(url, redirect_uri=listener.url(), authorization_endpoint=url)
    drive.wait_for_element(qtbot, browser, "start")

    # The leftover check (conftest._no_leftovers) would see this one: it can fail.
    live = renderer_processes()
    assert live, "a shown page has a renderer process"
    zygotes = zygote_processes()
    assert zygotes, "the zygotes run while QtWebEngine does"
    assert {p.pid for p in live}.isdisjoint(p.pid for p in zygotes)

    browser.shutdown()
    browser.close()
    browser.deleteLater()
    flush_deferred_deletes()
    assert _wait_for(lambda: not renderer_processes()), renderer_processes()
    # The zygotes outlive every page, sandbox on or off: they are not leftovers.
    assert {p.pid for p in zygotes} <= {p.pid for p in zygote_processes()}


def _show_a_page(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    pages.pages["/start"] = "<p id='start'>start</p>"
    url = pages.url("/start")
    browser.start(url, redirect_uri=listener.url(), authorization_endpoint=url)
    drive.wait_for_element(qtbot, browser, "start")


def test_chromium_sandbox_is_on_for_a_normal_user_and_off_only_for_root(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    _show_a_page(qtbot, browser, pages, listener)
    renderers = renderer_processes()
    assert renderers
    if RUNNING_AS_ROOT:
        # Chromium cannot sandbox as root: tests/conftest.py switches it off, as the app does.
        assert os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") == "1"
        assert not any(sandboxed(p) for p in renderers)
    else:
        # What every user runs: nothing may switch the sandbox off behind the suite's back.
        assert "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ
        assert all(sandboxed(p) for p in renderers), renderers


def test_chromium_runs_only_the_zygote_of_its_renderers(
    qtbot: QtBot, browser: ConsentBrowser, pages: ScriptedServer, listener: ConnectionCounter
) -> None:
    # Its unsandboxed zygote (`--no-zygote-sandbox`), for helpers QtWebEngine runs in-process,
    # cost a consent page ~50 MB and 10-20 ms (tiki_gui/webengine/startup.py).
    _show_a_page(qtbot, browser, pages, listener)
    commands = [command_line(p.pid) for p in webengine_processes()]
    zygotes = [c for c in commands if " --type=zygote " in c]
    assert zygotes, commands
    assert not any(" --no-zygote-sandbox " in c for c in zygotes), zygotes
