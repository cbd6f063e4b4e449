"""Tiki's seller API refusals in words: what an error status means and what to do next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Refusal", "RefusalKind", "explain_refusal"]


class RefusalKind(StrEnum):
    """Why Tiki did not answer with a success."""

    UNAUTHORIZED = "unauthorized"  # 401
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    RATE_LIMITED = "rate_limited"  # 429
    CLIENT_ERROR = "client_error"  # other 4xx
    SERVER_ERROR = "server_error"  # 5xx
    UNEXPECTED = "unexpected"  # 1xx/3xx


@dataclass(frozen=True, slots=True)
class Refusal:
    """Tiki's refusal in words: what happened, what to do, and whether a retry makes sense."""

    kind: RefusalKind
    status_code: int
    explanation: str
    messages: tuple[str, ...] = ()
    offer_refresh: bool = False
    may_retry: bool = False
    retry_after: float | None = None


def explain_refusal(
    status_code: int,
    messages: Sequence[str] = (),
    *,
    required_scope: str | None = None,
    retry_after: float | None = None,
) -> Refusal:
    """Explain an error status of Tiki's seller API (``required_scope``: what the call needs)."""
    messages = tuple(messages)
    said = " ".join(messages).lower()
    if status_code == 401:
        if "expired" in said:
            text = "The access token has expired."
        elif "revoked" in said:
            text = "The access token was revoked (it was refreshed or its chain was revoked)."
        elif "not linked" in said:
            text = "This token is not linked to a seller (an app token from client credentials)."
        else:
            text = "Tiki did not accept the access token: it is missing, invalid or expired."
        return Refusal(
            RefusalKind.UNAUTHORIZED,
            status_code,
            text + " Refresh the token (or authorize again) and send the request again.",
            messages,
            offer_refresh=True,
        )
    if status_code == 403:
        if "inactive" in said:
            text = "The seller is inactive on Tiki: its data cannot be read through the API."
        else:
            needed = f"the '{required_scope}' scope" if required_scope else "the scope it needs"
            text = (
                f"Tiki refused the call: the token was not granted {needed}, or the app is not "
                "approved for that scope in Tiki's console. Authorize again with the scope once "
                "the app may request it. Sending again unchanged will not help."
            )
        return Refusal(RefusalKind.FORBIDDEN, status_code, text, messages)
    if status_code == 429:
        wait = f" Wait {retry_after:g} s, then retry." if retry_after is not None else ""
        return Refusal(
            RefusalKind.RATE_LIMITED,
            status_code,
            "Too many requests: Tiki allows about 200 requests per second per seller." + wait,
            messages,
            may_retry=True,
            retry_after=retry_after,
        )
    if status_code == 404:
        kind, text = RefusalKind.NOT_FOUND, "No such resource: check the path under the API base."
    elif status_code == 405:
        kind, text = RefusalKind.METHOD_NOT_ALLOWED, "Tiki does not allow this method on the path."
    elif 400 <= status_code < 500:
        kind = RefusalKind.CLIENT_ERROR
        text = "Tiki refused the request as sent: fix it before sending again (no retry on 4xx)."
    elif status_code >= 500:
        return Refusal(
            RefusalKind.SERVER_ERROR,
            status_code,
            "Tiki failed to answer this request; trying again later may work.",
            messages,
            may_retry=True,
        )
    else:
        kind, text = RefusalKind.UNEXPECTED, "An answer that is neither a success nor an error."
    return Refusal(kind, status_code, text, messages)
