"""Sending as a stored seller: the token comes from the vault (a real Secret Service) and is
refreshed first when it is near expiry; a write is refused before any refresh or request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from keyring_service import SecretService, isolated_dirs, secret_service
from storage.flows import Filed, filed_seller, refresh_grants

from tiki_gui.api.console import ApiRequest, WriteNotAllowedError
from tiki_gui.api.presets import preset_by_key
from tiki_gui.api.seller_call import send_as_seller
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer

__all__ = ["isolated_dirs", "secret_service"]  # fixtures used here

LIFETIME = 45  # seconds: less than the console's refresh leeway (60 s)
ORDERS = ApiRequest.from_preset(preset_by_key("orders"))


@pytest.fixture
def short_lived() -> Iterator[SandboxServer]:
    """A sandbox whose access tokens live 45 seconds."""
    with SandboxServer(access_token_lifetime=LIFETIME) as server:
        yield server


@pytest.fixture
def filed(secret_service: SecretService, short_lived: SandboxServer, http: httpx.Client) -> Filed:
    """A saved profile for the sandbox, with seller "seller-a" filed after a real flow."""
    return filed_seller(short_lived, DEMO_BASIC_CLIENT, http)


def test_a_token_with_time_left_is_sent_as_stored(
    filed: Filed, short_lived: SandboxServer, http: httpx.Client
) -> None:
    vault, record = filed
    short = timedelta(seconds=5)
    call = send_as_seller(vault, "Shop", record.seller_id, http, ORDERS, leeway=short)
    assert not call.refreshed
    assert call.record.token == record.token
    assert call.result.status_code == 200
    assert refresh_grants(short_lived) == 0


def test_a_token_near_expiry_is_refreshed_and_stored_before_it_is_sent(
    filed: Filed, short_lived: SandboxServer, http: httpx.Client
) -> None:
    vault, record = filed
    call = send_as_seller(vault, "Shop", record.seller_id, http, ORDERS)
    assert call.refreshed
    assert refresh_grants(short_lived) == 1
    assert call.record.token.access_token != record.token.access_token
    assert vault.get("Shop", record.seller_id).token == call.record.token
    assert call.result.status_code == 200, call.result.body_text
    # With time left now, the stored (new) token is sent as is: no second refresh.
    second = send_as_seller(
        vault, "Shop", record.seller_id, http, ORDERS, leeway=timedelta(seconds=5)
    )
    assert not second.refreshed
    assert second.result.status_code == 200
    assert refresh_grants(short_lived) == 1


def test_a_write_is_refused_before_any_refresh_or_request(
    filed: Filed, short_lived: SandboxServer, http: httpx.Client
) -> None:
    vault, record = filed
    before = len(short_lived.requests)
    write = ApiRequest("DELETE", "/integration/v2/products")
    with pytest.raises(WriteNotAllowedError):
        send_as_seller(vault, "Shop", record.seller_id, http, write)
    assert len(short_lived.requests) == before
    assert vault.get("Shop", record.seller_id).token == record.token
