"""More profile and token-manager paths: keyring work off the click, the client credentials
grant, the retry after a network failure, and the Export / Import file dialogs."""

from __future__ import annotations

import dataclasses
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from storage.flows import new_client, obtain_token, saved_profile

from tiki_gui.core.options import Grant
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.storage import APP_SELLER_ID, APP_SELLER_NAME, ProfileStore, TokenVault
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.ui.stored_tokens.auto_refresh import RefreshPolicy

from .flow_helpers import sandbox_config, wait_for_state
from .stored_window import (
    LOAD_TIMEOUT_MS,
    ProfileWindowFactory,
    keyring_entry,
    wait_idle,
    wait_secret_stored,
)

SECRET = DEMO_BASIC_CLIENT.client_secret
CLIENT = new_client("ui-profiles-more")
PROFILE = "Shop"


@pytest.fixture
def long_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(clients=[CLIENT]) as server:
        yield server


def _button(window: QWidget, name: str) -> QPushButton:
    button = window.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _closed_port() -> int:
    """A local port nothing listens on (bound once by us, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- keyring work runs on the worker, with the UI busy meanwhile ------------------------------


def test_rename_through_the_dialog_runs_off_the_click_and_reports(
    qtbot: QtBot,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, tokens = profile_window("Before")
    wait_secret_stored(qtbot, "Before", SECRET)

    profiles.bar.rename.click()
    dialog = window.findChild(QInputDialog, "profile_name_dialog")
    assert dialog is not None
    dialog.setTextValue("After")
    with qtbot.waitSignal(profiles.profile_job_finished, timeout=LOAD_TIMEOUT_MS) as finished:
        dialog.accept()
        assert profiles.busy
        assert not profiles.bar.rename.isEnabled()
        assert not profiles.bar.profile.isEnabled()
        assert not tokens.manager.isEnabled()
    assert finished.args == ["Renamed 'Before' to 'After'."]
    assert not profiles.busy
    assert profiles.bar.profile.isEnabled()
    assert tokens.manager.isEnabled()
    assert profiles.current == "After"
    assert profiles.bar.current() == "After"
    assert keyring_entry("client-secret@Before") is None
    assert keyring_entry("client-secret@After") == SECRET
    qtbot.waitUntil(lambda: window.form.secret() == SECRET, timeout=5000)


def test_a_failed_duplicate_says_why_and_changes_nothing(
    qtbot: QtBot,
    sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window("Taken")
    profiles.create_profile("Source", sandbox_config(sandbox))
    wait_secret_stored(qtbot, "Source", SECRET)
    with qtbot.waitSignal(profiles.profile_job_finished, timeout=LOAD_TIMEOUT_MS) as finished:
        profiles.duplicate_profile("Taken")
    [text] = finished.args
    assert text.startswith("Could not duplicate the profile:")
    assert "A profile named 'Taken' already exists; choose another name." in text
    assert profiles.current == "Source"
    assert ProfileStore().names() == ["Taken", "Source"]
    assert profiles.bar.duplicate.isEnabled()
    assert window.form.isEnabled()


# -- the client credentials grant (in-house app) ------------------------------------------


def test_client_credentials_token_is_filed_under_the_app_and_refresh_reruns_the_grant(
    qtbot: QtBot,
    sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, tokens = profile_window()
    config = sandbox_config(sandbox, grant=Grant.CLIENT_CREDENTIALS)
    profiles.create_profile("In-house", config)
    wait_secret_stored(qtbot, "In-house", SECRET)
    assert window.form.grant.currentData() == "client_credentials"

    assert window.form.authorize.isEnabled(), window.form.authorize_reason.text()
    QTest.mouseClick(window.form.authorize, Qt.MouseButton.LeftButton)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    assert window.consent_pane.browser is None  # no browser for this grant
    assert window.token_panel.access_token.text()
    assert window.token_panel.refresh_token.text() == ""
    qtbot.waitUntil(lambda: len(tokens.manager.records()) == 1, timeout=LOAD_TIMEOUT_MS)
    [record] = tokens.manager.records()
    assert (record.seller_id, record.seller_name) == (APP_SELLER_ID, APP_SELLER_NAME)
    assert record.token.access_token == window.token_panel.access_token.text()
    assert record.token.refresh_token is None
    vault = TokenVault(ProfileStore())
    assert list(vault.secrets.seller_ids("In-house")) == [APP_SELLER_ID]  # in the keyring
    assert vault.get("In-house", APP_SELLER_ID).token.access_token == record.token.access_token

    tokens.manager.select_seller(APP_SELLER_ID)
    _button(window, "seller_refresh").click()
    qtbot.waitUntil(lambda: tokens.manager.records()[0].last_refresh is not None, timeout=5000)
    [refreshed] = tokens.manager.records()
    assert refreshed.token.access_token != record.token.access_token
    grants = [r.grant_type for r in sandbox.token_requests]
    assert grants.count("client_credentials") == 2
    assert "refresh_token" not in grants
    stored = vault.get("In-house", APP_SELLER_ID)
    assert stored.token.access_token == refreshed.token.access_token


# -- the retry after a network failure --------------------------------------------------


def test_the_retry_after_a_network_failure_fires_and_succeeds(
    qtbot: QtBot,
    long_sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    vault = TokenVault(saved_profile(PROFILE, long_sandbox, CLIENT))
    with httpx.Client(timeout=10) as http:
        vault.add_from_flow(PROFILE, obtain_token(long_sandbox, CLIENT, "seller-retry"), http)
    [record] = vault.sellers(PROFILE)
    policy = RefreshPolicy(check_interval_ms=100, retry_base=1.5, retry_cap=5.0)
    window, profiles, tokens = profile_window(policy=policy)
    good = window.form.value()
    filed = len(long_sandbox.token_requests)  # the authorization code grant that filed it
    assert good.profile.token_endpoint == long_sandbox.token_endpoint

    unreachable = f"http://127.0.0.1:{_closed_port()}/token"
    window.form.set_value(
        dataclasses.replace(
            good, profile=dataclasses.replace(good.profile, token_endpoint=unreachable)
        )
    )
    assert profiles.save_now()
    assert ProfileStore().get(PROFILE).endpoints.token_endpoint == unreachable
    _button(window, "seller_refresh").click()
    qtbot.waitUntil(lambda: tokens.refresher.retry_at(record.seller_id) is not None, timeout=8000)
    assert tokens.refresher.attempts(record.seller_id) == 1
    assert "retry in 1.5 s" in tokens.manager.row_texts(record.seller_id)[4]
    assert len(long_sandbox.token_requests) == filed  # the failed try never reached it

    window.form.set_value(good)  # the network is back
    assert profiles.save_now()
    qtbot.waitUntil(lambda: tokens.manager.records()[0].last_refresh is not None, timeout=8000)
    [after] = tokens.manager.records()
    assert after.token.access_token != record.token.access_token
    assert tokens.refresher.retry_at(record.seller_id) is None
    assert tokens.refresher.attempts(record.seller_id) == 0
    assert "retry" not in tokens.manager.row_texts(record.seller_id)[4]
    assert [r.grant_type for r in long_sandbox.token_requests[filed:]] == ["refresh_token"]
    assert vault.get(PROFILE, record.seller_id).token.access_token == after.token.access_token


# -- Export and Import through their file dialogs ---------------------------------------


def _file_dialog(qtbot: QtBot, window: QWidget, name: str) -> QFileDialog:
    dialog = window.findChild(QFileDialog, name)
    assert dialog is not None, name
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.isModal()  # opened with open(), not exec()
    return dialog


def test_export_and_import_through_the_file_dialogs(
    qtbot: QtBot,
    tmp_path: Path,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window("Travelling")
    wait_secret_stored(qtbot, "Travelling", SECRET)

    target = tmp_path / "travelling.json"
    profiles.bar.export.click()
    export = _file_dialog(qtbot, window, "profile_export_dialog")
    assert export.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    export.selectFile(str(target))
    export.accept()
    qtbot.waitUntil(target.exists, timeout=3000)
    text = target.read_text(encoding="utf-8")
    assert SECRET not in text
    assert "client_secret" not in json.loads(text).get("profile", json.loads(text))
    assert DEMO_BASIC_CLIENT.client_id in text
    assert "Exported 'Travelling'" in profiles.last_message

    profiles.delete_profile()
    wait_idle(qtbot, profiles)
    assert "Travelling" not in ProfileStore().names()

    profiles.bar.import_.click()
    dialog = _file_dialog(qtbot, window, "profile_import_dialog")
    assert dialog.fileMode() is QFileDialog.FileMode.ExistingFile
    dialog.selectFile(str(target))
    with qtbot.waitSignal(profiles.profile_job_finished, timeout=LOAD_TIMEOUT_MS):
        dialog.accept()
    assert profiles.current == "Travelling"
    assert profiles.bar.current() == "Travelling"
    assert "Travelling" in ProfileStore().names()
    assert window.form.profile().client_id == DEMO_BASIC_CLIENT.client_id
    assert window.form.secret() == ""  # enter it again after importing
    assert "Imported 'Travelling'" in profiles.last_message
