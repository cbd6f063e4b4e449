"""The redirect back from the authorization server (RFC 6749 4.1.2), and Hydra's error page.

The redirect URI is matched structurally (scheme, host, port, path), never by string prefix, so
``https://example.com/cb2`` or ``https://example.com.evil.org/cb`` never pass for
``https://example.com/cb``. The state is checked before anything else is read from the redirect,
error redirects included, and compared in constant time. Then, when the app knows its
authorization server's issuer identifier, an ``iss`` parameter in the redirect (RFC 9207) must name
that issuer: a different one means the code was minted by another server (a mix-up attack).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qs, urlsplit

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    ErrorPageError,
    OAuthError,
    RedirectError,
    StateMismatchError,
)
from tiki_gui.core.masking import path_before_query, split_for_showing
from tiki_gui.core.scopes import split_scope

__all__ = [
    "ERROR_PAGE_PATH_SUFFIX",
    "TIKI_PRODUCTION_ISSUER",
    "AuthorizationResponse",
    "IssuerMismatchError",
    "is_error_page",
    "issuer_matches",
    "parse_error_page",
    "parse_redirect",
    "redirect_uri_matches",
    "shown_target",
]

ERROR_PAGE_PATH_SUFFIX = "/oauth2/fallbacks/error"
_DEFAULT_PORTS = {"http": 80, "https": 443}

_Origin = tuple[str, str, int]
_SHOWN_LIMIT = 80

TIKI_PRODUCTION_ISSUER: str | None = None
"""Tiki's issuer identifier is unknown (it documents no ``iss``): no check by default."""


class IssuerMismatchError(RedirectError):
    """The redirect's ``iss`` (RFC 9207) names another authorization server: code discarded.

    ``received`` and ``expected`` are issuer identifiers (URLs), which are not secret.
    """

    received: str
    expected: str

    def __init__(self, received: str, expected: str) -> None:
        self.received = received
        self.expected = expected
        super().__init__(
            f"The redirect says it comes from the authorization server {_shown(received)}, but "
            f"this sign-in expects {_shown(expected)}, so its result was discarded. "
            "Another server may be trying to pass its code off as this one's (a mix-up attack): "
            "check the endpoints and issuer of this profile and start the authorization again."
        )


def shown_target(url: str) -> str:
    """``url`` as a message may quote it: scheme, host, port and the path up to anything that
    could be a query (a literal or percent-encoded ``?``, ``#``, ``;``, ``=`` or ``&``: a code
    can hide there, as in ``/callback%3Fcode=...``), cut to 80 characters; repr-quoted.
    """
    split = split_for_showing(url)
    if split is None:
        return "(an address that cannot be read)"
    parts, netloc = split
    path = path_before_query(parts.path)
    hidden = bool(parts.query or parts.fragment) and not path.endswith("…")
    text = f"{parts.scheme.lower()}://{netloc}{path}" if parts.scheme else f"{netloc}{path}"
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 1] + "…"
    elif hidden:
        text += "…"  # something (not shown) followed
    return repr(text)


def _shown(text: str) -> str:
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 1] + "…"
    return repr(text)


def issuer_matches(received: str, expected: str) -> bool:
    """True if the ``iss`` received names the ``expected`` issuer.

    RFC 9207 2.4 asks for simple string comparison; the one normalisation made here, by choice,
    is a trailing slash (``https://api.tiki.vn/`` is ``https://api.tiki.vn``), so an issuer typed
    into a profile with or without one still matches. Nothing else is normalised (no case folding).
    """
    return received.rstrip("/") == expected.rstrip("/")


def _split(url: str) -> SplitResult | None:
    """``urlsplit`` for URLs we are willing to compare, None for anything suspicious."""
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    if "\\" in url:
        return None  # browsers read a backslash as a slash; urlsplit does not
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError:
        return None
    if "@" in parts.netloc or not parts.hostname:
        return None
    return parts


def _origin(parts: SplitResult) -> _Origin | None:
    scheme = parts.scheme.lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default is None or parts.hostname is None:
        return None
    return scheme, parts.hostname.lower(), parts.port or default


def _path(parts: SplitResult) -> str:
    return parts.path or "/"


def _same_origin(url: str, reference: str) -> tuple[SplitResult, SplitResult] | None:
    """``url`` and ``reference`` split, when both can be compared and share one origin."""
    candidate, known = _split(url), _split(reference)
    if candidate is None or known is None:
        return None
    origin = _origin(candidate)
    return (candidate, known) if origin is not None and origin == _origin(known) else None


def redirect_uri_matches(url: str, redirect_uri: str) -> bool:
    """True if ``url`` is the registered ``redirect_uri`` (plus any query or fragment).

    Structural: scheme and host compared case-insensitively, default ports normalised (``:443``
    for https, ``:80`` for http), path compared exactly (an empty path is ``/``), query and
    fragment ignored. URLs with user info (``https://example.com@evil.org/cb``), backslashes,
    whitespace or an invalid port never match.
    """
    same = _same_origin(url, redirect_uri)
    return same is not None and _path(same[0]) == _path(same[1])


def is_error_page(url: str, authorization_endpoint: str) -> bool:
    """True if ``url`` is Hydra's own error page on the authorization server's origin.

    Hydra shows it (``.../oauth2/fallbacks/error?error=...``) instead of redirecting when the
    client or redirect URI is invalid: the flow can then never reach the redirect URI.
    """
    same = _same_origin(url, authorization_endpoint)
    return same is not None and same[0].path.endswith(ERROR_PAGE_PATH_SUFFIX)


@dataclass(frozen=True, slots=True)
class AuthorizationResponse:
    """A successful redirect: the code to exchange, with the state it came back with."""

    code: str = field(repr=False)
    state: str = field(repr=False)
    scope: tuple[str, ...] | None
    iss: str | None


def _single(params: dict[str, list[str]], name: str) -> str | None:
    """The parameter's value; RedirectError if it appears more than once (RFC 6749 3.1)."""
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise RedirectError(
            f"The redirect carries '{name}' more than once, so it cannot be trusted."
        )
    return values[0]


def _state_matches(received: list[str] | None, expected: str) -> bool:
    if not received or len(received) != 1:
        return False
    return hmac.compare_digest(received[0].encode("utf-8"), expected.encode("utf-8"))


def _oauth_error(params: dict[str, list[str]], error: str) -> OAuthError:
    description = _single(params, "error_description")
    hint = _single(params, "error_hint")
    uri = _single(params, "error_uri")
    cls = AuthorizationDeniedError if error == "access_denied" else OAuthError
    return cls(error, description, hint, uri)


def parse_redirect(
    url: str, request: AuthorizationRequest, *, issuer: str | None = None
) -> AuthorizationResponse:
    """Read the redirect the authorization server sent the browser to.

    Raises, in this order: :class:`RedirectError` if ``url`` is not ``request.redirect_uri``;
    :class:`StateMismatchError` if the state is missing, repeated or different (the code, if any,
    is discarded; this is checked before an error redirect is reported too);
    :class:`IssuerMismatchError` if ``issuer`` is given and the redirect carries an ``iss`` that
    names another server (RFC 9207; error redirects included; no ``iss`` means no check, and
    ``issuer=None`` skips it); :class:`AuthorizationDeniedError` for ``access_denied`` and
    :class:`OAuthError` for other ``error`` redirects; :class:`RedirectError` for an ``error``
    parameter that is present but empty (a code beside it is never used), or if there is
    neither a code nor an error. Messages never quote a query, even a percent-encoded one.
    """
    if not redirect_uri_matches(url, request.redirect_uri):
        raise RedirectError(
            f"The browser was sent to {shown_target(url)}, which is not the redirect URI of this "
            f"request ({shown_target(request.redirect_uri)})."
        )
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)
    if not _state_matches(params.get("state"), request.state):
        problem = (
            "carries no state"
            if not params.get("state")
            else "carries a state different from the one this app sent"
        )
        raise StateMismatchError(
            f"The redirect {problem}, so its result was discarded. "
            "It may come from an older or a second login, or from someone else's link: "
            "start the authorization again."
        )
    iss = _single(params, "iss")
    if issuer is not None and iss is not None and not issuer_matches(iss, issuer):
        raise IssuerMismatchError(iss, issuer)
    error = _single(params, "error")
    if error is not None:
        if not error:
            raise RedirectError(
                "The redirect carries an empty 'error' parameter, so its result was discarded "
                "(a redirect with an error, even an empty one, is never a success): start the "
                "authorization again."
            )
        raise _oauth_error(params, error)
    code = _single(params, "code")
    if not code:
        raise RedirectError(
            "The redirect carries neither an authorization code nor an error, so the flow "
            "cannot continue: start the authorization again."
        )
    scope = _single(params, "scope")
    return AuthorizationResponse(
        code=code,
        state=request.state,
        scope=None if scope is None else split_scope(scope),
        iss=iss,
    )


def parse_error_page(url: str) -> ErrorPageError:
    """The error shown by Hydra's error page (``error``, ``error_description``, ``error_hint``)."""
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)

    def first(name: str) -> str | None:
        values = params.get(name)
        return values[0] if values and values[0] else None

    return ErrorPageError(
        first("error") or "unknown_error",
        first("error_description"),
        first("error_hint"),
        first("error_uri"),
    )
