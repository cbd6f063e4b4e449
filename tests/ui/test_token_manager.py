"""The token manager: sellers filed per profile, refresh by hand and on time, failures."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from keyring_service import SecretService
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QTreeWidget
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.storage import KEYRING_SERVICE, ProfileStore, TokenStatus
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.ui.stored_tokens.auto_refresh import RefreshPolicy

from . import seller_list
from .flow_helpers import sandbox_config
from .seller_list import CLIENT, PROFILE, button, file_tokens, refresh_until
from .stored_window import (
    ProfileWindowFactory,
    StoredWindowFactory,
    authorize_as,
    written_text,
)


@pytest.fixture
def short_sandbox() -> Iterator[SandboxServer]:
    """The sandbox with CLIENT, whose access tokens live 4 seconds."""
    with SandboxServer(clients=[CLIENT], access_token_lifetime=4) as server:
        yield server


server = seller_list.server  # the fixture: a sandbox that knows only CLIENT


def test_three_sellers_under_one_profile_with_copy_and_check(
    qtbot: QtBot,
    profile_window: ProfileWindowFactory,
) -> None:
    window, _, tokens = profile_window("Three shops")
    for seller in ("alice-shop", "bob-shop", "carol-shop"):
        authorize_as(qtbot, window, seller)
    records = tokens.manager.records()
    assert sorted(r.seller_name for r in records) == ["alice-shop", "bob-shop", "carol-shop"]
    assert len({r.token.access_token for r in records}) == 3
    table = window.findChild(QTreeWidget, "sellers")
    assert table is not None
    assert table.topLevelItemCount() == 3
    assert len(ProfileStore().secrets.seller_ids("Three shops")) == 3  # in the keyring

    bob = next(r for r in records if r.seller_name == "bob-shop")
    texts = tokens.manager.row_texts(bob.seller_id)
    assert texts[0] == f"bob-shop ({bob.seller_id})"
    assert texts[2].startswith("expires in 59:") or texts[2].startswith("expires in 1:00:")
    assert texts[4] == "Valid"
    tokens.manager.select_seller(bob.seller_id)
    button(window, "seller_copy").click()
    assert QGuiApplication.clipboard().text() == bob.token.access_token
    button(window, "seller_check").click()
    qtbot.waitUntil(lambda: "sellers/me: bob-shop" in tokens.manager.result.text(), timeout=5000)

    button(window, "seller_forget").click()
    box = window.findChild(QMessageBox, "forget_confirm")
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: len(tokens.manager.records()) == 2, timeout=5000)
    assert bob.seller_id not in ProfileStore().secrets.seller_ids("Three shops")


def test_refresh_by_hand_stores_the_new_pair(
    qtbot: QtBot,
    server: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    vault, _ = file_tokens(server, CLIENT, "seller-a")
    window, _, tokens = profile_window()
    [before] = tokens.manager.records()
    assert before.last_refresh is None
    button(window, "seller_refresh").click()
    assert not button(window, "seller_refresh").isEnabled()  # no second refresh queued
    qtbot.waitUntil(lambda: tokens.manager.records()[0].last_refresh is not None, timeout=5000)
    [after] = tokens.manager.records()
    assert after.token.access_token != before.token.access_token
    stored = vault.get(PROFILE, before.seller_id)
    assert stored.token.access_token == after.token.access_token  # stored in the keyring
    assert "never" not in tokens.manager.row_texts(before.seller_id)[3]


def test_tokens_are_refreshed_automatically_before_they_expire(
    qtbot: QtBot,
    short_sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    vault, _ = file_tokens(short_sandbox, CLIENT, "seller-auto")
    policy = RefreshPolicy(fraction=0.5, check_interval_ms=100)
    _window, _, tokens = profile_window(policy=policy)
    [first] = tokens.manager.records()
    qtbot.waitUntil(lambda: tokens.manager.records()[0].last_refresh is not None, timeout=8000)
    [refreshed] = tokens.manager.records()
    assert refreshed.token.access_token != first.token.access_token
    assert vault.get(PROFILE, first.seller_id).token.access_token == refreshed.token.access_token
    grants = [r.grant_type for r in short_sandbox.token_requests]
    assert grants.count("refresh_token") >= 1


def test_invalid_grant_marks_needs_reauthorization_and_keeps_the_token(
    qtbot: QtBot,
    server: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    vault, [record] = file_tokens(server, CLIENT, "seller-revoked")
    from storage.flows import revoke_by_reuse

    with httpx.Client(timeout=10) as http:
        revoke_by_reuse(server, CLIENT, record.token, http)
    window, _, tokens = profile_window()
    refresh_until(qtbot, window, tokens, TokenStatus.NEEDS_REAUTHORIZATION)
    assert "Needs re-authorization" in tokens.manager.row_texts(record.seller_id)[4]
    kept = vault.get(PROFILE, record.seller_id)
    assert kept.needs_reauthorization
    assert kept.token.access_token == record.token.access_token  # nothing wiped
    again = button(window, "seller_reauthorize")
    assert again.isVisible()
    window.form.set_value(sandbox_config(server, CLIENT, redirect_uri="http://127.0.0.1/callback"))
    again.click()
    assert window.flow.state is FlowState.CONSENT  # Authorize started for this profile
    window.flow.cancel()


def test_network_failure_keeps_everything_and_schedules_a_retry(
    qtbot: QtBot,
    server: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    vault, [record] = file_tokens(server, CLIENT, "seller-offline")
    window, _, tokens = profile_window()
    server.stop()
    button(window, "seller_refresh").click()
    qtbot.waitUntil(lambda: tokens.refresher.retry_at(record.seller_id) is not None, timeout=8000)
    assert "retry in" in tokens.manager.row_texts(record.seller_id)[4]
    assert "nothing was changed" in tokens.manager.result.text()
    stored = vault.get(PROFILE, record.seller_id)
    assert stored.token.access_token == record.token.access_token
    assert stored.token.refresh_token == record.token.refresh_token
    assert not stored.needs_reauthorization
    assert tokens.refresher.attempts(record.seller_id) == 1


def test_no_secret_in_any_file_written_after_a_full_ui_flow(
    qtbot: QtBot,
    secret_service: SecretService,
    stored_window: StoredWindowFactory,
    profile_window: ProfileWindowFactory,
) -> None:
    window, _profiles, tokens = profile_window("Scanned")
    authorize_as(qtbot, window, "seller-scan")
    button(window, "seller_refresh").click()
    qtbot.waitUntil(lambda: tokens.manager.records()[0].last_refresh is not None, timeout=5000)
    [record] = tokens.manager.records()
    secrets = {
        "client secret": DEMO_BASIC_CLIENT.client_secret,
        "first access token": window.token_panel.access_token.text(),
        "first refresh token": window.token_panel.refresh_token.text(),
        "access token": record.token.access_token,
        "refresh token": record.token.refresh_token or "missing",
    }
    stored_window.close(window)
    root = secret_service.dirs.root
    assert (root / "config" / "tiki-gui" / "profiles.json").exists()
    written = written_text(root)
    assert [what for what, value in secrets.items() if value in written] == []
    assert keyring_has_secret()


def keyring_has_secret() -> bool:
    import keyring

    return keyring.get_password(KEYRING_SERVICE, "client-secret@Scanned") is not None
