"""What the credentials form holds, as plain data: one typed, immutable value that can be checked,
turned into an authorization request, and (later) stored in a profile.

Qt-free on purpose. ``httpx`` is not imported here (``tiki_gui.core.client_auth`` imports it), so
building the form costs nothing: the auth method is kept as its RFC 7591 name and turned into
:class:`tiki_gui.core.client_auth.ClientCredentials` only when a token request is about to be made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.endpoints import TIKI_PRODUCTION, validate_url
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.scopes import parse_scope

if TYPE_CHECKING:
    from tiki_gui.core.client_auth import ClientCredentials

__all__ = [
    "AUTH_METHOD_LABELS",
    "DEFAULT_SCOPE",
    "AuthMethodName",
    "ClientConfig",
    "FieldProblem",
]

AuthMethodName = Literal["client_secret_basic", "client_secret_post"]

AUTH_METHOD_LABELS: Final[dict[AuthMethodName, str]] = {
    "client_secret_basic": "Basic header",
    "client_secret_post": "Request body",
}
"""Tiki's words for the two methods (the same as ``AuthMethod.label``; checked by a test)."""

DEFAULT_SCOPE: Final = "offline product order"
"""``offline`` for a refresh token, plus the two scopes almost every integration needs."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one field cannot be used. ``field`` is the field's objectName in the form."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """An app's registration and where to reach Tiki: everything one authorization flow needs.

    Values are kept as typed (URLs stripped by :meth:`problems` checks, not here), so the form can
    round-trip them; :meth:`problems` says what is wrong, in field order.
    """

    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    redirect_uri: str = ""
    scope: str = DEFAULT_SCOPE
    auth_method: AuthMethodName = "client_secret_basic"
    authorization_endpoint: str = TIKI_PRODUCTION.authorization_endpoint
    token_endpoint: str = TIKI_PRODUCTION.token_endpoint
    api_base: str = TIKI_PRODUCTION.api_base
    use_pkce: bool = False
    grant: Literal["authorization_code", "client_credentials"] = "authorization_code"
    sign_in: Literal["embedded", "loopback", "paste"] = "embedded"
    """Where the seller signs in: the embedded browser, or the system browser (loopback / paste)."""
    browser_session: Literal["fresh", "remember"] = "fresh"
    """Embedded browser: a fresh cookie store every flow, or the profile's remembered login."""
    issuer: str = ""
    """Expected ``iss`` in the redirect (RFC 9207); empty: not checked."""

    def problems(self) -> tuple[FieldProblem, ...]:
        """Every field that cannot be used, with a sentence for the person who typed it."""
        found: list[FieldProblem] = []

        def check(name: str, message: str | None) -> None:
            if message is not None:
                found.append(FieldProblem(name, message))

        check("client_id", _client_id_problem(self.client_id))
        check("client_secret", _secret_problem(self.client_secret))
        if self.grant == "authorization_code":
            check("redirect_uri", _url_problem(self.redirect_uri, "Redirect URI"))
            if self.sign_in == "loopback" and not _url_problem(self.redirect_uri, "Redirect URI"):
                check("redirect_uri", _loopback_problem(self.redirect_uri))
        check("scope", _scope_problem(self.scope))
        check(
            "authorization_endpoint",
            _url_problem(self.authorization_endpoint, "Authorization endpoint"),
        )
        check("token_endpoint", _url_problem(self.token_endpoint, "Token endpoint"))
        check("api_base", _url_problem(self.api_base, "API base URL"))
        if self.issuer.strip():
            check("issuer", _url_problem(self.issuer, "Issuer"))
        return tuple(found)

    @property
    def is_valid(self) -> bool:
        return not self.problems()

    def authorization_request(self) -> AuthorizationRequest:
        """A fresh request (new state, new PKCE pair if enabled); ValidationError if invalid."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems[0].message)
        return AuthorizationRequest.create(
            self.authorization_endpoint.strip(),
            self.client_id.strip(),
            self.redirect_uri.strip(),
            self.scope,
            use_pkce=self.use_pkce,
        )

    def credentials(self) -> ClientCredentials:
        """The client's credentials for the token endpoint (imports ``httpx`` on first use)."""
        from tiki_gui.core.client_auth import AuthMethod, ClientCredentials

        return ClientCredentials(
            client_id=self.client_id.strip(),
            client_secret=self.client_secret,
            method=AuthMethod(self.auth_method),
        )


def _client_id_problem(value: str) -> str | None:
    text = value.strip()
    if not text:
        return "Client ID is required"
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return "Client ID must not contain spaces or line breaks"
    return None


def _secret_problem(value: str) -> str | None:
    if not value:
        return "Client secret is required"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "Client secret contains a line break or control character (pasted extra text?)"
    return None


def _url_problem(value: str, what: str) -> str | None:
    if not value.strip():
        return f"{what} is required"
    try:
        validate_url(value, what=what)
    except ValidationError as exc:
        return str(exc)
    return None


def _loopback_problem(value: str) -> str | None:
    from tiki_gui.signin.address import is_loopback_redirect_uri

    if is_loopback_redirect_uri(value.strip()):
        return None
    return (
        "Receiving the redirect on this computer needs a loopback redirect URI such as "
        "http://127.0.0.1:8765/callback (or http://[::1]:8765/callback); for this redirect URI "
        'choose "Paste the redirect URL" instead'
    )


def _scope_problem(value: str) -> str | None:
    try:
        parse_scope(value)
    except ValidationError as exc:
        return str(exc)
    return None
