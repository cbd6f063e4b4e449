"""Stored-token jobs and the window (issue 9): closing the window ends a refresh in flight at
once, and a refresh interrupted earlier is named so in the list, with "Authorize again"."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from core.hostile_server import HostileServer, silent
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot
from storage.flows import new_client, obtain_token, revoke_by_reuse, saved_profile

from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage import ProfileStore, TokenStatus, TokenVault

from .stored_window import ProfileWindowFactory, StoredWindowFactory

CLIENT = new_client("ui-stored-wiring")
PROFILE = "Shop"


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(clients=[CLIENT]) as running:
        yield running


def _button(window: QWidget, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def _filed(server: SandboxServer, seller: str) -> TokenVault:
    vault = TokenVault(saved_profile(PROFILE, server, CLIENT))
    with httpx.Client(timeout=10, trust_env=False) as http:
        vault.add_from_flow(PROFILE, obtain_token(server, CLIENT, seller), http)
    return vault


def _point_token_endpoint(url: str) -> None:
    store = ProfileStore()
    store.save(dataclasses.replace(store.get(PROFILE), token_endpoint=url))


def test_closing_the_window_ends_a_refresh_the_server_never_answers(
    qtbot: QtBot,
    server: SandboxServer,
    profile_window: ProfileWindowFactory,
    stored_window: StoredWindowFactory,
) -> None:
    _filed(server, "seller-hung")
    with HostileServer(silent) as hung:
        _point_token_endpoint(hung.url + "/sc/oauth2/token")
        window, _, tokens = profile_window()
        [record] = tokens.manager.records()
        _button(window, "seller_refresh").click()
        qtbot.waitUntil(lambda: hung.connections == 1, timeout=5000)
        time.sleep(0.2)  # the request is sent and waits for an answer that never comes
        assert tokens.manager.records()[0].token.access_token == record.token.access_token

        started = time.monotonic()
        stored_window.close(window)  # close, shut down (waits for jobs), delete
        took = time.monotonic() - started
        assert took < 2.0, f"closing waited {took:.1f} s for the network"
    # The refresh was cancelled: nothing rotated, so the stored pair is untouched and unmarked.
    kept = TokenVault(ProfileStore()).get(PROFILE, record.seller_id)
    assert kept.token.refresh_token == record.token.refresh_token
    assert not kept.needs_reauthorization
    assert not any(t.name.startswith("stored_tokens") for t in threading.enumerate())


def test_an_interrupted_refresh_is_named_in_the_list_with_authorize_again(
    qtbot: QtBot,
    server: SandboxServer,
    profile_window: ProfileWindowFactory,
    stored_window: StoredWindowFactory,
) -> None:
    vault = _filed(server, "seller-crashed")
    [record] = vault.sellers(PROFILE)
    # A refresh was sent (the mark) and the app died before the new pair was stored: the
    # server rotated the chain, so the stored refresh token is refused (invalid_grant).
    sent = datetime.now(UTC) - timedelta(minutes=5)
    vault.secrets.save_seller(PROFILE, dataclasses.replace(record, refresh_sent_at=sent))
    with httpx.Client(timeout=10, trust_env=False) as http:
        revoke_by_reuse(server, CLIENT, record.token, http)

    window, _, tokens = profile_window()
    _button(window, "seller_refresh").click()
    qtbot.waitUntil(
        lambda: tokens.manager.records()[0].status() is TokenStatus.NEEDS_REAUTHORIZATION,
        timeout=5000,
    )
    result = tokens.manager.result.text()
    assert result.startswith("This seller's refresh was interrupted; authorize again.")
    assert "invalid_grant" not in result
    assert "refresh interrupted" in tokens.manager.row_texts(record.seller_id)[4]
    assert _button(window, "seller_reauthorize").isVisible()
    assert [r.grant_type for r in server.token_requests][-1] == "refresh_token"

    # After a restart the list says so at once, before any new refresh.
    stored_window.close(window)
    requests = len(server.token_requests)
    window, _, tokens = profile_window()
    assert tokens.manager.result.text().startswith("This seller's refresh was interrupted")
    assert "refresh interrupted" in tokens.manager.row_texts(record.seller_id)[4]
    assert _button(window, "seller_reauthorize").isVisible()
    assert len(server.token_requests) == requests
