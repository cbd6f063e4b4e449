"""The token model: what a successful token response (RFC 6749 5.1) becomes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tiki_gui.core.errors import MalformedResponseError, ValidationError
from tiki_gui.core.scopes import split_scope

__all__ = ["MAX_TOKEN_LENGTH", "TokenSet", "is_token_text", "token_set_from_response"]

MAX_TOKEN_LENGTH = 8192
"""Longest access or refresh token accepted (Hydra's are under 100 characters; a JWT a few KB)."""


def is_token_text(value: str) -> bool:
    """True for a token that is safe to store, print and put in a header.

    RFC 6749 (appendix A.12, A.13) allows VSCHAR (printable ASCII) in tokens; a space is refused
    too, as no real token has one and ``Bearer`` headers split on it. So: 1 to
    :data:`MAX_TOKEN_LENGTH` characters from ``!`` (0x21) to ``~`` (0x7E): no newline, CR,
    escape, NUL or other control character can ride along into a keyring, a terminal or a header.
    """
    return 0 < len(value) <= MAX_TOKEN_LENGTH and all("!" <= ch <= "~" for ch in value)


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TokenSet:
    """Tokens from one token response. Times are aware and in UTC; secrets stay out of ``repr``.

    ``expires_at`` is None when the server gave no ``expires_in``; ``scope`` is None when it gave
    no ``scope``. Tokens are opaque strings: never parse them.
    """

    access_token: str = field(repr=False)
    token_type: str
    obtained_at: datetime
    expires_at: datetime | None
    refresh_token: str | None = field(default=None, repr=False)
    scope: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.access_token:
            raise ValueError("access_token must not be empty")
        object.__setattr__(self, "token_type", self.token_type.lower())
        object.__setattr__(self, "obtained_at", _require_aware(self.obtained_at, "obtained_at"))
        if self.expires_at is not None:
            object.__setattr__(self, "expires_at", _require_aware(self.expires_at, "expires_at"))
        if self.scope is not None:
            object.__setattr__(self, "scope", tuple(self.scope))

    def is_expired(self, now: datetime | None = None, *, leeway: timedelta = timedelta(0)) -> bool:
        """True once ``now + leeway`` reaches ``expires_at``; always False without an expiry."""
        if self.expires_at is None:
            return False
        current = datetime.now(UTC) if now is None else _require_aware(now, "now")
        return current + leeway >= self.expires_at

    def expires_in(self, now: datetime | None = None) -> timedelta | None:
        """Time left until ``expires_at`` (negative once expired), None without an expiry."""
        if self.expires_at is None:
            return None
        current = datetime.now(UTC) if now is None else _require_aware(now, "now")
        return self.expires_at - current

    @property
    def authorization_header(self) -> str:
        """The value of the ``Authorization`` header for API calls: ``Bearer <access token>``."""
        return f"Bearer {self.access_token}"

    def to_json_dict(self) -> dict[str, object]:
        """A JSON-serialisable dict (ISO 8601 datetimes) for storage; see :meth:`from_json_dict`."""
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "obtained_at": self.obtained_at.isoformat(),
            "expires_at": None if self.expires_at is None else self.expires_at.isoformat(),
            "refresh_token": self.refresh_token,
            "scope": None if self.scope is None else list(self.scope),
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, object]) -> TokenSet:
        """Rebuild a token set from :meth:`to_json_dict`; ValidationError if the data is damaged."""
        try:
            access_token = data["access_token"]
            token_type = data["token_type"]
            refresh_token = data.get("refresh_token")
            scope = data.get("scope")
            if not isinstance(access_token, str) or not access_token:
                raise ValueError("access_token")
            if not isinstance(token_type, str) or not token_type:
                raise ValueError("token_type")
            if refresh_token is not None and not isinstance(refresh_token, str):
                raise ValueError("refresh_token")
            if scope is not None and not (
                isinstance(scope, list | tuple) and all(isinstance(s, str) for s in scope)
            ):
                raise ValueError("scope")
            return cls(
                access_token=access_token,
                token_type=token_type,
                obtained_at=_parse_time(data["obtained_at"], "obtained_at"),
                expires_at=(
                    None
                    if data.get("expires_at") is None
                    else _parse_time(data["expires_at"], "expires_at")
                ),
                refresh_token=refresh_token or None,
                scope=None if scope is None else tuple(scope),
            )
        except (KeyError, TypeError, ValueError) as exc:
            field_name = exc.args[0] if exc.args and isinstance(exc.args[0], str) else "data"
            field_name = field_name if field_name in _FIELDS else "data"
            raise ValidationError(
                f"The stored token set is damaged ({field_name} is missing or invalid)."
            ) from None


_FIELDS = frozenset(
    {"access_token", "token_type", "obtained_at", "expires_at", "refresh_token", "scope"}
)


def _parse_time(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(name)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(name) from None
    if parsed.tzinfo is None:
        raise ValueError(name)
    return parsed.astimezone(UTC)


_MAX_EXPIRES_IN = 10**10  # about 317 years; larger values overflow datetime arithmetic


def _malformed(problem: str, body: Mapping[str, object]) -> MalformedResponseError:
    # The excerpt names the fields present, never their values (they hold the new tokens).
    keys = ", ".join(sorted(str(k) for k in body))[:120]
    return MalformedResponseError(f"The token response {problem}", excerpt=f"fields: {keys}"[:120])


_UNSAFE = (
    "has an {name} that is not a token: longer than "
    f"{MAX_TOKEN_LENGTH} characters, or with spaces, line breaks or control characters "
    "(refused, nothing was stored)"
)


def token_set_from_response(body: Mapping[str, object], *, received_at: datetime) -> TokenSet:
    """Turn a token endpoint's JSON object into a :class:`TokenSet`.

    ``expires_at`` is ``received_at + expires_in``; ``token_type`` is compared case-insensitively
    (stored lower-cased). Raises :class:`MalformedResponseError` for a missing or wrongly typed
    ``access_token``, ``token_type``, ``expires_in``, ``refresh_token`` or ``scope``, and for an
    access or refresh token that fails :func:`is_token_text` (so it is never stored or printed).
    """
    received = _require_aware(received_at, "received_at")
    access_token = body.get("access_token")
    if not isinstance(access_token, str) or not access_token:
        raise _malformed("has no access_token", body)
    if not is_token_text(access_token):
        raise _malformed(_UNSAFE.format(name="access_token"), body)
    token_type = body.get("token_type")
    if not isinstance(token_type, str) or not token_type.strip():
        raise _malformed("has no token_type", body)
    expires_in = body.get("expires_in")
    seconds: float | None
    if expires_in is None:
        seconds = None
    elif isinstance(expires_in, bool) or not isinstance(expires_in, int | float | str):
        raise _malformed("has an expires_in that is not a number", body)
    else:
        try:
            seconds = float(expires_in)
        except (ValueError, OverflowError):  # OverflowError: an int of hundreds of digits
            raise _malformed("has an expires_in that is not a number", body) from None
        if not math.isfinite(seconds) or not 0 <= seconds <= _MAX_EXPIRES_IN:
            raise _malformed("has a negative or impossibly large expires_in", body)
    refresh_token = body.get("refresh_token")
    if refresh_token is not None and not isinstance(refresh_token, str):
        raise _malformed("has a refresh_token that is not a string", body)
    if refresh_token and not is_token_text(refresh_token):
        raise _malformed(_UNSAFE.format(name="refresh_token"), body)
    scope = body.get("scope")
    if scope is not None and not isinstance(scope, str):
        raise _malformed("has a scope that is not a string", body)
    return TokenSet(
        access_token=access_token,
        token_type=token_type.strip().lower(),
        obtained_at=received,
        expires_at=None if seconds is None else received + timedelta(seconds=seconds),
        refresh_token=refresh_token or None,
        scope=None if scope is None else split_scope(scope),
    )
