"""What is kept per seller under a profile: the token set and its state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tiki_gui.core.tokens import TokenSet

__all__ = ["EXPIRING_WINDOW", "SellerRecord", "TokenStatus", "record_from_json", "record_to_json"]

EXPIRING_WINDOW = timedelta(minutes=5)
"""A token with less than this left is "expiring"."""

_RECORD_VERSION = 1


class TokenStatus(StrEnum):
    """The state of a seller's token, as a token manager shows it."""

    VALID = "valid"
    EXPIRING = "expiring"
    """Less than :data:`EXPIRING_WINDOW` (5 minutes) left."""
    EXPIRED = "expired"
    NEEDS_REAUTHORIZATION = "needs_reauthorization"
    """The server refused the refresh token (``invalid_grant``): authorize again."""

    @property
    def label(self) -> str:
        """Words for a person."""
        return _LABELS[self]


_LABELS = {
    TokenStatus.VALID: "Valid",
    TokenStatus.EXPIRING: "Expiring soon",
    TokenStatus.EXPIRED: "Expired",
    TokenStatus.NEEDS_REAUTHORIZATION: "Needs re-authorization",
}


@dataclass(frozen=True, slots=True)
class SellerRecord:
    """One seller's token under one profile.

    ``last_refresh`` is when the token was last refreshed (None if it was never refreshed since
    the authorization). ``needs_reauthorization`` is set when the server refused the refresh
    token; the token itself is kept. ``refresh_sent_at`` is set just before a refresh request is
    sent and cleared by the write of its result: found set later, it says that a refresh was
    interrupted (a crash, a lost answer) and the server may have rotated the pair we never got.
    ``repr`` never shows a token (TokenSet hides them).
    """

    seller_id: int
    seller_name: str
    token: TokenSet
    last_refresh: datetime | None = None
    needs_reauthorization: bool = False
    refresh_sent_at: datetime | None = None

    @property
    def refresh_interrupted(self) -> bool:
        """True if a refresh was sent and its outcome never stored (see ``refresh_sent_at``)."""
        return self.refresh_sent_at is not None

    def status(self, now: datetime | None = None) -> TokenStatus:
        """The status at ``now`` (default: the current time)."""
        if self.needs_reauthorization:
            return TokenStatus.NEEDS_REAUTHORIZATION
        now = now or datetime.now(UTC)
        if self.token.is_expired(now):
            return TokenStatus.EXPIRED
        if self.token.is_expired(now, leeway=EXPIRING_WINDOW):
            return TokenStatus.EXPIRING
        return TokenStatus.VALID

    @property
    def can_refresh(self) -> bool:
        """True if a refresh token is stored (client credentials tokens have none)."""
        return bool(self.token.refresh_token)


def record_to_json(record: SellerRecord) -> dict[str, object]:
    """JSON-ready data for the keyring entry (contains the tokens: keyring only)."""
    return {
        "version": _RECORD_VERSION,
        "seller_id": record.seller_id,
        "seller_name": record.seller_name,
        "token": record.token.to_json_dict(),
        "last_refresh": record.last_refresh.isoformat() if record.last_refresh else None,
        "needs_reauthorization": record.needs_reauthorization,
        "refresh_sent_at": record.refresh_sent_at.isoformat() if record.refresh_sent_at else None,
    }


def record_from_json(data: Mapping[str, object]) -> SellerRecord:
    """Parse :func:`record_to_json` output; raises ``ValueError`` (no secret in the message)."""
    seller_id = data.get("seller_id")
    seller_name = data.get("seller_name")
    token = data.get("token")
    last_refresh = data.get("last_refresh")
    needs = data.get("needs_reauthorization", False)
    sent_at = data.get("refresh_sent_at")
    if (
        not isinstance(seller_id, int)
        or isinstance(seller_id, bool)
        or not isinstance(seller_name, str)
        or not isinstance(token, Mapping)
        or not (last_refresh is None or isinstance(last_refresh, str))
        or not isinstance(needs, bool)
        or not (sent_at is None or isinstance(sent_at, str))
    ):
        raise ValueError("stored seller record has an unexpected shape")
    return SellerRecord(
        seller_id=seller_id,
        seller_name=seller_name,
        token=TokenSet.from_json_dict(dict(token)),
        last_refresh=_time(last_refresh),
        needs_reauthorization=needs,
        refresh_sent_at=_time(sent_at),
    )


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
