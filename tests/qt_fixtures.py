"""The Qt fixtures shared by the UI and WebEngine tests (their conftests import them from here):
the leak check after each test, deferred deletes, and the redirect host with its sandbox."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from webengine.processes import renderer_processes
from webengine.servers import ConnectionCounter

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer

__all__ = [
    "LISTENER_CLIENT_ID",
    "_no_leftovers",
    "flush_deferred_deletes",
    "listener",
    "listener_sandbox",
]

LISTENER_CLIENT_ID = "listener-client"


def flush_deferred_deletes() -> None:
    """Run pending deleteLater()s now (processEvents alone does not)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def _python_threads() -> set[threading.Thread]:
    # Qt's own threads that ran Python code show up as _DummyThread forever: not ours to join.
    # The request deadlines' thread (tiki_gui.core.deadlines) lives as long as the process.
    return {
        t
        for t in threading.enumerate()
        if type(t).__name__ != "_DummyThread" and t.name != "tiki-gui-request-deadlines"
    }


@pytest.fixture(autouse=True)
def _no_leftovers(qapp: QApplication) -> Iterator[None]:
    """After each test: no top-level widget, Python thread or renderer process left behind."""
    threads_before = _python_threads()
    yield
    flush_deferred_deletes()
    leftovers = QApplication.topLevelWidgets()
    assert leftovers == [], f"top-level widgets left behind: {leftovers}"
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and (
        renderer_processes() or _python_threads() - threads_before
    ):
        QCoreApplication.processEvents()
        time.sleep(0.05)
    assert renderer_processes() == [], "QtWebEngine renderer processes outlived their browser"
    assert _python_threads() - threads_before == set(), "threads left running"


@pytest.fixture
def listener() -> Iterator[ConnectionCounter]:
    """Stands in for the app's redirect host: counts every TCP connection it gets."""
    with ConnectionCounter() as counter:
        yield counter


@pytest.fixture
def listener_sandbox(listener: ConnectionCounter) -> Iterator[SandboxServer]:
    """The sandbox with one client whose only redirect URI is the ``listener`` (/callback)."""
    client = dataclasses.replace(
        DEMO_BASIC_CLIENT,
        client_id=LISTENER_CLIENT_ID,
        redirect_uris=(listener.url("/callback"),),
    )
    with SandboxServer(clients=[client]) as server:
        yield server
