"""Handing the token on from the console's widgets: "Copy as" code that is then run against the
sandbox (curl and Python; the exchange and refresh of the profile too), "Include secrets" behind
a confirmation, and the token exported for Postman, Insomnia and Bruno, read as each tool reads
its own files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import httpx
from api.test_exports import _BrunoEnvParser, _insomnia_import, _postman_import
from api.test_snippets import run
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sandbox.browserless import authorize
from storage.flows import REDIRECT_URI

from tiki_gui.api.snippets import (
    ENV_ACCESS_TOKEN,
    ENV_AUTH_CODE,
    ENV_CLIENT_SECRET,
    ENV_CODE_VERIFIER,
    ENV_REFRESH_TOKEN,
    SnippetLanguage,
)
from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.main_window import MainWindow

from . import seller_list
from .api_console_helpers import choose, console_of, console_with_seller
from .flow_helpers import sandbox_config
from .seller_list import CLIENT, PROFILE
from .stored_window import ProfileWindowFactory, authorize_as

server = seller_list.server  # the fixture: a sandbox that knows only CLIENT


def _copy(window: MainWindow, name: str) -> str:
    """Trigger a "Copy as" entry by its objectName; the clipboard's text."""
    QGuiApplication.clipboard().clear()
    actions = {a.objectName(): a for a in console_of(window).panel.copy_menu.actions()}
    actions[name].trigger()
    text = QGuiApplication.clipboard().text()
    assert text, name
    return text


def test_copy_as_curl_and_python_run_against_the_sandbox(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, record, w = console_with_seller(server, profile_window, "snippet-shop")
    choose(w["api_preset"], "/integration/v2/products")
    token = record.token.access_token
    QGuiApplication.clipboard().clear()
    QTest.mouseClick(w["api_copy_curl"], Qt.MouseButton.LeftButton)
    curl = QGuiApplication.clipboard().text()
    assert curl.startswith("# Tiki seller API: GET /integration/v2/products")
    assert token not in curl
    assert ENV_ACCESS_TOKEN in curl
    by_curl = json.loads(run(curl, SnippetLanguage.CURL, {ENV_ACCESS_TOKEN: token}))
    python = _copy(window, "api_copy_request_python")
    assert token not in python
    status, _, body = run(python, SnippetLanguage.PYTHON, {ENV_ACCESS_TOKEN: token}).partition("\n")
    assert status == "200"
    assert json.loads(body) == by_curl
    assert by_curl["data"]  # the seller's products, as the console shows them


def test_the_profiles_refresh_and_exchange_run_against_the_sandbox(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, record, _ = console_with_seller(server, profile_window, "handoff-shop")
    refresh = _copy(window, "api_copy_refresh_curl")
    assert CLIENT.client_secret not in refresh
    assert record.token.refresh_token is not None
    assert record.token.refresh_token not in refresh
    env = {ENV_CLIENT_SECRET: CLIENT.client_secret, ENV_REFRESH_TOKEN: record.token.refresh_token}
    answer = json.loads(run(refresh, SnippetLanguage.CURL, env))
    assert answer["token_type"] == "bearer"
    assert answer["access_token"] != record.token.access_token

    exchange = _copy(window, "api_copy_exchange_python")
    assert CLIENT.client_secret not in exchange
    request = AuthorizationRequest.create(
        server.authorization_endpoint, CLIENT.client_id, REDIRECT_URI, ("offline", "order")
    )
    with httpx.Client(timeout=10.0, follow_redirects=False) as browser:
        location = authorize(browser, request.url, username="handoff-shop", password="pw")
    code = dict(httpx.URL(location).params)["code"]
    env = {ENV_CLIENT_SECRET: CLIENT.client_secret, ENV_AUTH_CODE: code}
    status, _, body = run(exchange, SnippetLanguage.PYTHON, env).partition("\n")
    assert status == "200", body
    assert json.loads(body)["token_type"] == "bearer"


def test_secrets_are_included_only_after_a_confirmation(
    qtbot: QtBot, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, record, _ = console_with_seller(server, profile_window, "secret-shop")
    menu = console_of(window).panel.copy_menu
    menu.include_secrets.trigger()
    box = window.findChild(QMessageBox, "api_include_secrets_confirm")
    assert isinstance(box, QMessageBox)
    assert not menu.secrets_included  # not before the answer
    assert record.token.access_token not in _copy(window, "api_copy_request_curl")
    box.button(QMessageBox.StandardButton.Yes).click()
    assert menu.secrets_included
    curl = _copy(window, "api_copy_request_curl")
    assert record.token.access_token in curl
    assert "live secrets" in curl
    assert json.loads(run(curl, SnippetLanguage.CURL, {}))["name"] == "secret-shop"
    menu.include_secrets.trigger()  # off again, without a question
    assert not menu.secrets_included


def _export_through_dialog(qtbot: QtBot, window: MainWindow, fmt: str, path: Path, *,
                           refresh: bool = False) -> None:  # fmt: skip
    dialog = console_of(window).open_export()
    assert isinstance(dialog, QDialog)
    warning = dialog.findChild(QLabel, "api_export_warning")
    assert isinstance(warning, QLabel)
    assert "live access token" in warning.text()
    formats = dialog.findChild(QComboBox, "api_export_format")
    assert isinstance(formats, QComboBox)
    choose(formats, fmt)
    include = dialog.findChild(QCheckBox, "api_export_refresh")
    assert isinstance(include, QCheckBox)
    assert not include.isChecked()  # the refresh token only when asked
    include.setChecked(refresh)
    if refresh:
        assert "refresh token" in warning.text()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    chooser = dialog.findChild(QFileDialog, "api_export_file_dialog")
    assert isinstance(chooser, QFileDialog)
    assert chooser.isVisible()  # opened with open(): the event loop keeps running
    chooser.selectFile(str(path))
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        chooser.accept()


def test_the_token_exports_import_into_each_tool(
    qtbot: QtBot, tmp_path: Path, server: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    window, record, _ = console_with_seller(server, profile_window, "export-shop")
    expected = {
        "base_url": server.api_base.rstrip("/"),
        "seller_id": str(record.seller_id),
        "access_token": record.token.access_token,
    }
    postman, insomnia, bruno = (tmp_path / n for n in ("p.json", "i.json", "b.bru"))
    _export_through_dialog(qtbot, window, "postman", postman)
    _export_through_dialog(qtbot, window, "insomnia", insomnia)
    _export_through_dialog(qtbot, window, "bruno", bruno, refresh=True)
    for path in (postman, insomnia, bruno):
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds a live token

    variables = _postman_import(json.loads(postman.read_text()))
    assert {k: variables[k] for k in expected} == expected
    assert "refresh_token" not in variables
    assert variables["expires_at"].endswith("Z")
    _workspace, base, tokens = _insomnia_import(insomnia.read_text())
    merged = {**base["data"], **tokens["data"]}
    assert {k: merged[k] for k in expected} == expected
    assert tokens["isPrivate"] is True
    parsed = {v["name"]: v["value"] for v in _BrunoEnvParser(bruno.read_text()).parse()}
    assert {k: parsed[k] for k in expected} == expected
    assert parsed["refresh_token"] == record.token.refresh_token
    assert PROFILE in json.loads(postman.read_text())["name"]


def test_the_exchange_is_copied_as_the_last_sign_in_sent_it(
    qtbot: QtBot, sandbox: SandboxServer, profile_window: ProfileWindowFactory
) -> None:
    config = sandbox_config(sandbox, use_pkce=True)
    window, _, _ = profile_window("Shop", config)
    authorize_as(qtbot, window, "flow-shop")  # the embedded browser, PKCE on
    curl = _copy(window, "api_copy_exchange_curl")
    assert f"redirect_uri={config.profile.redirect_uri}" in curl
    assert ENV_CODE_VERIFIER in curl
    assert config.secret not in curl
    # A new sign-in's code and verifier, exchanged by the copied command.
    request = AuthorizationRequest.create(
        sandbox.authorization_endpoint,
        config.profile.client_id,
        config.profile.redirect_uri,
        ("offline", "product"),
        use_pkce=True,
    )
    assert request.pkce is not None
    with httpx.Client(timeout=10.0, follow_redirects=False) as browser:
        location = authorize(browser, request.url, username="flow-shop", password="pw")
    env = {
        ENV_CLIENT_SECRET: config.secret,
        ENV_AUTH_CODE: dict(httpx.URL(location).params)["code"],
        ENV_CODE_VERIFIER: request.pkce.verifier,
    }
    assert json.loads(run(curl, SnippetLanguage.CURL, env))["token_type"] == "bearer"
