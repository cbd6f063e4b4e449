"""Profiles: one Tiki app registration each, without any secret.

A :class:`Profile` holds what is safe to keep in a settings file and to export: name, client id,
redirect URI, scopes, client authentication method, endpoints, grant, browser-session preference
and the PKCE flag. The client secret and the tokens live only in the OS keyring
(:mod:`tiki_gui.storage.secrets`). :class:`~tiki_gui.storage.profile_store.ProfileStore` keeps
profiles on disk.

The sandbox profile (named :data:`SANDBOX_PROFILE_NAME`) is built at run time from a running
sandbox's base URL and one of its demo clients (:func:`sandbox_profile`); it is never written to
the settings file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from tiki_gui.core.endpoints import TIKI_PRODUCTION, Endpoints, loopback_ip, validate_url
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.fields import check_client_id
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.core.scopes import format_scope

__all__ = [
    "AUTH_METHODS",
    "AUTH_METHOD_BASIC",
    "AUTH_METHOD_POST",
    "EXPORT_FORMAT",
    "SANDBOX_PROFILE_NAME",
    "BrowserSession",
    "Grant",
    "Profile",
    "SandboxClientLike",
    "SignIn",
    "export_profile_json",
    "import_profile_json",
    "profile_from_json_dict",
    "profile_to_json_dict",
    "sandbox_profile",
    "validate_profile_name",
]

SANDBOX_PROFILE_NAME = "Sandbox"
EXPORT_FORMAT = "tiki-gui-profile"
_EXPORT_VERSION = 1
_NAME_LIMIT = 80
_SANDBOX_SCOPES = ("offline", "product", "order", "inventory")

_E = TypeVar("_E", bound=StrEnum)

AUTH_METHOD_BASIC = AuthMethod.CLIENT_SECRET_BASIC
AUTH_METHOD_POST = AuthMethod.CLIENT_SECRET_POST
AUTH_METHODS = tuple(AuthMethod)
"""The values of ``Profile.auth_method`` (:class:`tiki_gui.core.options.AuthMethod`)."""


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


def _enum(kind: type[_E], value: object, what: str) -> _E:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in kind)
        raise ValidationError(f"{what} must be one of {allowed}.") from None


@dataclass(frozen=True, slots=True)
class Profile:
    """One Tiki app registration. Holds no secret: safe to save, export and show.

    Construction validates every field and raises :class:`ValidationError` with a sentence for
    the person who typed it. ``redirect_uri`` may be empty only for the client credentials grant.
    """

    name: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    auth_method: AuthMethod = AuthMethod.CLIENT_SECRET_BASIC
    endpoints: Endpoints = TIKI_PRODUCTION
    grant: Grant = Grant.AUTHORIZATION_CODE
    browser_session: BrowserSession = BrowserSession.FRESH
    use_pkce: bool = False
    sign_in: SignIn = SignIn.EMBEDDED
    issuer: str = ""
    """Expected ``iss`` of authorization responses (RFC 9207); empty: not checked."""

    def __post_init__(self) -> None:
        validate_profile_name(self.name)
        object.__setattr__(self, "client_id", check_client_id(self.client_id))
        grant = _enum(Grant, self.grant, "Grant")
        object.__setattr__(self, "grant", grant)
        object.__setattr__(self, "auth_method", _enum(AuthMethod, self.auth_method, "Auth method"))
        object.__setattr__(
            self, "browser_session", _enum(BrowserSession, self.browser_session, "Browser session")
        )
        if self.redirect_uri or grant is Grant.AUTHORIZATION_CODE:
            object.__setattr__(
                self, "redirect_uri", validate_url(self.redirect_uri, what="Redirect URI")
            )
        scopes = tuple(self.scopes)
        if scopes:
            scopes = tuple(format_scope(scopes).split(" "))
        object.__setattr__(self, "scopes", scopes)
        if not isinstance(self.endpoints, Endpoints):
            raise ValidationError("Endpoints must be an Endpoints value.")
        object.__setattr__(self, "use_pkce", bool(self.use_pkce))

    @property
    def scope(self) -> str:
        """The scopes as sent on the wire: space-separated."""
        return " ".join(self.scopes)

    @property
    def is_sandbox(self) -> bool:
        """True for the built-in sandbox profile."""
        return self.name == SANDBOX_PROFILE_NAME


def profile_to_json_dict(profile: Profile) -> dict[str, object]:
    """The profile as JSON-ready data (no secret: a profile has none)."""
    return {
        "name": profile.name,
        "client_id": profile.client_id,
        "redirect_uri": profile.redirect_uri,
        "scopes": list(profile.scopes),
        "auth_method": profile.auth_method.value,
        "grant": profile.grant.value,
        "browser_session": profile.browser_session.value,
        "use_pkce": profile.use_pkce,
        "sign_in": profile.sign_in.value,
        "issuer": profile.issuer,
        "endpoints": {
            "authorization_endpoint": profile.endpoints.authorization_endpoint,
            "token_endpoint": profile.endpoints.token_endpoint,
            "api_base": profile.endpoints.api_base,
        },
    }


def _text(data: Mapping[str, object], key: str, *, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ValidationError(f"Profile field {key!r} is missing or is not text.")
    return value


def profile_from_json_dict(data: Mapping[str, object]) -> Profile:
    """Build a profile from :func:`profile_to_json_dict` output; unknown keys are ignored.

    Only the known, non-secret fields are read, so a ``client_secret`` key in the input is
    dropped and can never reach the settings file. Raises :class:`ValidationError`.
    """
    if not isinstance(data, Mapping):
        raise ValidationError("A profile must be a JSON object.")
    endpoints_data = data.get("endpoints")
    if endpoints_data is None:
        endpoints = TIKI_PRODUCTION
    elif isinstance(endpoints_data, Mapping):
        endpoints = Endpoints(
            authorization_endpoint=_text(endpoints_data, "authorization_endpoint"),
            token_endpoint=_text(endpoints_data, "token_endpoint"),
            api_base=_text(endpoints_data, "api_base"),
        )
    else:
        raise ValidationError("Profile field 'endpoints' must be an object.")
    scopes_data = data.get("scopes", [])
    if isinstance(scopes_data, str):
        scopes: tuple[str, ...] = tuple(scopes_data.split())
    elif isinstance(scopes_data, list) and all(isinstance(item, str) for item in scopes_data):
        scopes = tuple(str(item) for item in scopes_data)
    else:
        raise ValidationError("Profile field 'scopes' must be a list of scopes.")
    use_pkce = data.get("use_pkce", False)
    if not isinstance(use_pkce, bool):
        raise ValidationError("Profile field 'use_pkce' must be true or false.")
    return Profile(
        name=_text(data, "name"),
        client_id=_text(data, "client_id"),
        redirect_uri=_text(data, "redirect_uri", default=""),
        scopes=scopes,
        auth_method=_enum(
            AuthMethod, _text(data, "auth_method", default=AUTH_METHOD_BASIC), "Auth method"
        ),
        endpoints=endpoints,
        grant=_enum(Grant, _text(data, "grant", default=Grant.AUTHORIZATION_CODE.value), "Grant"),
        browser_session=_enum(
            BrowserSession,
            _text(data, "browser_session", default=BrowserSession.FRESH.value),
            "Browser session",
        ),
        sign_in=_enum(SignIn, _text(data, "sign_in", default=SignIn.EMBEDDED.value), "Sign-in"),
        issuer=_text(data, "issuer", default="").strip(),
        use_pkce=use_pkce,
    )


def export_profile_json(profile: Profile) -> str:
    """A JSON document describing ``profile`` for another machine: never the client secret."""
    document = {
        "format": EXPORT_FORMAT,
        "version": _EXPORT_VERSION,
        "note": "The client secret is not exported: enter it again after importing.",
        "profile": profile_to_json_dict(profile),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def import_profile_json(text: str) -> Profile:
    """Parse :func:`export_profile_json` output (or a bare profile object).

    Raises :class:`ValidationError` with a plain sentence when the text is not such a document.
    """
    try:
        document = json.loads(text)
    except ValueError:
        raise ValidationError("The file is not valid JSON, so no profile was imported.") from None
    if not isinstance(document, dict):
        raise ValidationError("The file does not describe a tiki-gui profile.")
    if "profile" in document:
        if document.get("format") != EXPORT_FORMAT:
            raise ValidationError("The file does not describe a tiki-gui profile.")
        version = document.get("version")
        if not isinstance(version, int) or version > _EXPORT_VERSION:
            raise ValidationError(
                "The profile was exported by a newer tiki-gui; update tiki-gui to import it."
            )
        document = document["profile"]
        if not isinstance(document, dict):
            raise ValidationError("The file does not describe a tiki-gui profile.")
    return profile_from_json_dict(document)


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
    return Profile(
        name=SANDBOX_PROFILE_NAME,
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scopes=tuple(scopes),
        auth_method=_enum(AuthMethod, client.token_endpoint_auth_method, "Auth method"),
        endpoints=Endpoints.for_base_url(base_url),
        grant=Grant.AUTHORIZATION_CODE,
        browser_session=BrowserSession.FRESH,
        use_pkce=False,
        issuer=issuer,
    )
