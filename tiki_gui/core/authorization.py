"""The authorization request (RFC 6749 4.1.1, RFC 7636 4.3): the URL the seller is sent to."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.fields import check_client_id
from tiki_gui.core.pkce import Pkce
from tiki_gui.core.scopes import format_scope, parse_scope

__all__ = ["MIN_STATE_LENGTH", "AuthorizationRequest", "make_state"]

MIN_STATE_LENGTH = 8
"""Hydra answers ``invalid_state`` to a shorter state."""


def make_state() -> str:
    """A fresh, unguessable state: ``secrets.token_urlsafe(32)`` (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def _scopes(scope: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(scope, str):
        return parse_scope(scope)
    return parse_scope(format_scope(scope))


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """One authorization code flow, from the URL sent out to the redirect that comes back.

    Keep it until the redirect arrives: :func:`tiki_gui.core.redirect.parse_redirect` checks the
    state against it, and the token request needs its ``redirect_uri`` and PKCE verifier.
    """

    authorization_endpoint: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str = field(repr=False)
    pkce: Pkce | None = None

    def __post_init__(self) -> None:
        validate_url(self.authorization_endpoint, what="Authorization endpoint")
        validate_url(self.redirect_uri, what="Redirect URI")
        if self.authorization_endpoint != self.authorization_endpoint.strip():
            raise ValidationError("Authorization endpoint must not start or end with spaces.")
        if self.redirect_uri != self.redirect_uri.strip():
            raise ValidationError("Redirect URI must not start or end with spaces.")
        if check_client_id(self.client_id) != self.client_id:
            raise ValidationError("Client ID must not start or end with spaces.")
        if not self.scopes:
            raise ValidationError("Request at least one scope, such as 'offline product order'.")
        format_scope(self.scopes)  # raises for commas, spaces, empty items
        if len(self.state) < MIN_STATE_LENGTH:
            raise ValidationError(
                f"The state must be at least {MIN_STATE_LENGTH} characters long (Tiki answers "
                "invalid_state otherwise); leave it empty to use a random one."
            )
        if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in self.state):
            raise ValidationError("The state must not contain spaces or control characters.")

    @classmethod
    def create(
        cls,
        authorization_endpoint: str,
        client_id: str,
        redirect_uri: str,
        scope: str | Iterable[str],
        *,
        use_pkce: bool = False,
        state: str | None = None,
    ) -> AuthorizationRequest:
        """Validate the inputs and make a request with a fresh state (and PKCE pair if asked).

        ``scope`` is user text (space-separated) or an iterable of single scopes. A given
        ``state`` must have at least 8 characters; None means a random 43-character one.
        """
        return cls(
            authorization_endpoint=validate_url(
                authorization_endpoint, what="Authorization endpoint"
            ),
            client_id=client_id.strip(),
            redirect_uri=validate_url(redirect_uri, what="Redirect URI"),
            scopes=_scopes(scope),
            state=make_state() if state is None else state,
            pkce=Pkce.generate() if use_pkce else None,
        )

    @property
    def scope(self) -> str:
        """The scopes as sent: space-separated."""
        return " ".join(self.scopes)

    @property
    def url(self) -> str:
        """The authorization endpoint with the request's query (any existing query is kept)."""
        parts = urlsplit(self.authorization_endpoint)
        params: dict[str, str] = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": self.state,
        }
        if self.pkce is not None:
            params["code_challenge"] = self.pkce.challenge
            params["code_challenge_method"] = self.pkce.method
        kept = [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key not in params
        ]
        query = urlencode([*kept, *params.items()], quote_via=quote)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
