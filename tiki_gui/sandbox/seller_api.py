"""``GET /integration/v2/sellers/me``: the seller an access token was issued for.

Errors use Tiki's API shape ``{"errors": [...]}``: 401 for a missing, unknown, expired or revoked
token and for a token linked to no seller (client credentials), 403 for an inactive seller.
"""

from __future__ import annotations

import hashlib

from tiki_gui.sandbox.messages import Request, Response, json_response
from tiki_gui.sandbox.store import SandboxStore

__all__ = ["SELLERS_ME_PATH", "SellerApi", "seller_for"]

SELLERS_ME_PATH = "/integration/v2/sellers/me"


def seller_for(username: str) -> dict[str, object]:
    """The seller a username signs in as: stable id and sid derived from a hash of the name."""
    digest = hashlib.sha256(username.encode("utf-8")).digest()
    seller_id = int.from_bytes(digest[:4], "big") % 9_000_000 + 1_000_000
    return {
        "id": seller_id,
        "sid": digest[4:10].hex().upper(),
        "name": username,
        "active": not username.lower().startswith("inactive"),
        "logo": None,
        "operation_models": ["dropship"],
        "can_update_product": True,
        "registration_status": "completed",
        "live_at": "2021-06-01 08:00:00",
    }


def _error(status: int, message: str) -> Response:
    headers: tuple[tuple[str, str], ...] = ()
    if status == 401:
        headers = (("WWW-Authenticate", 'Bearer realm="tiki-sandbox"'),)
    return json_response(status, {"errors": [message]}, headers=headers)


class SellerApi:
    """The one resource endpoint the sandbox serves."""

    def __init__(self, store: SandboxStore) -> None:
        self._store = store

    def me(self, request: Request) -> Response:
        if request.method != "GET":
            return json_response(
                405, {"errors": ["method not allowed"]}, headers=(("Allow", "GET"),)
            )
        authorization = request.header("authorization") or ""
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return _error(401, "access token is missing: send 'Authorization: Bearer <token>'")
        try:
            record = self._store.check_access_token(token)
        except ValueError as exc:
            return _error(401, str(exc))
        if record.subject is None:
            return _error(401, "token is not linked to a seller")
        seller = seller_for(record.subject)
        if not seller["active"]:
            return _error(403, "seller is inactive")
        return json_response(200, seller)
