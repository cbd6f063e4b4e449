"""What the credentials form holds, as plain data: one typed, immutable value that can be checked,
turned into an authorization request, and (later) stored in a profile.

Qt-free on purpose. ``httpx`` is not imported here (``tiki_gui.core.client_auth`` imports it), so
building the form costs nothing: the options are the core's (:mod:`tiki_gui.core.options`), and
:class:`tiki_gui.core.client_auth.ClientCredentials` is made only when a token request is about to
be made. Each field is checked by the same function the profile and the core use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QCoreApplication

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.endpoints import TIKI_PRODUCTION, validate_url
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.fields import check_client_id, check_client_secret
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.core.scopes import parse_scope
from tiki_gui.ui.shared.core_text import core_text

if TYPE_CHECKING:
    from tiki_gui.core.client_auth import ClientCredentials

__all__ = [
    "DEFAULT_SCOPE",
    "ClientConfig",
    "FieldProblem",
]

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
    auth_method: AuthMethod = AuthMethod.CLIENT_SECRET_BASIC
    authorization_endpoint: str = TIKI_PRODUCTION.authorization_endpoint
    token_endpoint: str = TIKI_PRODUCTION.token_endpoint
    api_base: str = TIKI_PRODUCTION.api_base
    use_pkce: bool = False
    grant: Grant = Grant.AUTHORIZATION_CODE
    sign_in: SignIn = SignIn.EMBEDDED
    """Where the seller signs in: the embedded browser, or the system browser (loopback / paste)."""
    browser_session: BrowserSession = BrowserSession.FRESH
    """Embedded browser: a fresh cookie store every flow, or the profile's remembered login."""
    issuer: str = ""
    """Expected ``iss`` in the redirect (RFC 9207); empty: not checked."""

    def __post_init__(self) -> None:
        # The options are always the core's types (a plain string such as "loopback" is accepted).
        object.__setattr__(self, "auth_method", AuthMethod(self.auth_method))
        object.__setattr__(self, "grant", Grant(self.grant))
        object.__setattr__(self, "sign_in", SignIn(self.sign_in))
        object.__setattr__(self, "browser_session", BrowserSession(self.browser_session))

    def problems(self) -> tuple[FieldProblem, ...]:
        """Every field that cannot be used, with a sentence for the person who typed it."""
        found: list[FieldProblem] = []

        def check(name: str, message: str | None) -> None:
            if message is not None:
                found.append(FieldProblem(name, message))

        check("client_id", _problem(check_client_id, self.client_id))
        check("client_secret", _problem(check_client_secret, self.client_secret))
        if self.grant is Grant.AUTHORIZATION_CODE:
            check(
                "redirect_uri",
                _url_problem(
                    self.redirect_uri, QCoreApplication.translate("ClientConfig", "Redirect URI")
                ),
            )
            if self.sign_in is SignIn.LOOPBACK and not _url_problem(
                self.redirect_uri, QCoreApplication.translate("ClientConfig", "Redirect URI")
            ):
                check("redirect_uri", _loopback_problem(self.redirect_uri))
        check("scope", _scope_problem(self.scope))
        check(
            "authorization_endpoint",
            _url_problem(
                self.authorization_endpoint,
                QCoreApplication.translate("ClientConfig", "Authorization endpoint"),
            ),
        )
        check(
            "token_endpoint",
            _url_problem(
                self.token_endpoint, QCoreApplication.translate("ClientConfig", "Token endpoint")
            ),
        )
        check(
            "api_base",
            _url_problem(self.api_base, QCoreApplication.translate("ClientConfig", "API base URL")),
        )
        if self.issuer.strip():
            check(
                "issuer",
                _url_problem(self.issuer, QCoreApplication.translate("ClientConfig", "Issuer")),
            )
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
        from tiki_gui.core.client_auth import ClientCredentials

        return ClientCredentials(
            client_id=self.client_id.strip(),
            client_secret=self.client_secret,
            method=self.auth_method,
        )


def _problem(check: Callable[[str], str], value: str) -> str | None:
    try:
        check(value)
    except ValidationError as exc:
        return core_text(str(exc))
    return None


def _url_problem(value: str, what: str) -> str | None:
    if not value.strip():
        return QCoreApplication.translate("ClientConfig", "{what} is required").format(what=what)
    try:
        validate_url(value, what=what)
    except ValidationError as exc:
        return core_text(str(exc))
    return None


def _loopback_problem(value: str) -> str | None:
    from tiki_gui.signin.address import is_loopback_redirect_uri

    if is_loopback_redirect_uri(value.strip()):
        return None
    return QCoreApplication.translate(
        "ClientConfig",
        "Receiving the redirect on this computer needs a loopback redirect URI such as "
        "http://127.0.0.1:8765/callback (or http://[::1]:8765/callback); for this redirect URI "
        'choose "Paste the redirect URL" instead',
    )


def _scope_problem(value: str) -> str | None:
    try:
        parse_scope(value)
    except ValidationError as exc:
        return core_text(str(exc))
    return None
