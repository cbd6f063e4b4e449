"""PKCE (RFC 7636) as Hydra enforces it: S256 only, verifier checked at the token endpoint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from tiki_gui.sandbox.errors import OAuthFailure

__all__ = ["check_challenge_method", "s256", "verify"]

_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def s256(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(verifier)))`` without padding (RFC 7636 section 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def check_challenge_method(method: str | None) -> None:
    """Raise invalid_request unless the authorization request asked for S256."""
    if method == "S256":
        return
    if not method or method == "plain":
        raise OAuthFailure(
            "invalid_request", "Clients must use code_challenge_method=S256, plain is not allowed."
        )
    raise OAuthFailure(
        "invalid_request", "The code_challenge_method is not supported, use S256 instead."
    )


def verify(challenge: str | None, verifier: str | None) -> None:
    """Raise invalid_grant unless ``verifier`` answers ``challenge`` (or neither was sent)."""
    if challenge is None:
        if verifier:
            raise OAuthFailure(
                "invalid_grant",
                "The PKCE code verifier was sent, but the authorization request carried no "
                "code challenge.",
            )
        return
    if not verifier:
        raise OAuthFailure(
            "invalid_grant",
            "The PKCE code verifier is missing: the authorization request carried a code "
            "challenge, so the token request must send code_verifier.",
        )
    if len(verifier) < 43:
        raise OAuthFailure(
            "invalid_grant", "The PKCE code verifier must be at least 43 characters."
        )
    if len(verifier) > 128:
        raise OAuthFailure(
            "invalid_grant", "The PKCE code verifier can not be longer than 128 characters."
        )
    if not _VERIFIER.fullmatch(verifier):
        raise OAuthFailure(
            "invalid_grant",
            "The PKCE code verifier must only contain [a-Z], [0-9], '-', '.', '_', '~'.",
        )
    if not hmac.compare_digest(s256(verifier), challenge):
        raise OAuthFailure(
            "invalid_grant", "The PKCE code challenge did not match the code verifier."
        )
