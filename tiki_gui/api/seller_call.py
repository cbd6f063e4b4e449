"""Send a console request as a stored seller: its token attached, refreshed first when near expiry.

The token is never typed by hand: it comes from the :class:`~tiki_gui.storage.vault.TokenVault`,
and when it expires within :data:`~tiki_gui.api.console.REFRESH_LEEWAY` it is refreshed through
the vault (one refresh at a time per token, the new pair stored before the request is sent).
Runs on a worker thread, never on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from tiki_gui.api.console import (
    CONSOLE_MAX_BODY,
    REFRESH_LEEWAY,
    ApiRequest,
    ApiResult,
    WriteNotAllowedError,
    needs_refresh,
    send_api_request,
)
from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.observer import HttpObserver
from tiki_gui.storage.records import SellerRecord
from tiki_gui.storage.vault import TokenVault

__all__ = ["SellerCall", "send_as_seller"]


@dataclass(frozen=True, slots=True)
class SellerCall:
    """The answer, and the seller record whose token was sent (the new one after a refresh)."""

    record: SellerRecord
    refreshed: bool
    result: ApiResult


def send_as_seller(
    vault: TokenVault,
    profile_name: str,
    seller_id: int,
    http: httpx.Client,
    request: ApiRequest,
    *,
    allow_write: bool = False,
    required_scope: str | None = None,
    now: datetime | None = None,
    leeway: timedelta = REFRESH_LEEWAY,
    deadline: float | None = None,
    cancellation: Cancellation | None = None,
    max_body: int = CONSOLE_MAX_BODY,
    observer: HttpObserver | None = None,
) -> SellerCall:
    """Send ``request`` to the profile's API base with the seller's stored token.

    A write without ``allow_write`` raises :class:`WriteNotAllowedError` before anything else
    (no refresh, no request). Refresh failures are the vault's errors
    (:class:`~tiki_gui.storage.errors.ReauthorizationRequiredError`, ...), unchanged.
    """
    if request.is_write and not allow_write:
        raise WriteNotAllowedError(
            f"{request.method} changes data on Tiki (for real, on production): it is sent only "
            "when writes are switched on and confirmed."
        )
    profile = vault.profiles.get(profile_name)
    record = vault.get(profile_name, seller_id)
    refreshed = False
    if needs_refresh(record.token, now, leeway=leeway):
        old = record.token
        record = vault.refresh(
            profile_name,
            seller_id,
            http,
            started_from=old,
            min_remaining=leeway,
            cancellation=cancellation,
        )
        refreshed = record.token.access_token != old.access_token  # else: refreshed elsewhere
    result = send_api_request(
        http,
        profile.endpoints.api_base,
        request,
        record.token.access_token,
        allow_write=allow_write,
        required_scope=required_scope,
        deadline=deadline,
        cancellation=cancellation,
        max_body=max_body,
        observer=observer,
    )
    return SellerCall(record=record, refreshed=refreshed, result=result)
