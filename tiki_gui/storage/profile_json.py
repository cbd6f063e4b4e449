"""A :class:`~tiki_gui.storage.profiles.Profile` as JSON: the settings file's entries, and the
export/import document for another machine. Never a secret (a profile has none, and a
``client_secret`` key in the input is dropped). What is read is :meth:`Profile.checked`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from tiki_gui.core.endpoints import TIKI_PRODUCTION, Endpoints
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.storage.profiles import Profile, option

__all__ = [
    "EXPORT_FORMAT",
    "export_profile_json",
    "import_profile_json",
    "profile_from_json_dict",
    "profile_to_json_dict",
]

EXPORT_FORMAT = "tiki-gui-profile"
_EXPORT_VERSION = 1


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
            "authorization_endpoint": profile.authorization_endpoint,
            "token_endpoint": profile.token_endpoint,
            "api_base": profile.api_base,
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
    profile = Profile(
        name=_text(data, "name"),
        client_id=_text(data, "client_id"),
        redirect_uri=_text(data, "redirect_uri", default=""),
        scopes=scopes,
        auth_method=option(
            AuthMethod,
            _text(data, "auth_method", default=AuthMethod.CLIENT_SECRET_BASIC),
            "Auth method",
        ),
        grant=option(Grant, _text(data, "grant", default=Grant.AUTHORIZATION_CODE), "Grant"),
        browser_session=option(
            BrowserSession,
            _text(data, "browser_session", default=BrowserSession.FRESH),
            "Browser session",
        ),
        sign_in=option(SignIn, _text(data, "sign_in", default=SignIn.EMBEDDED), "Sign-in"),
        issuer=_text(data, "issuer", default=""),
        use_pkce=use_pkce,
    )
    return profile.with_endpoints(endpoints).checked()


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
