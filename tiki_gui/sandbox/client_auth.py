"""Client authentication at the token endpoint, enforced the way Hydra (fosite) does it.

RFC 6749 section 2.3.1: the Basic header carries ``base64(form_encode(id) ":" form_encode(secret))``
and the server form-decodes both parts, so a raw ``+`` in a secret turns into a space and a raw
``%`` that starts no valid escape is an error. A client may authenticate only with the method it
was registered with.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from tiki_gui.sandbox.clients import SandboxClient
from tiki_gui.sandbox.errors import OAuthFailure

__all__ = [
    "BasicCredentials",
    "authenticate_client",
    "form_decode",
    "parse_basic",
    "requested_method",
]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class BasicCredentials:
    """The two parts of a Basic header, still form-encoded."""

    raw_id: str
    raw_secret: str = field(repr=False)


def form_decode(value: str) -> str:
    """``application/x-www-form-urlencoded`` decoding; ValueError on a malformed ``%`` escape."""
    if _BAD_ESCAPE.search(value):
        raise ValueError("invalid percent-escape")
    return unquote_plus(value, errors="replace")


def parse_basic(authorization: str | None) -> BasicCredentials | None:
    """Split an ``Authorization: Basic ...`` header; None when absent or malformed (as Go does)."""
    if not authorization or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:], validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None
    raw_id, colon, raw_secret = decoded.partition(":")
    if not colon:
        return None
    return BasicCredentials(raw_id, raw_secret)


def requested_method(basic: BasicCredentials | None, form: Mapping[str, str]) -> str:
    """The authentication method a token request used: basic, post or none."""
    if basic is not None:
        return "client_secret_basic"
    if form.get("client_secret"):
        return "client_secret_post"
    return "none"


def _mismatch(supported: str, requested: str) -> OAuthFailure:
    return OAuthFailure(
        "invalid_client",
        f"The OAuth 2.0 Client supports client authentication method '{supported}', but method "
        f"'{requested}' was requested. You must configure the OAuth 2.0 client's "
        f"'token_endpoint_auth_method' value to accept '{requested}'.",
    )


def authenticate_client(
    clients: Mapping[str, SandboxClient], authorization: str | None, form: Mapping[str, str]
) -> SandboxClient:
    """Return the client a token request authenticates as, or raise the error Hydra gives."""
    basic = parse_basic(authorization)
    method = requested_method(basic, form)
    if basic is not None:
        try:
            client_id = form_decode(basic.raw_id)
        except ValueError:
            raise OAuthFailure(
                "invalid_request",
                "The client id in the HTTP authorization header could not be decoded from "
                "'application/x-www-form-urlencoded'.",
            ) from None
        try:
            secret = form_decode(basic.raw_secret)
        except ValueError:
            raise OAuthFailure(
                "invalid_request",
                "The client secret in the HTTP authorization header could not be decoded from "
                "'application/x-www-form-urlencoded'.",
            ) from None
    else:
        client_id = form.get("client_id", "")
        secret = form.get("client_secret", "")
        if not client_id:
            raise OAuthFailure(
                "invalid_request",
                "Client credentials missing or malformed in both HTTP Authorization header and "
                "HTTP POST body.",
            )
    client = clients.get(client_id)
    if client is None:
        raise OAuthFailure("invalid_client")
    registered = client.token_endpoint_auth_method
    if method != registered:
        raise _mismatch(registered, method)
    if registered == "client_secret_basic" and form.get("client_secret"):
        # The secret went both ways: fosite treats the body secret as a post attempt.
        raise _mismatch(registered, "client_secret_post")
    if not hmac.compare_digest(secret.encode("utf-8"), client.client_secret.encode("utf-8")):
        raise OAuthFailure("invalid_client")
    return client
