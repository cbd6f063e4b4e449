"""The sandbox's memory: login/consent flows, codes, tokens, their chains, and its clock.

Everything is guarded by one lock, and each grant is checked and written in one critical section,
so two concurrent uses of a code or refresh token cannot both succeed. Every code exchange starts
a *family*; refreshes stay in it. Reusing a code or a rotated refresh token revokes the family.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tiki_gui.sandbox import pkce
from tiki_gui.sandbox.errors import OAuthFailure

__all__ = [
    "AccessToken",
    "Clock",
    "Flow",
    "FlowStage",
    "IssuedTokens",
    "SandboxStore",
]

OFFLINE_SCOPES = frozenset({"offline", "offline_access"})


class Clock:
    """UTC now, shifted by ``advance`` so tests can expire things without sleeping."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += timedelta(seconds=seconds)


def _handle(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def _token(prefix: str) -> str:
    return f"{prefix}{secrets.token_urlsafe(32)}.{secrets.token_urlsafe(32)}"


class FlowStage(StrEnum):
    """Where a login/consent flow stands; each stage has its own single-use handle."""

    LOGIN = "login_challenge"
    LOGIN_DONE = "login_verifier"
    CONSENT = "consent_challenge"
    CONSENT_DONE = "consent_verifier"


@dataclass(frozen=True, slots=True)
class Flow:
    """A validated authorization request on its way through login and consent."""

    stage: FlowStage
    handle: str = field(repr=False)
    csrf: str = field(repr=False)
    client_id: str
    redirect_uri: str
    redirect_uri_sent: bool
    state: str = field(repr=False)
    scopes: tuple[str, ...]
    code_challenge: str | None = field(repr=False)
    auth_query: str = field(repr=False)
    requested_at: datetime
    subject: str | None = None
    allowed: bool = False


@dataclass(frozen=True, slots=True)
class _Grant:
    """What a code and the tokens issued for it share: who got it, for what, until when, and the
    family (the chain that one code starts) it belongs to."""

    client_id: str
    subject: str | None
    scopes: tuple[str, ...]
    expires_at: datetime
    family: str


@dataclass(frozen=True, slots=True)
class _Code(_Grant):
    redirect_uri: str | None
    code_challenge: str | None = field(repr=False)
    used: bool = False


@dataclass(frozen=True, slots=True)
class AccessToken(_Grant):
    """What the server knows about one access token (the token string is the dict key)."""

    revoked: bool = False


class _RefreshStatus(StrEnum):
    ACTIVE = "active"
    ROTATED = "rotated"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class _Refresh(_Grant):
    access_token: str = field(repr=False)
    status: _RefreshStatus = _RefreshStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    """A successful grant: what the token endpoint writes back."""

    access_token: str = field(repr=False)
    expires_in: int
    refresh_token: str | None = field(repr=False)
    scopes: tuple[str, ...]


class SandboxStore:
    """Flows, codes and tokens behind one lock, with Hydra's lifetimes and revocation rules."""

    def __init__(
        self,
        *,
        code_lifetime: float,
        access_token_lifetime: float,
        refresh_token_lifetime: float,
        flow_lifetime: float,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock or Clock()
        self.code_lifetime = timedelta(seconds=code_lifetime)
        self.access_token_lifetime = timedelta(seconds=access_token_lifetime)
        self.refresh_token_lifetime = timedelta(seconds=refresh_token_lifetime)
        self.flow_lifetime = timedelta(seconds=flow_lifetime)
        self.lock = threading.RLock()
        self._flows: dict[str, Flow] = {}
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, _Refresh] = {}

    # -- login / consent flows ------------------------------------------------------------------

    def begin_flow(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        redirect_uri_sent: bool,
        state: str,
        scopes: tuple[str, ...],
        code_challenge: str | None,
        auth_query: str,
    ) -> Flow:
        """Remember a validated authorization request; returns it with its login challenge."""
        flow = Flow(
            stage=FlowStage.LOGIN,
            handle=_handle(),
            csrf=_handle(),
            client_id=client_id,
            redirect_uri=redirect_uri,
            redirect_uri_sent=redirect_uri_sent,
            state=state,
            scopes=scopes,
            code_challenge=code_challenge,
            auth_query=auth_query,
            requested_at=self.clock.now(),
        )
        with self.lock:
            self._flows[flow.handle] = flow
        return flow

    def find_flow(self, handle: str, stage: FlowStage) -> Flow | None:
        """The flow whose current handle is ``handle`` at ``stage``, if any."""
        with self.lock:
            flow = self._flows.get(handle)
        return flow if flow is not None and flow.stage is stage else None

    def flow_expired(self, flow: Flow) -> bool:
        return self.clock.now() >= flow.requested_at + self.flow_lifetime

    def advance_flow(
        self, flow: Flow, stage: FlowStage, *, subject: str | None = None, allowed: bool = False
    ) -> Flow | None:
        """Move ``flow`` to ``stage`` under a fresh handle; None if that step was already taken."""
        new = replace(
            flow, stage=stage, handle=_handle(), subject=subject or flow.subject, allowed=allowed
        )
        with self.lock:
            if self._flows.pop(flow.handle, None) is None:
                return None
            self._flows[new.handle] = new
        return new

    def end_flow(self, flow: Flow) -> bool:
        """Forget ``flow``; False if it was already gone (a replayed step)."""
        with self.lock:
            return self._flows.pop(flow.handle, None) is not None

    def issue_code(self, flow: Flow) -> str:
        """Turn a consented flow into a single-use authorization code."""
        if flow.subject is None:
            raise ValueError("flow has no signed-in subject")
        code = _token("ory_ac_")
        record = _Code(
            client_id=flow.client_id,
            redirect_uri=flow.redirect_uri if flow.redirect_uri_sent else None,
            scopes=flow.scopes,
            subject=flow.subject,
            code_challenge=flow.code_challenge,
            expires_at=self.clock.now() + self.code_lifetime,
            family=_handle("family_"),
        )
        with self.lock:
            self._codes[code] = record
        return code

    # -- grants ---------------------------------------------------------------------------------

    def redeem_code(
        self,
        code: str,
        *,
        client_id: str,
        redirect_uri: str | None,
        code_verifier: str | None,
        may_refresh: bool,
    ) -> IssuedTokens:
        """The authorization_code grant; raises OAuthFailure as Hydra answers."""
        with self.lock:
            record = self._codes.get(code)
            if record is None:
                raise OAuthFailure(
                    "invalid_grant", "The authorization code is not valid or does not exist."
                )
            if record.used:
                self._revoke_family(record.family)
                raise OAuthFailure("invalid_grant", "The authorization code has already been used.")
            if self.clock.now() >= record.expires_at:
                raise OAuthFailure("invalid_grant", "The authorization code has expired.")
            if record.client_id != client_id:
                raise OAuthFailure(
                    "invalid_grant",
                    "The OAuth 2.0 Client ID from this request does not match the one from the "
                    "authorize request.",
                )
            if record.redirect_uri is not None and redirect_uri != record.redirect_uri:
                raise OAuthFailure(
                    "invalid_grant",
                    "The 'redirect_uri' from this request does not match the one from the "
                    "authorize request.",
                )
            pkce.verify(record.code_challenge, code_verifier)
            self._codes[code] = replace(record, used=True)
            return self._issue(
                client_id, record.subject, record.scopes, record.family, may_refresh=may_refresh
            )

    def rotate_refresh_token(self, token: str, *, client_id: str) -> IssuedTokens:
        """The refresh_token grant: a new pair, the old pair revoked at once."""
        with self.lock:
            record = self._refresh.get(token)
            if record is None:
                raise OAuthFailure(
                    "invalid_grant", "The refresh token is not valid or does not exist."
                )
            if record.status is _RefreshStatus.ROTATED:
                self._revoke_family(record.family)
                raise OAuthFailure("invalid_grant", "The refresh token was already used.")
            if record.status is _RefreshStatus.REVOKED:
                raise OAuthFailure("invalid_grant", "The refresh token has been revoked.")
            if self.clock.now() >= record.expires_at:
                raise OAuthFailure("invalid_grant", "The refresh token has expired.")
            if record.client_id != client_id:
                raise OAuthFailure(
                    "invalid_grant",
                    "The OAuth 2.0 Client ID from this request does not match the ID during the "
                    "initial token issuance.",
                )
            self._refresh[token] = replace(record, status=_RefreshStatus.ROTATED)
            old_access = self._access.get(record.access_token)
            if old_access is not None:
                self._access[record.access_token] = replace(old_access, revoked=True)
            return self._issue(
                client_id, record.subject, record.scopes, record.family, may_refresh=True
            )

    def issue_client_credentials(self, client_id: str, scopes: tuple[str, ...]) -> IssuedTokens:
        """The client_credentials grant: an access token linked to no seller, no refresh token."""
        with self.lock:
            return self._issue(client_id, None, scopes, _handle("family_"), may_refresh=False)

    def _issue(
        self,
        client_id: str,
        subject: str | None,
        scopes: tuple[str, ...],
        family: str,
        *,
        may_refresh: bool,
    ) -> IssuedTokens:
        now = self.clock.now()
        access = _token("ory_at_")
        self._access[access] = AccessToken(
            client_id=client_id,
            subject=subject,
            scopes=scopes,
            expires_at=now + self.access_token_lifetime,
            family=family,
        )
        refresh: str | None = None
        if may_refresh and OFFLINE_SCOPES.intersection(scopes):
            refresh = _token("ory_rt_")
            self._refresh[refresh] = _Refresh(
                client_id=client_id,
                subject=subject,
                scopes=scopes,
                expires_at=now + self.refresh_token_lifetime,
                family=family,
                access_token=access,
            )
        return IssuedTokens(
            access_token=access,
            expires_in=int(self.access_token_lifetime.total_seconds()),
            refresh_token=refresh,
            scopes=scopes,
        )

    def _revoke_family(self, family: str) -> None:
        for token, access in self._access.items():
            if access.family == family and not access.revoked:
                self._access[token] = replace(access, revoked=True)
        for token, refresh in self._refresh.items():
            if refresh.family == family and refresh.status is _RefreshStatus.ACTIVE:
                self._refresh[token] = replace(refresh, status=_RefreshStatus.REVOKED)

    # -- resource server ------------------------------------------------------------------------

    def check_access_token(self, token: str) -> AccessToken:
        """The live access token record, or ValueError with the reason the API gives."""
        with self.lock:
            record = self._access.get(token)
        if record is None:
            raise ValueError("access token is invalid")
        if record.revoked:
            raise ValueError("access token has been revoked")
        if self.clock.now() >= record.expires_at:
            raise ValueError("access token has expired")
        return record
