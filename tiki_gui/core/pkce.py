"""Proof Key for Code Exchange, S256 only (RFC 7636; Hydra supports S256 only)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field

from tiki_gui.core.errors import ValidationError

__all__ = ["Pkce", "s256_challenge"]

_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def s256_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(verifier)))`` without padding (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(frozen=True, slots=True)
class Pkce:
    """A verifier (secret, kept for the token request) and the challenge sent with the request."""

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"

    def __post_init__(self) -> None:
        if _VERIFIER.fullmatch(self.verifier) is None:
            raise ValidationError(
                "A PKCE code verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', "
                "'_' or '~' (RFC 7636 4.1)."
            )
        if self.method != "S256":
            raise ValidationError("Only the S256 PKCE method is supported.")
        if self.challenge != s256_challenge(self.verifier):
            raise ValidationError("The PKCE code challenge does not belong to the verifier.")

    @classmethod
    def generate(cls) -> Pkce:
        """A fresh pair from 32 random bytes (a 43-character verifier)."""
        return cls.from_verifier(secrets.token_urlsafe(32))

    @classmethod
    def from_verifier(cls, verifier: str) -> Pkce:
        """The pair for a given verifier (for tests and RFC vectors)."""
        if _VERIFIER.fullmatch(verifier) is None:
            raise ValidationError(
                "A PKCE code verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', "
                "'_' or '~' (RFC 7636 4.1)."
            )
        return cls(verifier=verifier, challenge=s256_challenge(verifier))
