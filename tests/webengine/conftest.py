"""Fixtures for the WebEngine tests: a shown ConsentBrowser, servers, and leak checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from qt_fixtures import _no_leftovers, listener, listener_sandbox
from scripted_server import ScriptedServer

from tiki_gui.webengine import ConsentBrowser

__all__ = ["_no_leftovers", "listener", "listener_sandbox"]  # registered here


def close_browser(widget: QWidget) -> None:
    """``before_close_func`` for ``qtbot.addWidget``: shut a ConsentBrowser down first."""
    if isinstance(widget, ConsentBrowser):
        widget.shutdown()


@pytest.fixture
def browser(qtbot: QtBot) -> ConsentBrowser:
    """A shown ConsentBrowser, shut down (page, view, profile) and deleted after the test."""
    widget = ConsentBrowser()
    widget.resize(800, 640)
    qtbot.addWidget(widget, before_close_func=close_browser)
    widget.show()
    return widget


@pytest.fixture
def pages() -> Iterator[ScriptedServer]:
    """A server of fixed pages on 127.0.0.1 (fill ``pages.pages`` in the test)."""
    server = ScriptedServer(pages={})
    yield server
    server.close()
