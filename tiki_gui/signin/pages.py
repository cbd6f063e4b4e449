"""The small pages the loopback listener answers the browser with, and which one a redirect gets.

They never contain the authorization code or the state (only a sentence about the outcome, HTML-
escaped), and are sent with headers that keep them out of caches, frames and referrers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import OAuthError, TikiGuiError
from tiki_gui.core.redact import redact_secrets
from tiki_gui.core.redirect import parse_redirect

__all__ = [
    "PAGE_HEADERS",
    "Page",
    "failure_page",
    "finished_page",
    "not_found_page",
    "page_for_redirect",
    "refused_page",
    "success_page",
]

CLOSE_TAB = "You can close this tab"

PAGE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store, no-cache, max-age=0, must-revalidate"),
    ("Pragma", "no-cache"),
    ("Expires", "0"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'",
    ),
    ("X-Frame-Options", "DENY"),
    ("Connection", "close"),
)
"""Sent with every page: not cached, not framed, no referrer, nothing loaded from elsewhere."""

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;"
    "color:#222}h1{font-size:1.4em}p.detail{background:#f6f6f6;padding:.8em;border-radius:4px}"
)


@dataclass(frozen=True, slots=True)
class Page:
    """An HTTP answer: status and UTF-8 HTML body."""

    status: int
    html: str

    @property
    def body(self) -> bytes:
        return self.html.encode("utf-8")


def _layout(title: str, *paragraphs: str, detail: str | None = None) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)} - tiki-gui</title>",
        f"<style>{_STYLE}</style></head><body>",
        f'<h1 id="title">{escape(title)}</h1>',
    ]
    if detail:
        parts.append(f'<p class="detail" id="detail">{escape(detail)}</p>')
    parts.extend(f"<p>{escape(text)}</p>" for text in paragraphs)
    parts.append("</body></html>")
    return "\n".join(parts)


def success_page() -> Page:
    """The redirect arrived and looks right: the app takes it from here."""
    return Page(
        200,
        _layout(
            "Sign-in received",
            "tiki-gui received the answer of the authorization server and continues in its window.",
            f"{CLOSE_TAB} and return to tiki-gui.",
        ),
    )


def failure_page(message: str) -> Page:
    """The redirect arrived but cannot be used (error redirect, state mismatch): say why.

    ``message`` must be secret-free (core error messages are); it is HTML-escaped here.
    """
    return Page(
        200,
        _layout(
            "Sign-in did not complete",
            f"{CLOSE_TAB} and return to tiki-gui, which shows the details.",
            detail=message,
        ),
    )


def finished_page() -> Page:
    """A second request after the flow ended (a reload, a stale tab)."""
    return Page(
        410,
        _layout(
            "This sign-in has already finished",
            f"{CLOSE_TAB}. To sign in again, start the authorization in tiki-gui.",
        ),
    )


def refused_page(reason: str) -> Page:
    """A request to the redirect URI that is not this sign-in's answer: refused, still waiting.

    ``reason`` must be secret-free (the listener passes a fixed sentence); it is HTML-escaped.
    """
    return Page(
        400,
        _layout(
            "Not the answer tiki-gui is waiting for",
            "This request does not carry the state of the sign-in in progress, so tiki-gui "
            "ignored it and keeps waiting for the authorization server's redirect.",
            "If you are signing in, finish in the tab the sign-in opened.",
            detail=reason,
        ),
    )


def not_found_page() -> Page:
    """Any path other than the redirect URI's."""
    return Page(
        404,
        _layout("Not found", "This address is not part of the tiki-gui sign-in."),
    )


def _judge_without_request(url: str) -> Page:
    """The page to show when no request was given: from the redirect's own parameters only."""
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)
    secrets = [v for name in ("code", "state") for v in params.get(name, [])]

    def first(name: str) -> str | None:
        values = params.get(name)
        return values[0] if values and values[0] else None

    error = first("error")
    if error:
        oauth = OAuthError(error, first("error_description"), first("error_hint"))
        return failure_page(redact_secrets(f"The authorization server answered {oauth}", secrets))
    if first("code"):
        return success_page()
    return failure_page("The redirect carries neither an authorization code nor an error.")


def page_for_redirect(
    url: str, request: AuthorizationRequest | None, issuer: str | None = None
) -> Page:
    """The page a redirect gets: checked with ``parse_redirect`` when ``request`` is known."""
    if request is None:
        return _judge_without_request(url)
    try:
        parse_redirect(url, request, issuer=issuer)
    except TikiGuiError as exc:
        params = parse_qs(urlsplit(url).query)
        secrets = [request.state, *params.get("code", []), *params.get("state", [])]
        return failure_page(redact_secrets(str(exc), secrets))
    return success_page()
