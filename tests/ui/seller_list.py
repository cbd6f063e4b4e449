"""The stored sellers of a profile, as the window's token list shows them: sellers filed in the
keyring before the window opens (:func:`file_tokens`, what an earlier run left), the list's
buttons by object name (:func:`button`), and a refresh by hand that ends in a given status
(:func:`refresh_until`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot
from storage.flows import SCOPE, new_client, obtain_token, saved_profile

from tiki_gui.sandbox import SandboxClient, SandboxServer
from tiki_gui.storage import SellerRecord, TokenStatus, TokenVault
from tiki_gui.ui.stored_tokens.controller import StoredTokensController

__all__ = ["CLIENT", "PROFILE", "button", "file_tokens", "refresh_until", "server"]

PROFILE = "Shop"
CLIENT = new_client("ui-stored-sellers")


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    """A sandbox that knows only :data:`CLIENT`. A fixture: a test module takes it in with
    ``server = seller_list.server``."""
    with SandboxServer(clients=[CLIENT]) as running:
        yield running


def file_tokens(
    server: SandboxServer, client: SandboxClient, *sellers: str, scope: tuple[str, ...] = SCOPE
) -> tuple[TokenVault, list[SellerRecord]]:
    """Save profile "Shop" for ``client`` and file a real token of each seller in the keyring;
    the vault, and the records in the order of ``sellers``."""
    vault = TokenVault(saved_profile(PROFILE, server, client))
    with httpx.Client(timeout=10, trust_env=False) as http:
        records = [
            vault.add_from_flow(PROFILE, obtain_token(server, client, seller, scope=scope), http)
            for seller in sellers
        ]
    return vault, records


def button(window: QWidget, name: str) -> QPushButton:
    """The push button named ``name`` (its object name) in ``window``; it must be there."""
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def refresh_until(
    qtbot: QtBot, window: QWidget, tokens: StoredTokensController, status: TokenStatus
) -> None:
    """Click Refresh for the (first) seller; wait until the list has it in ``status``."""
    button(window, "seller_refresh").click()
    qtbot.waitUntil(lambda: tokens.manager.records()[0].status() is status, timeout=5000)
