"""Paste the redirect URL: for any redirect URI, the address the browser landed on.

When the redirect URI belongs to the integrator's own server (``https://example.com/callback``)
the app cannot receive the redirect: the seller signs in in any browser, copies the address the
browser ends on, and pastes it. It is then checked exactly like an intercepted redirect (redirect
URI, state, ``iss``, error parameters) by :func:`tiki_gui.core.redirect.parse_redirect`. No message
ever quotes the pasted text itself: it may hold a code.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urlsplit

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import RedirectError, ValidationError
from tiki_gui.core.redirect import (
    AuthorizationResponse,
    is_error_page,
    parse_error_page,
    parse_redirect,
    redirect_uri_matches,
    shown_target,
)

__all__ = ["clean_pasted_url", "parse_pasted_redirect"]

_QUOTES = "\"'`<>\u201c\u201d\u2018\u2019\u00ab\u00bb"  # ASCII, curly and angle quotes
_HOST_LIKE = re.compile(
    r"^(localhost|\[[0-9a-fA-F:.]+\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)(:\d+)?(/|$)"
)
_COPY_HINT = (
    "copy the whole address from the browser's address bar after you allowed access (it starts "
    "with https:// or http://) and paste it here"
)


def clean_pasted_url(text: str) -> str:
    """``text`` without surrounding whitespace and quotes, and without line breaks inside.

    A URL has no spaces, so whitespace inside (a link wrapped over two lines) is removed too.
    """
    cleaned = text.strip()
    while cleaned and (cleaned[0] in _QUOTES or cleaned[-1] in _QUOTES):
        cleaned = cleaned.strip(_QUOTES).strip()
    return "".join(cleaned.split())


def _split_pasted(url: str) -> SplitResult:
    """The parts of a pasted absolute http(s) URL, or ValidationError saying what is wrong."""
    if not url:
        raise ValidationError(f"Nothing was pasted: {_COPY_HINT}.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError:
        raise ValidationError(f"The pasted text is not a valid URL: {_COPY_HINT}.") from None
    if parts.scheme.lower() in ("http", "https"):
        if parts.hostname and "@" not in parts.netloc:
            return parts
        raise ValidationError(f"The pasted address has no valid host name: {_COPY_HINT}.")
    if "://" in url:
        raise ValidationError(
            f"The pasted text is not a web address (http:// or https://): {_COPY_HINT}."
        )
    if _HOST_LIKE.match(url):
        raise ValidationError(
            "The pasted address has no https:// (or http://) in front: copy it again from the "
            "address bar, where the browser adds it when copying the whole address."
        )
    if url.lower().lstrip("?#&").startswith(("code=", "state=", "error=", "scope=", "iss=")):
        raise ValidationError(f"The pasted text is only part of an address: {_COPY_HINT}.")
    raise ValidationError(f"The pasted text is not a URL: {_COPY_HINT}.")


def parse_pasted_redirect(
    text: str, request: AuthorizationRequest, *, issuer: str | None = None
) -> AuthorizationResponse:
    """Check the pasted address and read it as the redirect of ``request``.

    Raises :class:`ValidationError` for text that is not an absolute http(s) URL;
    :class:`~tiki_gui.core.errors.ErrorPageError` if it is the authorization server's own error
    page (the flow could not reach the redirect URI); :class:`RedirectError` if it goes to
    another host or path than the redirect URI (or is the sign-in page itself); then whatever
    :func:`parse_redirect` raises (:class:`~tiki_gui.core.errors.StateMismatchError`,
    :class:`~tiki_gui.core.redirect.IssuerMismatchError`, ``OAuthError`` for error redirects).
    """
    url = clean_pasted_url(text)
    _split_pasted(url)
    if is_error_page(url, request.authorization_endpoint):
        raise parse_error_page(url)
    if not redirect_uri_matches(url, request.redirect_uri):
        if redirect_uri_matches(url, request.authorization_endpoint):
            raise RedirectError(
                "This is the address of the sign-in page itself, not of the page the browser "
                "lands on at the end: finish signing in and allowing access in the browser, "
                "then copy the address it shows."
            )
        raise RedirectError(
            f"This is not your redirect URI: the pasted address goes to {shown_target(url)}, but "
            f"this sign-in's redirect URI is {shown_target(request.redirect_uri)}. Copy the "
            "address of the tab that ended on the redirect URI."
        )
    # The redirect URI without the answer (the bare callback address, a query cut off when
    # copying): not an attack, just not the address to paste. Said here, the sign-in goes on; a
    # state that is present and wrong is still refused by parse_redirect as a possible CSRF.
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if "error" not in params and not (params.get("code") and params.get("state")):
        missing = " and ".join(name for name in ("code", "state") if not params.get(name))
        raise ValidationError(
            f"The pasted address is your redirect URI but carries no {missing}: it is not the "
            f"address the browser ends on after you allowed access. {_COPY_HINT[0].upper()}"
            f"{_COPY_HINT[1:]}."
        )
    return parse_redirect(url, request, issuer=issuer)
