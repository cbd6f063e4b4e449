"""When to try a failed refresh again, how long to wait, and what a failure left behind: pure
helpers for the UI and the vault."""

from __future__ import annotations

from tiki_gui.core.errors import (
    ApiRateLimitedError,
    MalformedResponseError,
    OAuthError,
    RequestCancelledError,
    TransportError,
)

__all__ = ["backoff_delay", "is_retryable", "surely_not_rotated"]


def backoff_delay(attempt: int, *, base: float = 1.0, cap: float = 60.0) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry).

    Exponential (1, 2, 4, 8, ... seconds with the defaults), never more than ``cap``. Pure and
    deterministic, so callers and tests can rely on it; add jitter at the call site if wanted.
    """
    if attempt < 0:
        raise ValueError("attempt must be 0 or more")
    if base <= 0 or cap <= 0:
        raise ValueError("base and cap must be positive")
    # Avoid huge powers: past the cap the answer is the cap.
    if attempt >= 64:
        return float(cap)
    return float(min(cap, base * (2**attempt)))


def is_retryable(error: BaseException) -> bool:
    """True for failures worth retrying later: network errors, 5xx answers, rate limiting.

    OAuth 4xx errors (``invalid_grant``, ``invalid_client``, ...) are not: retrying cannot help,
    and a refresh token must never be sent again blindly.
    """
    if isinstance(error, RequestCancelledError):
        return False  # the user stopped it
    if isinstance(error, TransportError | ApiRateLimitedError):
        return True
    if isinstance(error, OAuthError | MalformedResponseError):
        return error.status_code is not None and error.status_code >= 500
    return False


def surely_not_rotated(error: BaseException) -> bool:
    """True if a refresh that failed with ``error`` cannot have rotated the refresh token.

    So when the server answered with an error (an OAuth error, an error status) or the request
    never left (no connection, cancelled before sending). A timeout, a cancel under way, or a
    broken or unreadable success may hide a rotation: False.
    """
    if isinstance(error, OAuthError):
        return True
    if isinstance(error, TransportError):
        return not error.maybe_sent
    if isinstance(error, MalformedResponseError):
        return error.status_code is not None and error.status_code >= 400
    return False
