"""A keyring that is up but fails now and then: every read and write is tried again, in the app's
store and in ``tiki-gui token``, before anything is reported."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from child_processes import run_python

from storage.conftest import SecretService
from tiki_gui.core.tokens import TokenSet
from tiki_gui.storage import (
    KeyringUnavailableError,
    Profile,
    ProfileStore,
    SecretStore,
    SellerRecord,
    TokenVault,
)
from tiki_gui.storage.secrets import KEYRING_RETRY_DELAYS

from .flaky_keyring import Flaky

NOW = datetime.now(UTC)


def _record(seller_id: int) -> SellerRecord:
    token = TokenSet(
        access_token=f"at-{seller_id}-flaky",
        token_type="bearer",
        obtained_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        refresh_token=f"rt-{seller_id}-flaky",
    )
    return SellerRecord(seller_id=seller_id, seller_name=f"seller {seller_id}", token=token)


@pytest.mark.parametrize("every", [2, 3, 5])
def test_occasional_keyring_failures_are_retried(secret_service: SecretService, every: int) -> None:
    flaky = Flaky(keyring.get_keyring(), every)
    store = SecretStore(backend=flaky)
    assert store.available()
    for seller_id in range(1, 21):
        store.save_seller("Shop", _record(seller_id))
        assert store.load_seller("Shop", seller_id) == _record(seller_id)
    assert store.seller_ids("Shop") == tuple(range(1, 21))
    store.delete_seller("Shop", 3)
    assert 3 not in store.seller_ids("Shop")
    assert flaky.failures.failed > 10, "the double never failed: the test proves nothing"
    print(f"every {every}: {flaky.failures.failed} of {flaky.failures.calls} calls failed")


def test_a_keyring_that_keeps_failing_is_reported_after_the_retries(
    secret_service: SecretService,
) -> None:
    flaky = Flaky(keyring.get_keyring(), 1)
    store = SecretStore(backend=flaky)
    started = time.monotonic()
    with pytest.raises(KeyringUnavailableError, match=r"could not be read \(InitError\)"):
        store.get_client_secret("Shop")
    took = time.monotonic() - started
    assert flaky.failures.calls == len(KEYRING_RETRY_DELAYS) + 1
    assert sum(KEYRING_RETRY_DELAYS) <= took < sum(KEYRING_RETRY_DELAYS) + 1.0
    assert store.available() is False


def test_tiki_gui_token_rides_out_a_flaky_keyring(secret_service: SecretService) -> None:
    profiles = ProfileStore()
    profiles.save(
        Profile(
            name="Shop",
            client_id="client-1",
            redirect_uri="https://example.com/cb",
            scopes=("offline",),
        )
    )
    TokenVault(profiles).store("Shop", 7, "seller 7", _record(7).token)
    env = secret_service.subprocess_env(
        PYTHON_KEYRING_BACKEND="flaky_keyring.Keyring",
        FLAKY_KEYRING_EVERY="2",
        PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]),
    )
    for _ in range(2):
        result = run_python("-m", "tiki_gui.token_cli", "token", "--profile", "Shop", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "at-7-flaky\n"
