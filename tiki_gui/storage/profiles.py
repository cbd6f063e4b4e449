"""The profile: one Tiki app registration and where to reach Tiki, without any secret.

A :class:`Profile` is the one model of an app's settings: the credentials form shows and edits
one, the settings file keeps them (:class:`~tiki_gui.storage.profile_store.ProfileStore`, as JSON
by :mod:`tiki_gui.storage.profile_json`), the sign-in runs with one and the token vault files
tokens under its name. The client secret is never part of it: it lives in the OS keyring
(:mod:`tiki_gui.storage.secrets`) and travels beside a profile as a :class:`ProfileWithSecret`,
whose repr never shows it.

A profile holds values as typed, so that the form can hold unfinished input: constructing one
checks nothing but the option types. :meth:`Profile.problems` says what is wrong, field by field,
with the one check and wording of each field (:mod:`tiki_gui.core.fields`,
:func:`~tiki_gui.core.endpoints.validate_url`, :mod:`tiki_gui.core.scopes`); :meth:`Profile.checked`
is the profile as it is kept, or :class:`ValidationError`. Everything that keeps a profile takes it
through :meth:`~Profile.checked` (the store's save and import, the settings file's reader), so a
profile read back from the store is always usable. A profile may be kept before it can sign in:
an expected issuer that is not a URL, a redirect URI that the chosen sign-in cannot receive, or
no scope yet stop a sign-in (:meth:`~Profile.problems`) but not the saving.

The sandbox profile (named :data:`SANDBOX_PROFILE_NAME`) is built at run time from a running
sandbox's base URL and one of its demo clients (:func:`sandbox_profile`); it is never written to
the settings file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Protocol, TypeVar
from urllib.parse import urlsplit

from tiki_gui.core.endpoints import TIKI_PRODUCTION, Endpoints, loopback_ip, validate_url
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.fields import check_client_id, check_client_secret
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.core.scopes import format_scope, parse_scope

if TYPE_CHECKING:
    from tiki_gui.core.authorization import AuthorizationRequest
    from tiki_gui.core.client_auth import ClientCredentials

__all__ = [
    "DEFAULT_SCOPES",
    "FIELD_NAMES",
    "SANDBOX_PROFILE_NAME",
    "BrowserSession",
    "FieldProblem",
    "Grant",
    "Profile",
    "ProfileWithSecret",
    "SandboxClientLike",
    "SignIn",
    "option",
    "sandbox_profile",
    "validate_profile_name",
]

SANDBOX_PROFILE_NAME = "Sandbox"
DEFAULT_SCOPES: Final = ("offline", "product", "order")
"""``offline`` for a refresh token, plus the two scopes almost every integration needs."""
_NAME_LIMIT = 80
_SANDBOX_SCOPES = ("offline", "product", "order", "inventory")

FIELD_NAMES: Final[Mapping[str, str]] = {
    "redirect_uri": "Redirect URI",
    "authorization_endpoint": "Authorization endpoint",
    "token_endpoint": "Token endpoint",
    "api_base": "API base URL",
    "issuer": "Issuer",
}
"""How the problems name the URL fields (the UI passes the words of its language)."""

LOOPBACK_REDIRECT_NEEDED: Final = (
    "Receiving the redirect on this computer needs a loopback redirect URI such as "
    "http://127.0.0.1:8765/callback (or http://[::1]:8765/callback); for this redirect URI "
    'choose "Paste the redirect URL" instead'
)

_E = TypeVar("_E", bound=StrEnum)


def validate_profile_name(name: str) -> str:
    """Return ``name`` if it can name a profile, else raise :class:`ValidationError`."""
    if not name or not name.strip():
        raise ValidationError("A profile needs a name.")
    if name != name.strip():
        raise ValidationError("A profile name must not start or end with spaces.")
    if len(name) > _NAME_LIMIT:
        raise ValidationError(f"A profile name can have at most {_NAME_LIMIT} characters.")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise ValidationError("A profile name must not contain control characters.")
    return name


def option(kind: type[_E], value: object, what: str) -> _E:
    """``value`` as the option ``kind``; :class:`ValidationError` naming ``what`` if it is none."""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in kind)
        raise ValidationError(f"{what} must be one of {allowed}.") from None


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one field cannot be used. ``field`` is the field's name (the form's objectName)."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Profile:
    """One Tiki app registration and where to reach Tiki; no secret. See the module.

    The defaults are the empty form: Tiki production, the usual scopes, Basic authentication.
    """

    name: str = ""
    client_id: str = ""
    redirect_uri: str = ""
    """May be empty only for the client credentials grant."""
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    auth_method: AuthMethod = AuthMethod.CLIENT_SECRET_BASIC
    authorization_endpoint: str = TIKI_PRODUCTION.authorization_endpoint
    token_endpoint: str = TIKI_PRODUCTION.token_endpoint
    api_base: str = TIKI_PRODUCTION.api_base
    grant: Grant = Grant.AUTHORIZATION_CODE
    browser_session: BrowserSession = BrowserSession.FRESH
    """Embedded browser: a fresh cookie store every flow, or the profile's remembered login."""
    use_pkce: bool = False
    sign_in: SignIn = SignIn.EMBEDDED
    """Where the seller signs in: the embedded browser, or the system browser (loopback/paste)."""
    issuer: str = ""
    """Expected ``iss`` of authorization responses (RFC 9207); empty: not checked."""

    def __post_init__(self) -> None:
        # The options are always the core's types (a plain string such as "loopback" is taken).
        object.__setattr__(self, "auth_method", option(AuthMethod, self.auth_method, "Auth method"))
        object.__setattr__(self, "grant", option(Grant, self.grant, "Grant"))
        object.__setattr__(self, "sign_in", option(SignIn, self.sign_in, "Sign-in"))
        object.__setattr__(
            self, "browser_session", option(BrowserSession, self.browser_session, "Browser session")
        )
        object.__setattr__(self, "scopes", tuple(self.scopes))
        object.__setattr__(self, "use_pkce", bool(self.use_pkce))

    @property
    def scope(self) -> str:
        """The scopes as sent on the wire: space-separated."""
        return " ".join(self.scopes)

    @property
    def endpoints(self) -> Endpoints:
        """The three URLs as :class:`Endpoints` (:class:`ValidationError` if one is unusable)."""
        return Endpoints(self.authorization_endpoint, self.token_endpoint, self.api_base)

    def with_endpoints(self, endpoints: Endpoints) -> Profile:
        """This profile reaching Tiki at ``endpoints``."""
        return dataclasses.replace(
            self,
            authorization_endpoint=endpoints.authorization_endpoint,
            token_endpoint=endpoints.token_endpoint,
            api_base=endpoints.api_base,
        )

    @property
    def is_sandbox(self) -> bool:
        """True for the built-in sandbox profile."""
        return self.name == SANDBOX_PROFILE_NAME

    def problems(self, names: Mapping[str, str] = FIELD_NAMES) -> tuple[FieldProblem, ...]:
        """Every field that stops a sign-in, in the form's order, with a sentence for the person
        who typed it. ``names``: how to name the URL fields (:data:`FIELD_NAMES`)."""
        return tuple(self._problems(names, sign_in=True))

    def checked(self) -> Profile:
        """This profile as it is kept: named, every kept field usable and without surrounding
        whitespace, scopes without duplicates; else :class:`ValidationError` saying why."""
        validate_profile_name(self.name)
        for problem in self._problems(FIELD_NAMES, sign_in=False):
            raise ValidationError(problem.message)
        scopes = tuple(format_scope(self.scopes).split(" ")) if self.scopes else ()
        return dataclasses.replace(
            self,
            client_id=check_client_id(self.client_id),
            redirect_uri=self.redirect_uri.strip(),
            scopes=scopes,
            authorization_endpoint=self.authorization_endpoint.strip(),
            token_endpoint=self.token_endpoint.strip(),
            api_base=self.api_base.strip(),
            issuer=self.issuer.strip(),
        )

    def authorization_request(self) -> AuthorizationRequest:
        """A fresh request (new state, new PKCE pair if enabled); ValidationError if unusable."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems[0].message)
        # At the first sign-in, not when a profile is read (its PKCE, hashlib, secrets: issue 11).
        from tiki_gui.core.authorization import AuthorizationRequest

        return AuthorizationRequest.create(
            self.authorization_endpoint.strip(),
            self.client_id.strip(),
            self.redirect_uri.strip(),
            self.scope,
            use_pkce=self.use_pkce,
        )

    def _problems(self, names: Mapping[str, str], *, sign_in: bool) -> Iterable[FieldProblem]:
        """The problems of each field; ``sign_in``: also what only a sign-in needs (a loopback
        redirect URI for that sign-in, a usable issuer, at least one scope)."""

        def url(name: str) -> FieldProblem | None:
            return _url_problem(name, getattr(self, name), names.get(name, FIELD_NAMES[name]))

        found = [_problem("client_id", check_client_id, self.client_id)]
        # The form disables the redirect URI for the client credentials grant: a value left in
        # it does not stop that sign-in, but is not kept unusable either.
        code_grant = self.grant is Grant.AUTHORIZATION_CODE
        if code_grant or (not sign_in and self.redirect_uri.strip()):
            redirect = url("redirect_uri")
            if redirect is None and sign_in and self.sign_in is SignIn.LOOPBACK:
                redirect = _loopback_problem(self.redirect_uri)
            found.append(redirect)
        if sign_in or self.scopes:
            found.append(_problem("scope", parse_scope, self.scope))
        found += [url("authorization_endpoint"), url("token_endpoint"), url("api_base")]
        if sign_in and self.issuer.strip():
            found.append(url("issuer"))
        return [problem for problem in found if problem is not None]


@dataclass(frozen=True, slots=True)
class ProfileWithSecret:
    """A profile and the client secret typed or kept for it: what a sign-in needs.

    The form's value, and what the flow runs with. The secret is not in the repr.
    """

    profile: Profile = field(default_factory=Profile)
    secret: str = field(default="", repr=False)

    def problems(self, names: Mapping[str, str] = FIELD_NAMES) -> tuple[FieldProblem, ...]:
        """The profile's problems with the secret's (after the client ID's), in the form's order."""
        found = list(self.profile.problems(names))
        secret = _problem("client_secret", check_client_secret, self.secret)
        if secret is not None:
            at = 1 if found and found[0].field == "client_id" else 0
            found.insert(at, secret)
        return tuple(found)

    def credentials(self) -> ClientCredentials:
        """The client's credentials for the token endpoint (imports ``httpx`` on first use)."""
        from tiki_gui.core.client_auth import ClientCredentials

        return ClientCredentials(
            client_id=self.profile.client_id.strip(),
            client_secret=self.secret,
            method=self.profile.auth_method,
        )


def _problem(name: str, check: Callable[[str], object], value: str) -> FieldProblem | None:
    try:
        check(value)
    except ValidationError as exc:
        return FieldProblem(name, str(exc))
    return None


def _url_problem(name: str, value: str, what: str) -> FieldProblem | None:
    if not value.strip():
        return FieldProblem(name, f"{what} is required")
    try:
        validate_url(value, what=what)
    except ValidationError as exc:
        return FieldProblem(name, str(exc))
    return None


def _loopback_problem(value: str) -> FieldProblem | None:
    from tiki_gui.signin.address import is_loopback_redirect_uri

    if is_loopback_redirect_uri(value.strip()):
        return None
    return FieldProblem("redirect_uri", LOOPBACK_REDIRECT_NEEDED)


def _is_loopback(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and loopback_ip(parts.hostname or "") is not None


class SandboxClientLike(Protocol):
    """What :func:`sandbox_profile` reads from a ``tiki_gui.sandbox.SandboxClient``.

    A protocol, so that storage (and ``tiki-gui token``) never imports the sandbox server.
    """

    @property
    def client_id(self) -> str: ...
    @property
    def token_endpoint_auth_method(self) -> str: ...
    @property
    def redirect_uris(self) -> tuple[str, ...]: ...


def sandbox_profile(
    base_url: str,
    client: SandboxClientLike,
    *,
    redirect_uri: str | None = None,
    scopes: Iterable[str] = _SANDBOX_SCOPES,
    issuer: str = "",
) -> Profile:
    """The built-in "Sandbox" profile for a sandbox running at ``base_url`` and one demo client.

    The redirect URI defaults to the client's loopback one (``http://127.0.0.1/...``) if it has
    one, else its first. The client secret is not part of a profile: give the demo client's
    secret to :meth:`ProfileStore.attach_sandbox`.
    """
    if redirect_uri is None:
        loopback = [uri for uri in client.redirect_uris if _is_loopback(uri)]
        candidates = loopback or list(client.redirect_uris)
        if not candidates:
            raise ValidationError("The sandbox client has no redirect URI.")
        redirect_uri = candidates[0]
    profile = Profile(
        name=SANDBOX_PROFILE_NAME,
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scopes=tuple(scopes),
        auth_method=option(AuthMethod, client.token_endpoint_auth_method, "Auth method"),
        issuer=issuer,
    )
    return profile.with_endpoints(Endpoints.for_base_url(base_url)).checked()
