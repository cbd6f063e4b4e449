"""When to try a failed refresh again, and how long to wait: pure helpers for the UI."""

from __future__ import annotations

from tiki_gui.core.errors import (
    ApiRateLimitedError,
    MalformedResponseError,
    OAuthError,
    TransportError,
)

__all__ = ["backoff_delay", "is_retryable"]


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
    if isinstance(error, TransportError | ApiRateLimitedError):
        return True
    if isinstance(error, OAuthError | MalformedResponseError):
        return error.status_code is not None and error.status_code >= 500
    return False
