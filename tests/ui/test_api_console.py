"""The seller API console, driven through its widgets against the sandbox over real HTTP, with
the sellers' tokens in a real Secret Service: every preset, a token without the needed scope, an
expired token (refreshed, then sent), a revoked token, a write refused without the switch, a huge
and a slow answer, and Cancel in the middle of a request."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator

import httpx
from core.hostile_server import Behaviour, HostileServer, drip, endless_chunked, hang
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
)
from pytestqt.qtbot import QtBot
from scripted_server import Reply, ScriptedServer
from storage.flows import credentials as client_credentials
from storage.flows import refresh_grants

from tiki_gui.api.console import BODY_TEXT_LIMIT
from tiki_gui.api.presets import PRESETS
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import MainWindow

from . import seller_list
from .api_console_helpers import (
    child,
    choose,
    console_of,
    console_with_seller,
    file_token_for_api,
    send_and_wait,
    type_path,
    widgets,
)
from .seller_list import CLIENT, PROFILE, file_tokens
from .stored_window import ProfileWindowFactory, StoredWindowFactory

server = seller_list.server  # the fixture: a sandbox that knows only CLIENT
READS = [p for p in PRESETS if p.read_only]  # the writes: test_api_console_writes.py


def _status(window: QLabel | object) -> str:
    assert isinstance(window, QLabel)
    return window.text()


def test_each_preset_with_a_fresh_token(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, record, w = console_with_seller(server, profile_window, "preset-shop")
    seller, preset, body = w["api_seller"], w["api_preset"], w["api_body"]
    assert isinstance(seller, QComboBox)
    assert isinstance(preset, QComboBox)
    assert isinstance(body, QPlainTextEdit)
    assert seller.currentData() == record.seller_id
    for item in READS:
        choose(preset, item.path)
        assert w["api_path"].text() == item.path
        label = preset.currentText()
        assert (f"needs scope {item.scope}" if item.scope else "no scope needed") in label
        assert not child(window, QLabel, "api_scope_warning").isVisible()
        send_and_wait(qtbot, window)
        assert _status(w["api_status"]) == "200", body.toPlainText()
        answer = json.loads(body.toPlainText())
        tree = console_of(window).panel.tree
        assert tree.row_count() == len(answer)  # the top level of the JSON, as a tree
        if item.key == "sellers_me":
            assert answer["name"] == "preset-shop"
            assert tree.find_value("name") == "preset-shop"
        else:
            assert answer["data"]
    timeline = console_of(window).timeline
    assert timeline is not None
    text = timeline.as_text()
    assert text.count("HTTP 200") == len(READS)
    assert "authorization: Bearer «masked" in text
    assert record.token.access_token not in text
    shown = child(window, QPlainTextEdit, "api_timeline")
    assert isinstance(shown, QPlainTextEdit)
    tabs = child(window, QTabWidget, "api_result_tabs")
    assert isinstance(tabs, QTabWidget)
    assert shown.toPlainText() == ""  # a tab not open is not written (see TimelinePanel)
    tabs.setCurrentWidget(console_of(window).panel.timeline)  # the user opens the Timeline tab
    qtbot.waitUntil(lambda: shown.toPlainText().count("HTTP 200") == len(READS), timeout=5000)
    assert record.token.access_token not in shown.toPlainText()


def test_json_tree_search_and_copy(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, _, w = console_with_seller(server, profile_window, "tree-shop")
    choose(w["api_preset"], "/integration/v2/products")
    send_and_wait(qtbot, window)
    tree = console_of(window).panel.tree
    assert tree.row_count() == 2  # data, paging
    tree.search.setText("per_page")
    assert tree.row_count() == 1  # only "paging" holds a match
    assert tree.find_value("per_page") == "20"
    assert tree.select_key("per_page")
    QTest.mouseClick(tree.copy_value, Qt.MouseButton.LeftButton)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "20"
    QTest.mouseClick(tree.copy_body, Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["paging"]["per_page"] == 20


def test_a_token_without_the_needed_scope_is_warned_then_explained(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, _, w = console_with_seller(
        server, profile_window, "order-only", scope=("offline", "order")
    )
    choose(w["api_preset"], "/integration/v2/products")
    warning = child(window, QLabel, "api_scope_warning")
    assert isinstance(warning, QLabel)
    assert warning.isVisible()
    assert "'product' scope" in warning.text()
    assert "granted: offline order" in warning.text()
    send_and_wait(qtbot, window)
    assert _status(w["api_status"]) == "403"
    explanation = child(window, QLabel, "api_explanation")
    assert isinstance(explanation, QLabel)
    assert "'product' scope" in explanation.text()
    assert "approved" in explanation.text()
    assert not child(window, QLabel, "api_explanation").isHidden()
    choose(w["api_preset"], "/integration/v2/orders")
    assert not warning.isVisible()


def test_an_expired_token_is_refreshed_then_sent(
    qtbot: QtBot, profile_window: ProfileWindowFactory
) -> None:
    with SandboxServer(clients=[CLIENT], access_token_lifetime=45) as short:  # < 60 s leeway
        vault, [record] = file_tokens(short, CLIENT, "soon-expired")
        window, _, tokens = profile_window()
        send_and_wait(qtbot, window)
        assert _status(widgets(window)["api_status"]) == "200"
        assert refresh_grants(short) == 1
        stored = vault.get(PROFILE, record.seller_id).token
        assert stored.access_token != record.token.access_token  # stored before it was sent
        [shown] = tokens.manager.records()
        assert shown.token.access_token == stored.access_token  # the list has the new token
        timeline = console_of(window).timeline
        assert timeline is not None
        assert "refreshed before sending" in timeline.as_text()
        assert stored.access_token not in timeline.as_text()


def test_a_revoked_token_is_explained_with_a_refresh_offered(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    _, [record] = file_tokens(server, CLIENT, "revoked-shop")
    with httpx.Client(timeout=10) as http:  # another program rotates it: the stored one is revoked
        TokenClient(server.token_endpoint, client_credentials(CLIENT), http).refresh(record.token)
    window, _, tokens = profile_window()
    send_and_wait(qtbot, window)
    assert widgets(window)["api_path"].text() == "/integration/v2/sellers/me"
    assert _status(widgets(window)["api_status"]) == "401"
    explanation = child(window, QLabel, "api_explanation")
    assert isinstance(explanation, QLabel)
    assert "revoked" in explanation.text()
    offer = child(window, QPushButton, "api_refresh_token")
    assert not offer.isHidden()
    QTest.mouseClick(offer, Qt.MouseButton.LeftButton)
    # The stored refresh token was rotated by the other program: Tiki refuses it, the list says so.
    qtbot.waitUntil(lambda: "authorize again" in tokens.manager.result.text(), timeout=10_000)


def test_a_write_is_refused_without_the_switch_and_confirmed_with_it(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, _, w = console_with_seller(server, profile_window, "writer-shop")
    method = w["api_method"]
    assert isinstance(method, QComboBox)
    method.setCurrentText("DELETE")
    type_path(w["api_path"], "/integration/v2/products")
    before = len(server.requests)
    QTest.mouseClick(w["api_send"], Qt.MouseButton.LeftButton)
    explanation = child(window, QLabel, "api_explanation")
    assert isinstance(explanation, QLabel)
    assert "nothing was sent" in explanation.text()
    assert "Allow writes" in explanation.text()
    assert _status(w["api_status"]) == ""
    qtbot.wait(200)
    assert len(server.requests) == before

    allow = child(window, QCheckBox, "api_allow_write")
    assert isinstance(allow, QCheckBox)
    allow.setChecked(True)
    QTest.mouseClick(w["api_send"], Qt.MouseButton.LeftButton)
    box = window.findChild(QMessageBox, "api_write_confirm")
    assert isinstance(box, QMessageBox)
    assert "writer-shop" in box.text()  # the confirmation names the seller
    assert "DELETE /integration/v2/products" in box.text()
    assert len(server.requests) == before  # nothing before the answer
    with qtbot.waitSignal(console_of(window).finished, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert _status(w["api_status"]) == "405"  # the sandbox's paths are read-only
    assert len(server.requests) == before + 1


def test_a_huge_answer_is_shown_bounded(qtbot: QtBot, profile_window: ProfileWindowFactory) -> None:
    huge = json.dumps({"data": [{"sku": f"sku-{i}", "name": "x" * 100} for i in range(30_000)]})
    assert len(huge) > BODY_TEXT_LIMIT
    with ScriptedServer(Reply(200, huge.encode())) as api:
        file_token_for_api(api.url())
        window, _, _ = profile_window()
        send_and_wait(qtbot, window)
    w = widgets(window)
    assert _status(w["api_status"]) == "200"
    body = w["api_body"]
    assert isinstance(body, QPlainTextEdit)
    assert len(body.toPlainText()) == BODY_TEXT_LIMIT
    size = child(window, QLabel, "api_size")
    assert "shown in part" in size.text()
    tree = console_of(window).panel.tree
    assert tree.truncated  # 30 000 items: the tree stops at its row limit
    timeline = console_of(window).timeline
    assert timeline is not None
    assert len(timeline.as_text()) < 10_000  # the answer is an excerpt there


@contextlib.contextmanager
def _window_against(
    behaviour: Behaviour, profile_window: ProfileWindowFactory
) -> Iterator[MainWindow]:
    """A window whose one stored token has, as its API base, a HostileServer with ``behaviour``
    (stopped when the block ends)."""
    with HostileServer(behaviour) as api:
        file_token_for_api(api.url)
        window, _, _ = profile_window()
        yield window


def test_an_answer_over_the_cap_is_refused(
    qtbot: QtBot, profile_window: ProfileWindowFactory
) -> None:
    with _window_against(endless_chunked(give_up_after=20.0), profile_window) as window:
        console_of(window).max_body = 256 * 1024
        send_and_wait(qtbot, window)
    explanation = child(window, QLabel, "api_explanation")
    assert "too much" in explanation.text()
    assert _status(widgets(window)["api_status"]) == ""


def test_a_slow_answer_ends_at_the_deadline(
    qtbot: QtBot, profile_window: ProfileWindowFactory
) -> None:
    with _window_against(drip(b"x", 0.2), profile_window) as window:
        console_of(window).deadline = 1.0
        started = time.monotonic()
        send_and_wait(qtbot, window)
        took = time.monotonic() - started
    assert took < 6.0, f"a 1 s deadline held the request for {took:.1f} s"
    explanation = child(window, QLabel, "api_explanation")
    assert "within 1 s" in explanation.text()


def test_cancel_ends_the_request_at_once(
    qtbot: QtBot, profile_window: ProfileWindowFactory
) -> None:
    request_read = threading.Event()
    with _window_against(hang(request_read), profile_window) as window:
        console = console_of(window)
        w = widgets(window)
        QTest.mouseClick(w["api_send"], Qt.MouseButton.LeftButton)
        assert console.busy
        assert w["api_cancel"].isEnabled()
        qtbot.waitUntil(request_read.is_set, timeout=5000)  # under way; the server is silent
        started = time.monotonic()
        QTest.mouseClick(w["api_cancel"], Qt.MouseButton.LeftButton)
        assert not console.busy
        assert w["api_send"].isEnabled()
        assert "Cancelled" in child(window, QLabel, "api_explanation").text()
        assert console._jobs.wait(3000)  # the worker ended: its socket was shut down
        assert time.monotonic() - started < 3.0
    timeline = console.timeline
    assert timeline is not None
    assert "cancelled" in timeline.as_text()


def test_closing_the_window_ends_the_request_at_once(
    qtbot: QtBot, stored_window: StoredWindowFactory, profile_window: ProfileWindowFactory
) -> None:
    request_read = threading.Event()
    with _window_against(hang(request_read), profile_window) as window:
        console = console_of(window)
        QTest.mouseClick(widgets(window)["api_send"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(request_read.is_set, timeout=5000)
        assert console.busy  # the server holds its answer
        started = time.monotonic()
        stored_window.close(window)  # close, shut down (waits for every job), delete
        took = time.monotonic() - started
    assert took < 3.0, f"closing waited {took:.1f} s for the request"
