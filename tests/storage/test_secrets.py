"""The keyring store: round trips, and the paths where no keyring can be used."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import keyring
import keyring.core
import pytest

from storage.conftest import IsolatedDirs, SecretService
from tiki_gui.core.tokens import TokenSet
from tiki_gui.storage import (
    KeyringUnavailableError,
    Profile,
    ProfileStore,
    SecretStore,
    SellerRecord,
    TokenVault,
)

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def _token(access: str = "at-one", refresh: str | None = "rt-one") -> TokenSet:
    return TokenSet(
        access_token=access,
        token_type="bearer",
        obtained_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        refresh_token=refresh,
        scope=("offline", "order"),
    )


def _profile(name: str = "Shop") -> Profile:
    return Profile(
        name=name,
        client_id="client-1",
        redirect_uri="https://example.com/cb",
        scopes=("offline", "order"),
    )


def test_round_trip_of_secret_and_seller_records(secret_service: SecretService) -> None:
    store = SecretStore()
    assert store.available()
    assert store.backend_name()
    store.set_client_secret("Shop", "s3cret with spaces+plus")
    record = SellerRecord(7, "Seller Seven", _token(), last_refresh=NOW)
    store.save_seller("Shop", record)
    store.save_seller("Shop", SellerRecord(8, "Seller Eight", _token("at-two", None)))

    again = SecretStore()  # a restart
    assert again.get_client_secret("Shop") == "s3cret with spaces+plus"
    assert again.seller_ids("Shop") == (7, 8)
    assert again.load_seller("Shop", 7) == record
    assert again.load_seller("Shop", 8) is not None
    assert again.load_seller("Shop", 9) is None
    assert "rt-one" not in repr(again.load_seller("Shop", 7))

    again.delete_seller("Shop", 7)
    assert again.seller_ids("Shop") == (8,)
    again.set_client_secret("Shop", "")
    assert again.get_client_secret("Shop") is None
    # Entries live under the "tiki-gui" service, so other tools can find (and audit) them.
    assert keyring.get_password("tiki-gui", "token/8@Shop") is not None


@pytest.mark.parametrize(
    "backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"]
)
def test_no_usable_keyring_means_clear_errors_and_nothing_on_disk(
    isolated_dirs: IsolatedDirs, backend: str
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.core.load_keyring(backend))
    try:
        store = SecretStore()
        assert store.available() is False
        calls: list[Callable[[], object]] = [
            lambda: store.get_client_secret("Shop"),
            lambda: store.set_client_secret("Shop", "never-stored-secret"),
            lambda: store.seller_ids("Shop"),
            lambda: store.load_seller("Shop", 1),
            lambda: store.save_seller("Shop", SellerRecord(1, "S", _token("never-stored-at"))),
            lambda: store.delete_seller("Shop", 1),
            lambda: store.delete_profile("Shop"),
        ]
        for call in calls:
            with pytest.raises(KeyringUnavailableError) as raised:
                call()
            message = str(raised.value)
            assert "keyring" in message
            assert "\n" not in message
            assert "never-stored" not in message

        # Profiles (no secrets) still work, and stay usable for a flow run by hand.
        profiles = ProfileStore()
        profiles.save(_profile())
        with pytest.raises(KeyringUnavailableError):
            profiles.set_client_secret("Shop", "never-stored-secret")
        with pytest.raises(KeyringUnavailableError):
            TokenVault(profiles).store("Shop", 1, "S", _token("never-stored-at"))
        # With no keyring at all, rename/duplicate/delete work on the settings alone.
        profiles.rename("Shop", "Shop 2")
        profiles.duplicate("Shop 2", "Shop 3")
        profiles.delete("Shop 3")
        assert profiles.names() == ["Shop 2"]
    finally:
        keyring.set_keyring(previous)

    for path in isolated_dirs.written_files():
        data = path.read_bytes()
        assert b"never-stored" not in data, path
    assert [p.name for p in isolated_dirs.written_files() if p.suffix == ".json"] == [
        "profiles.json"
    ]


# keyring's SecretService backend leaves its D-Bus connection open when the collection cannot be
# opened (keyring 25.7, SecretService.get_preferred_collection); the sockets are freed below.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_keyring_that_stops_answering_is_unavailable(secret_service: SecretService) -> None:
    profiles = ProfileStore()
    profiles.save(_profile())
    profiles.set_client_secret("Shop", "kept-secret")
    store = profiles.secrets
    assert store.available()

    os.kill(secret_service.keyring_pid, signal.SIGTERM)

    assert store.available() is False
    with pytest.raises(KeyringUnavailableError, match="could not") as raised:
        store.get_client_secret("Shop")
    assert "kept-secret" not in str(raised.value)
    # A profile whose keyring entries cannot be deleted is not deleted (no orphaned secrets).
    with pytest.raises(KeyringUnavailableError):
        profiles.delete("Shop")
    assert profiles.names() == ["Shop"]
    with pytest.raises(KeyringUnavailableError):
        profiles.rename("Shop", "Other")
    assert profiles.names() == ["Shop"]
    del raised
    gc.collect()  # while this test's warning filter applies
