"""Tokens per seller under each profile, and the operations a token manager needs.

:class:`TokenVault` lists sellers with their status, files a new token under the seller it
belongs to (``sellers/me``), refreshes, checks and forgets. Its refresh keeps the rotation rules
of Hydra (Tiki's authorization server), where a refresh token works once and a reused one
revokes the whole chain:

- one refresh at a time per (profile, seller): a thread lock plus a file lock shared with other
  processes (the app, ``tiki-gui token`` scripts);
- inside the lock the stored token is read again: if another process refreshed it meanwhile,
  that token is returned and no request is made;
- just before the request is sent, the record is marked (``refresh_sent_at``); the answer's new
  pair replaces the record, mark cleared, in one keyring write right after it is parsed. A mark
  found later means a refresh was interrupted (a crash between the server's rotation and that
  write, or an answer lost): if the server then refuses the old refresh token, the seller is
  told that this refresh was interrupted, not just "invalid_grant";
- ``invalid_grant`` marks the seller "needs re-authorization" and keeps the token;
- failures where the server surely rotated nothing (an OAuth error answer, an error status,
  no connection made) change nothing stored; after others (a timeout, a cancel, a broken or
  unreadable answer) only the mark stays. Nothing is ever wiped on failure.

``httpx`` and the token client are imported only when a request is made, so ``tiki-gui token``
starts fast when the stored token is still valid.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tiki_gui.core.cancellation import DEFAULT_DEADLINE
from tiki_gui.core.errors import OAuthError
from tiki_gui.storage.errors import (
    KeyringUnavailableError,
    MissingClientSecretError,
    NoTokenError,
    ReauthorizationRequiredError,
    SellerAmbiguousError,
    TokenNotSavedError,
)
from tiki_gui.storage.locks import DEFAULT_LOCK_TIMEOUT
from tiki_gui.storage.profiles import Grant, Profile
from tiki_gui.storage.records import SellerRecord
from tiki_gui.storage.retry import surely_not_rotated

if TYPE_CHECKING:
    import httpx

    from tiki_gui.core.cancellation import Cancellation
    from tiki_gui.core.seller import Seller, SellerApi
    from tiki_gui.core.token_client import TokenClient
    from tiki_gui.core.tokens import TokenSet
    from tiki_gui.storage.profile_store import ProfileStore
    from tiki_gui.storage.secrets import SecretStore

__all__ = ["APP_SELLER_ID", "APP_SELLER_NAME", "TokenVault", "reauthorization_message"]

APP_SELLER_ID = 0
"""Where a client credentials token is filed when ``sellers/me`` links it to no seller."""
APP_SELLER_NAME = "App token (client credentials)"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _who(record: SellerRecord) -> str:
    return f"seller {record.seller_name!r} ({record.seller_id})"


def reauthorization_message(record: SellerRecord, *, refused_now: bool = False) -> str:
    """Why ``record`` needs a new authorization, in a sentence (no token in it)."""
    who = _who(record)
    if record.refresh_sent_at is not None:
        when = record.refresh_sent_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return (
            f"This seller's refresh was interrupted; authorize again in tiki-gui. A refresh of "
            f"{who} was sent at {when} and its new token never stored (the app or command "
            "stopped, or the answer was lost), so Tiki has revoked the old one."
        )
    if refused_now:
        return (
            f"Tiki refused the refresh token of {who} (invalid_grant: revoked, expired or "
            "already used); authorize again in tiki-gui."
        )
    return f"Tiki already refused the refresh token of {who}; authorize again in tiki-gui."


class TokenVault:
    """Seller tokens of the profiles in ``profiles`` (stored in ``profiles.secrets``).

    Every method may raise :class:`KeyringUnavailableError`; network methods take the caller's
    ``httpx.Client`` (one shared client with explicit timeouts) and never run on a GUI thread.
    ``deadline`` bounds each request (seconds, in all); the network methods take a
    ``cancellation`` (:class:`~tiki_gui.core.cancellation.Cancellation`) to stop the request
    under way from another thread (``RequestCancelledError``).
    """

    def __init__(
        self,
        profiles: ProfileStore,
        *,
        now: Callable[[], datetime] = _utc_now,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self._profiles = profiles
        self._now = now
        self._lock_timeout = lock_timeout
        self._deadline = deadline

    @property
    def profiles(self) -> ProfileStore:
        return self._profiles

    @property
    def secrets(self) -> SecretStore:
        return self._profiles.secrets

    # -- reading -------------------------------------------------------------------------------

    def sellers(self, profile_name: str) -> list[SellerRecord]:
        """Every seller with a stored token under the profile (status: ``record.status()``)."""
        self._profiles.get(profile_name)
        return self.secrets.load_sellers(profile_name)

    def get(self, profile_name: str, seller_id: int) -> SellerRecord:
        """The seller's record; :class:`NoTokenError` if none is stored."""
        record = self.secrets.load_seller(profile_name, seller_id)
        if record is None:
            raise NoTokenError(
                f"No token is stored for seller {seller_id} under profile {profile_name!r}."
            )
        return record

    def find_seller(self, profile_name: str, seller: str | int | None = None) -> SellerRecord:
        """The record for ``seller`` (an id, or a name matched case-insensitively).

        Without ``seller`` the profile's only seller. Raises :class:`NoTokenError` (nothing
        stored, or no such seller) or :class:`SellerAmbiguousError`.
        """
        self._profiles.get(profile_name)
        records = self.secrets.load_sellers(profile_name)
        if not records:
            raise NoTokenError(
                f"No token is stored yet for profile {profile_name!r}: authorize in tiki-gui first."
            )

        def candidates(matches: list[SellerRecord]) -> tuple[tuple[int, str], ...]:
            return tuple((r.seller_id, r.seller_name) for r in matches)

        if seller is None:
            if len(records) == 1:
                return records[0]
            listed = ", ".join(f"{r.seller_id} ({r.seller_name})" for r in records)
            raise SellerAmbiguousError(
                f"Profile {profile_name!r} has tokens for {len(records)} sellers; "
                f"choose one with --seller: {listed}.",
                candidates(records),
            )
        text = str(seller).strip()
        if text.isdigit():
            by_id = [r for r in records if r.seller_id == int(text)]
            if by_id:
                return by_id[0]
        by_name = [r for r in records if r.seller_name.casefold() == text.casefold()]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            listed = ", ".join(str(r.seller_id) for r in by_name)
            raise SellerAmbiguousError(
                f"Several sellers of profile {profile_name!r} are named {text!r}; "
                f"give the seller id instead: {listed}.",
                candidates(by_name),
            )
        raise NoTokenError(
            f"No token is stored for seller {text!r} under profile {profile_name!r}."
        )

    # -- filing --------------------------------------------------------------------------------

    def store(
        self, profile_name: str, seller_id: int, seller_name: str, token: TokenSet
    ) -> SellerRecord:
        """File ``token`` (just obtained by a flow) under the seller, replacing its old one."""
        self._profiles.get(profile_name)
        record = SellerRecord(seller_id=seller_id, seller_name=seller_name, token=token)
        with self.secrets.token_lock(profile_name, seller_id, timeout=self._lock_timeout):
            self.secrets.save_seller(profile_name, record)
        return record

    def add_from_flow(
        self,
        profile: Profile | str,
        token: TokenSet,
        http: httpx.Client,
        *,
        cancellation: Cancellation | None = None,
    ) -> SellerRecord:
        """Ask ``sellers/me`` whose token this is, then :meth:`store` it under that seller.

        ``profile`` is the profile the flow ran for, as the caller holds it (the window), or its
        name (read from the settings file). A client credentials token that ``sellers/me`` links
        to no seller (401) is filed under :data:`APP_SELLER_ID` / :data:`APP_SELLER_NAME`. Other
        API errors propagate and nothing is stored.
        """
        from tiki_gui.core.errors import ApiUnauthorizedError

        if isinstance(profile, str):
            profile = self._profiles.get(profile)
        profile_name = profile.name
        try:
            seller = self._seller_api(profile, http).me(
                token.access_token, cancellation=cancellation
            )
        except ApiUnauthorizedError:
            if profile.grant is not Grant.CLIENT_CREDENTIALS:
                raise
            return self.store(profile_name, APP_SELLER_ID, APP_SELLER_NAME, token)
        return self.store(profile_name, seller.id, seller.name, token)

    def forget(self, profile_name: str, seller_id: int) -> None:
        """Delete the seller's token from the keyring."""
        with self.secrets.token_lock(profile_name, seller_id, timeout=self._lock_timeout):
            self.secrets.delete_seller(profile_name, seller_id)

    def forget_all(self, profile_name: str) -> None:
        """Delete every seller token of the profile (its client secret stays)."""
        for seller_id in self.secrets.seller_ids(profile_name):
            self.forget(profile_name, seller_id)

    # -- network -------------------------------------------------------------------------------

    def check(
        self,
        profile_name: str,
        seller_id: int,
        http: httpx.Client,
        *,
        cancellation: Cancellation | None = None,
    ) -> Seller:
        """Call ``sellers/me`` with the stored access token; updates the stored seller name.

        Raises the core's ``ApiError`` family (401 expired/revoked, 403, 429) or
        ``TransportError``; nothing stored changes on failure.
        """

        profile = self._profiles.get(profile_name)
        record = self.get(profile_name, seller_id)
        seller = self._seller_api(profile, http).me(
            record.token.access_token, cancellation=cancellation
        )
        if seller.name != record.seller_name and seller.id == seller_id:
            with self.secrets.token_lock(profile_name, seller_id, timeout=self._lock_timeout):
                current = self.secrets.load_seller(profile_name, seller_id)
                if current is not None:
                    renamed = dataclasses.replace(current, seller_name=seller.name)
                    self.secrets.save_seller(profile_name, renamed)
        return seller

    def _seller_api(self, profile: Profile, http: httpx.Client) -> SellerApi:
        from tiki_gui.core.seller import SellerApi

        return SellerApi(profile.endpoints.api_base, http, deadline=self._deadline)

    def _token_client(self, profile: Profile, http: httpx.Client) -> TokenClient:
        from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
        from tiki_gui.core.token_client import TokenClient

        secret = self._profiles.client_secret(profile.name)
        if not secret:
            raise MissingClientSecretError(
                f"No client secret is stored for profile {profile.name!r}; enter it in the "
                "profile first."
            )
        credentials = ClientCredentials(profile.client_id, secret, AuthMethod(profile.auth_method))
        return TokenClient(
            profile.endpoints.token_endpoint, credentials, http, deadline=self._deadline
        )

    def refresh(
        self,
        profile_name: str,
        seller_id: int,
        http: httpx.Client,
        *,
        started_from: TokenSet | None = None,
        min_remaining: timedelta | None = None,
        cancellation: Cancellation | None = None,
    ) -> SellerRecord:
        """Refresh the seller's token (client credentials: run the grant again) and store it.

        ``started_from`` is the token the caller saw (default: the one stored now). If, once
        the lock is held, the stored token differs from it and has not expired, another process
        refreshed it: that record is returned and no request is made. With ``min_remaining``,
        a stored token with at least that much time left is returned as is.

        Raises :class:`ReauthorizationRequiredError` for ``invalid_grant`` (the seller is marked
        "needs re-authorization", the token kept; ``interrupted`` and the message say so when an
        earlier refresh was interrupted) or when there is no refresh token;
        ``TransportError`` (``RequestCancelledError`` included) / ``OAuthError`` /
        ``MalformedResponseError`` with the token unchanged (see the module doc for the mark);
        :class:`TokenNotSavedError` if the keyring refused the new pair;
        :class:`~tiki_gui.storage.errors.LockTimeoutError`; :class:`NoTokenError`.
        """
        profile = self._profiles.get(profile_name)
        if started_from is None:
            started_from = self.get(profile_name, seller_id).token
        with self.secrets.token_lock(profile_name, seller_id, timeout=self._lock_timeout):
            current = self.get(profile_name, seller_id)
            now = self._now()
            usable = not current.needs_reauthorization
            if (
                usable
                and current.token.access_token != started_from.access_token
                and not current.token.is_expired(now)
            ):
                return current
            if (
                usable
                and min_remaining is not None
                and not current.token.is_expired(now, leeway=min_remaining)
            ):
                return current
            if profile.grant is Grant.CLIENT_CREDENTIALS:
                client = self._token_client(profile, http)
                new_token = client.client_credentials(
                    profile.scopes or None, cancellation=cancellation
                )
            else:
                new_token = self._rotate(profile, current, http, cancellation)
            updated = SellerRecord(
                seller_id=current.seller_id,
                seller_name=current.seller_name,
                token=new_token,
                last_refresh=now,
            )
            try:
                self.secrets.save_seller(profile_name, updated)  # also clears the mark
            except KeyringUnavailableError:
                raise TokenNotSavedError(new_token) from None
            return updated

    def _rotate(
        self,
        profile: Profile,
        current: SellerRecord,
        http: httpx.Client,
        cancellation: Cancellation | None,
    ) -> TokenSet:
        """One refresh request (the caller holds the lock), marked in the keyring while sent."""
        if current.needs_reauthorization:
            raise ReauthorizationRequiredError(
                reauthorization_message(current), interrupted=current.refresh_interrupted
            )
        if not current.token.refresh_token:
            raise ReauthorizationRequiredError(
                f"The token of {_who(current)} has no refresh token (the 'offline' scope was not "
                "granted); authorize again in tiki-gui."
            )
        client = self._token_client(profile, http)
        # Written before sending: a crash after the server rotated leaves this mark behind.
        self.secrets.save_seller(
            profile.name, dataclasses.replace(current, refresh_sent_at=self._now())
        )
        try:
            return client.refresh(current.token, cancellation=cancellation)
        except OAuthError as exc:
            if exc.error != "invalid_grant":
                self._restore(profile.name, current)
                raise
            flagged = dataclasses.replace(current, needs_reauthorization=True)
            with suppress(KeyringUnavailableError):  # the refusal matters more than the flag
                self.secrets.save_seller(profile.name, flagged)
            raise ReauthorizationRequiredError(
                reauthorization_message(current, refused_now=True),
                exc,
                interrupted=current.refresh_interrupted,
            ) from exc
        except Exception as exc:
            if surely_not_rotated(exc):
                self._restore(profile.name, current)
            raise

    def _restore(self, profile_name: str, record: SellerRecord) -> None:
        """Put back the record as it was before the mark (the server rotated nothing)."""
        with suppress(KeyringUnavailableError):  # the request's failure matters more
            self.secrets.save_seller(profile_name, record)
