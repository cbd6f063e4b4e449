"""The console's write with a JSON body, driven through its widgets against the sandbox: the
write preset, a placeholder left in the path, a body that is not JSON, then a confirmed write
that the sandbox keeps; "Copy as curl" carries the body."""

from __future__ import annotations

import json

import httpx
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from tiki_gui.api.presets import preset_by_key
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.api_console.request_body import RequestBodyEditor
from tiki_gui.ui.main_window import MainWindow

from . import seller_list
from .api_console_helpers import child, choose, console_of, console_with_seller
from .stored_window import ProfileWindowFactory

server = seller_list.server  # the fixture: a sandbox that knows only CLIENT
CONFIRM = preset_by_key("confirm_dropship")


def _waiting_order_and_warehouse(sandbox: SandboxServer, token: str) -> tuple[str, int]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=sandbox.api_base, headers=headers) as http:
        orders = http.get("/integration/v2/orders", params={"status": "queueing"}).json()
        warehouses = http.get("/integration/v2/sellers/me/warehouses").json()
    return str(orders["data"][0]["code"]), int(warehouses["data"][0]["id"])


def _click_send(window: MainWindow) -> None:
    send = child(window, QPushButton, "api_send")
    QTest.mouseClick(send, Qt.MouseButton.LeftButton)


def test_a_confirmed_write_with_a_json_body(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, record, w = console_with_seller(server, profile_window, "confirming-shop")
    code, inventory = _waiting_order_and_warehouse(server, record.token.access_token)
    body = window.findChild(RequestBodyEditor)
    assert isinstance(body, RequestBodyEditor)
    method, path = w["api_method"], w["api_path"]
    assert isinstance(method, QComboBox)
    assert isinstance(path, QLineEdit)
    assert not body.isVisibleTo(window)  # sellers/me: a GET carries no body

    choose(w["api_preset"], CONFIRM.path)
    assert method.currentText() == "POST"
    assert body.isVisibleTo(window)
    assert json.loads(body.text())["confirmation_status"] == "seller_confirmed"
    assert path.selectedText() == "{code}"  # typing the order's code replaces it
    explanation = child(window, QLabel, "api_explanation")
    before = len(server.requests)
    _click_send(window)
    assert "Replace {code} in the path" in explanation.text()
    assert "nothing was sent" in explanation.text()

    path.setFocus()
    path.setSelection(path.text().index("{code}"), len("{code}"))
    QTest.keyClicks(path, code)
    assert path.text() == CONFIRM.path.replace("{code}", code)
    body.editor.setFocus()
    body.editor.moveCursor(body.editor.textCursor().MoveOperation.End)
    QTest.keyClicks(body.editor, ",")  # a trailing comma: JSON no more
    verdict = child(window, QLabel, "api_request_body_verdict")
    assert "Not JSON yet: line" in verdict.text()
    assert not child(window, QPushButton, "api_request_body_format").isEnabled()
    _click_send(window)
    assert "not valid JSON: nothing was sent" in explanation.text()
    assert len(server.requests) == before

    template = json.loads(CONFIRM.body)
    template["seller_inventory_id"] = inventory
    body.set_text(json.dumps(template))
    assert verdict.text() == "valid JSON"
    child(window, QPushButton, "api_request_body_format").click()
    assert body.text() == json.dumps(template, indent=2) + "\n"

    child(window, QPushButton, "api_copy_curl").click()
    curl = QGuiApplication.clipboard().text()
    assert "--data-raw" in curl
    assert "Content-Type: application/json" in curl
    assert f'"seller_inventory_id": {inventory}' in curl

    allow = child(window, QCheckBox, "api_allow_write")
    assert isinstance(allow, QCheckBox)
    allow.setChecked(True)
    _click_send(window)
    box = window.findChild(QMessageBox, "api_write_confirm")
    assert isinstance(box, QMessageBox)
    assert f"POST /integration/v2/orders/{code}/dropship/confirm-available" in box.text()
    with qtbot.waitSignal(console_of(window).finished, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    status = child(window, QLabel, "api_status")
    shown = w["api_body"].toPlainText()
    assert status.text() == "200", shown
    assert json.loads(shown)["items"][0]["confirmation"]["status"] == "seller_confirmed"
    assert len(server.requests) == before + 1

    method.setCurrentText("GET")  # the body is hidden, not lost
    assert not body.isVisibleTo(window)
    method.setCurrentText("PATCH")
    assert json.loads(body.text()) == template
