"""What the untrusted-server tests share: the secrets they watch for and a token client."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tiki_gui.core.client_auth import ClientCredentials
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet

__all__ = ["ACCESS", "REFRESH", "SECRET", "old_token", "token_client"]

SECRET = "probe-secret-0123456789"
ACCESS = "ory_at_accessToken0123456789.sig"
REFRESH = "ory_rt_refreshToken0123456789.sig"


def token_client(url: str, http: httpx.Client, *, deadline: float = 30.0) -> TokenClient:
    """A token client of the server at ``url`` (its ``/sc/oauth2/token``)."""
    return TokenClient(
        url + "/sc/oauth2/token", ClientCredentials("client", SECRET), http, deadline=deadline
    )


def old_token() -> TokenSet:
    """A token pair to refresh."""
    return TokenSet(ACCESS, "bearer", datetime.now(UTC), None, refresh_token=REFRESH)
