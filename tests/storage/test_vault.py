"""Tokens per seller: filing after a flow, refresh and rotation, failures that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from storage.conftest import SecretService
from storage.flows import (
    Filed,
    credentials,
    obtain_token,
    refresh_grants,
    revoke_by_reuse,
    saved_profile,
)
from tiki_gui.core.errors import (
    ApiUnauthorizedError,
    OAuthError,
    TransportError,
)
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxClient, SandboxServer, seller_for
from tiki_gui.storage import (
    APP_SELLER_ID,
    Grant,
    MissingClientSecretError,
    NoTokenError,
    ProfileStore,
    ReauthorizationRequiredError,
    SecretStore,
    SellerAmbiguousError,
    SellerRecord,
    TokenStatus,
    TokenVault,
    backoff_delay,
    is_retryable,
)

SELLERS = ("seller-a", "seller-b", "seller-c")


def _id(username: str) -> int:
    seller_id = seller_for(username)["id"]
    assert isinstance(seller_id, int)
    return seller_id


def test_three_sellers_under_one_profile(
    vault: TokenVault, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    tokens = {user: obtain_token(server, client, user) for user in SELLERS}
    for user in SELLERS:
        record = vault.add_from_flow("Shop", tokens[user], http)
        assert (record.seller_id, record.seller_name) == (_id(user), user)

    reopened = TokenVault(ProfileStore())  # a restart
    records = reopened.sellers("Shop")
    assert [(r.seller_id, r.seller_name) for r in records] == [(_id(u), u) for u in SELLERS]
    assert [r.token for r in records] == [tokens[u] for u in SELLERS]
    assert {r.status() for r in records} == {TokenStatus.VALID}
    assert all(r.last_refresh is None and r.can_refresh for r in records)
    # Filing a new token for a known seller replaces that seller's record, no duplicate.
    newer = obtain_token(server, client, "seller-b")
    reopened.add_from_flow("Shop", newer, http)
    assert len(reopened.sellers("Shop")) == 3
    assert reopened.get("Shop", _id("seller-b")).token == newer


def test_refresh_rotates_and_stores_before_returning(
    filed: Filed, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    vault, before = filed

    after = vault.refresh("Shop", before.seller_id, http)

    assert refresh_grants(server) == 1
    assert after.token.access_token != before.token.access_token
    assert after.token.refresh_token not in (None, before.token.refresh_token)
    assert after.last_refresh is not None
    assert after.last_refresh > datetime.now(UTC) - timedelta(minutes=1)
    assert TokenVault(ProfileStore()).get("Shop", before.seller_id) == after
    # The new access token works; the old refresh token was rotated away by the server.
    assert vault.check("Shop", before.seller_id, http).name == "seller-a"
    another_program = TokenClient(server.token_endpoint, credentials(client), http)
    with pytest.raises(OAuthError) as refused:
        another_program.refresh(before.token)
    assert refused.value.error == "invalid_grant"


def test_refresh_done_elsewhere_is_reused_not_repeated(
    filed: Filed, server: SandboxServer, http: httpx.Client
) -> None:
    vault, seen = filed
    other_process = TokenVault(ProfileStore())
    refreshed = other_process.refresh("Shop", seen.seller_id, http)

    # This vault still holds the old token; inside the lock it reads the stored one again.
    result = vault.refresh("Shop", seen.seller_id, http, started_from=seen.token)

    assert result == refreshed
    assert refresh_grants(server) == 1
    # With min_remaining, a token with time left is returned as is.
    again = vault.refresh("Shop", seen.seller_id, http, min_remaining=timedelta(seconds=60))
    assert again == refreshed
    assert refresh_grants(server) == 1


def test_invalid_grant_marks_reauthorization_and_keeps_the_token(
    filed: Filed, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    vault, record = filed
    revoke_by_reuse(server, client, record.token, http)
    requests_before = len(server.token_requests)

    with pytest.raises(ReauthorizationRequiredError, match="authorize again") as raised:
        vault.refresh("Shop", record.seller_id, http)

    assert raised.value.oauth_error is not None
    assert raised.value.oauth_error.error == "invalid_grant"
    assert len(server.token_requests) == requests_before + 1
    stored = TokenVault(ProfileStore()).get("Shop", record.seller_id)
    assert stored.token == record.token  # kept, not wiped
    assert stored.needs_reauthorization
    assert stored.status() is TokenStatus.NEEDS_REAUTHORIZATION
    # A refused refresh token is not sent again.
    with pytest.raises(ReauthorizationRequiredError):
        vault.refresh("Shop", record.seller_id, http)
    assert len(server.token_requests) == requests_before + 1
    # A new authorization of the seller clears the state.
    fresh = vault.add_from_flow("Shop", obtain_token(server, client, "seller-a"), http)
    assert fresh.status() is TokenStatus.VALID
    assert vault.refresh("Shop", record.seller_id, http).status() is TokenStatus.VALID


def test_client_credentials_refresh_runs_the_grant_again(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    store = saved_profile("In-house", server, client, grant=Grant.CLIENT_CREDENTIALS)
    vault = TokenVault(store)
    first = TokenClient(server.token_endpoint, credentials(client), http).client_credentials(
        store.get("In-house").scopes
    )
    assert first.refresh_token is None

    record = vault.add_from_flow("In-house", first, http)  # sellers/me: linked to no seller
    assert record.seller_id == APP_SELLER_ID
    assert not record.can_refresh

    again = vault.refresh("In-house", APP_SELLER_ID, http)

    grants = [r.grant_type for r in server.token_requests]
    assert grants == ["client_credentials", "client_credentials"]
    assert again.token.access_token != first.access_token
    assert TokenVault(ProfileStore()).get("In-house", APP_SELLER_ID) == again


def test_no_refresh_token_means_reauthorize(
    vault: TokenVault, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    token = obtain_token(server, client, "seller-a", scope=("product", "order"))  # no offline
    assert token.refresh_token is None
    record = vault.add_from_flow("Shop", token, http)
    with pytest.raises(ReauthorizationRequiredError, match="offline"):
        vault.refresh("Shop", record.seller_id, http)
    assert server.token_requests[-1].grant_type == "authorization_code"
    assert vault.get("Shop", record.seller_id) == record


def test_missing_client_secret_stops_before_any_request(
    filed: Filed, server: SandboxServer, http: httpx.Client
) -> None:
    vault, record = filed
    vault.profiles.set_client_secret("Shop", "")
    with pytest.raises(MissingClientSecretError, match="'Shop'"):
        vault.refresh("Shop", record.seller_id, http)
    assert refresh_grants(server) == 0


def test_check_forget_and_seller_lookup(
    vault: TokenVault, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    for user in ("seller-a", "Seller-B"):
        vault.add_from_flow("Shop", obtain_token(server, client, user), http)

    seller = vault.check("Shop", _id("seller-a"), http)
    assert (seller.id, seller.name, seller.active) == (_id("seller-a"), "seller-a", True)
    assert vault.find_seller("Shop", str(_id("Seller-B"))).seller_name == "Seller-B"
    assert vault.find_seller("Shop", "seller-b").seller_id == _id("Seller-B")
    with pytest.raises(SellerAmbiguousError) as ambiguous:
        vault.find_seller("Shop")
    assert len(ambiguous.value.candidates) == 2
    with pytest.raises(NoTokenError):
        vault.find_seller("Shop", "nobody")

    vault.forget("Shop", _id("seller-a"))

    assert [r.seller_name for r in vault.sellers("Shop")] == ["Seller-B"]
    assert vault.find_seller("Shop").seller_name == "Seller-B"
    assert SecretStore().load_seller("Shop", _id("seller-a")) is None
    with pytest.raises(NoTokenError):
        vault.check("Shop", _id("seller-a"), http)
    # A revoked token is reported by the API check, and nothing is changed.
    record = vault.get("Shop", _id("Seller-B"))
    outside = TokenClient(server.token_endpoint, credentials(client), http)
    outside.refresh(record.token)
    with pytest.raises(ApiUnauthorizedError):
        vault.check("Shop", record.seller_id, http)
    assert vault.get("Shop", record.seller_id) == record


def test_status_thresholds() -> None:
    now = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)

    def record(expires_in: timedelta | None, *, flagged: bool = False) -> SellerRecord:
        token = TokenSet(
            access_token="a",
            token_type="bearer",
            obtained_at=now - timedelta(hours=1),
            expires_at=None if expires_in is None else now + expires_in,
            refresh_token="r",
        )
        return SellerRecord(1, "S", token, needs_reauthorization=flagged)

    assert record(timedelta(minutes=6)).status(now) is TokenStatus.VALID
    assert record(timedelta(minutes=4, seconds=59)).status(now) is TokenStatus.EXPIRING
    assert record(timedelta(0)).status(now) is TokenStatus.EXPIRED
    assert record(-timedelta(days=1)).status(now) is TokenStatus.EXPIRED
    assert record(None).status(now) is TokenStatus.VALID
    flagged = record(timedelta(hours=1), flagged=True)
    assert flagged.status(now) is TokenStatus.NEEDS_REAUTHORIZATION
    assert TokenStatus.EXPIRING.label == "Expiring soon"


def test_backoff_delay_is_exponential_and_capped() -> None:
    assert [backoff_delay(n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff_delay(500) == 60
    assert backoff_delay(2, base=0.5, cap=10) == 2
    with pytest.raises(ValueError, match="attempt"):
        backoff_delay(-1)
    assert not is_retryable(OAuthError("invalid_grant", status_code=400))
    assert not is_retryable(ReauthorizationRequiredError("x"))
    assert is_retryable(TransportError("down"))
