"""Fixtures for the WebEngine tests: a shown ConsentBrowser, servers, and leak checks."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxClient, SandboxServer
from tiki_gui.webengine import ConsentBrowser

from .processes import renderer_processes
from .servers import ConnectionCounter, PageServer

FLOW_CLIENT_ID = "webengine-test-client"


def flush_deferred_deletes() -> None:
    """Run pending deleteLater()s now (processEvents alone does not)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def close_browser(widget: QWidget) -> None:
    """``before_close_func`` for ``qtbot.addWidget``: shut a ConsentBrowser down first."""
    if isinstance(widget, ConsentBrowser):
        widget.shutdown()


@pytest.fixture(autouse=True)
def _no_leftovers(qapp: QApplication) -> Iterator[None]:
    """After each test: no top-level widget left, no renderer process left (short wait)."""
    yield
    flush_deferred_deletes()
    leftovers = QApplication.topLevelWidgets()
    assert leftovers == [], f"top-level widgets left behind: {leftovers}"
    deadline = time.monotonic() + 5.0
    while renderer_processes() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.05)
    assert renderer_processes() == [], "QtWebEngine renderer processes outlived their browser"


@pytest.fixture
def browser(qtbot: QtBot) -> ConsentBrowser:
    """A shown ConsentBrowser, shut down (page, view, profile) and deleted after the test."""
    widget = ConsentBrowser()
    widget.resize(800, 640)
    qtbot.addWidget(widget, before_close_func=close_browser)
    widget.show()
    return widget


@pytest.fixture
def listener() -> Iterator[ConnectionCounter]:
    """Stands in for the app's redirect host: counts every TCP connection it gets."""
    with ConnectionCounter() as counter:
        yield counter


@pytest.fixture
def flow_sandbox(listener: ConnectionCounter) -> Iterator[SandboxServer]:
    """The sandbox with one client whose redirect URI is the ``listener`` (/callback)."""
    client: SandboxClient = dataclasses.replace(
        DEMO_BASIC_CLIENT, client_id=FLOW_CLIENT_ID, redirect_uris=(listener.url("/callback"),)
    )
    with SandboxServer(clients=[client]) as server:
        yield server


@pytest.fixture
def pages() -> Iterator[PageServer]:
    """A server of fixed pages on 127.0.0.1 (fill ``pages.pages`` in the test)."""
    server = PageServer()
    yield server
    server.close()
