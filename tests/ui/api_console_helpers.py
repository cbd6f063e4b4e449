"""Driving the seller API console of a real window (stored tokens in a real Secret Service)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from storage.flows import REDIRECT_URI, SCOPE

from tiki_gui.core.client_auth import AuthMethod
from tiki_gui.core.endpoints import Endpoints
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage import ProfileStore, SellerRecord, TokenVault
from tiki_gui.storage.profiles import Profile
from tiki_gui.ui.api_console.controller import ApiConsole
from tiki_gui.ui.main_window import MainWindow

from .seller_list import CLIENT, PROFILE, file_tokens
from .stored_window import ProfileWindowFactory

SEND_TIMEOUT_MS = 15_000
SCRIPTED_TOKEN = "ory_at_console-test-token"


def console_of(window: MainWindow) -> ApiConsole:
    console = window.api_console
    assert isinstance(console, ApiConsole)
    return console


def child(window: QWidget, kind: type, name: str) -> Any:
    found = window.findChild(kind, name)
    assert found is not None, name
    assert isinstance(found, QWidget)
    return found


def widgets(window: MainWindow) -> dict[str, Any]:
    """The automation contract's widgets, by objectName (the console made first: the window
    makes it when its tab is first shown, issue 11)."""
    console_of(window)
    kinds = {
        "api_seller": QComboBox, "api_preset": QComboBox, "api_method": QComboBox,
        "api_path": QLineEdit, "api_send": QPushButton, "api_cancel": QPushButton,
        "api_status": QLabel, "api_body": QPlainTextEdit, "api_copy_curl": QPushButton,
    }  # fmt: skip
    return {name: child(window, kind, name) for name, kind in kinds.items()}


def file_token_for_api(api_base: str, token: str = SCRIPTED_TOKEN) -> SellerRecord:
    """A profile whose API base is ``api_base`` (a scripted or hostile server), and one token."""
    store = ProfileStore()
    endpoints = Endpoints(
        authorization_endpoint="http://127.0.0.1:9/sc/oauth2/auth",
        token_endpoint="http://127.0.0.1:9/sc/oauth2/token",
        api_base=api_base,
    )
    method = AuthMethod.CLIENT_SECRET_BASIC
    store.save(
        Profile(PROFILE, "console-client", REDIRECT_URI, SCOPE, method).with_endpoints(endpoints)
    )
    now = datetime.now(UTC)
    tokens = TokenSet(token, "bearer", now, now + timedelta(hours=1), "ory_rt_x", SCOPE)
    return TokenVault(ProfileStore()).store(PROFILE, 4242, "scripted-shop", tokens)


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def type_path(path_edit: QLineEdit, text: str) -> None:
    path_edit.setFocus()
    path_edit.selectAll()
    QTest.keyClick(path_edit, Qt.Key.Key_Delete)
    QTest.keyClicks(path_edit, text)


def send_and_wait(qtbot: QtBot, window: MainWindow) -> None:
    """Click Send and wait until the request ended (answer, failure)."""
    console = console_of(window)
    send = widgets(window)["api_send"]
    assert isinstance(send, QPushButton)
    with qtbot.waitSignal(console.finished, timeout=SEND_TIMEOUT_MS):
        QTest.mouseClick(send, Qt.MouseButton.LeftButton)


def console_with_seller(
    server: SandboxServer,
    profile_window: ProfileWindowFactory,
    seller: str,
    *,
    scope: tuple[str, ...] = SCOPE,
) -> tuple[MainWindow, SellerRecord, dict[str, Any]]:
    """A window opened on profile "Shop" of ``seller_list.CLIENT`` with one ``seller`` filed
    (a real token of ``scope``): the window, the seller's record and the console's widgets."""
    _, [record] = file_tokens(server, CLIENT, seller, scope=scope)
    window, _, _ = profile_window()
    return window, record, widgets(window)
