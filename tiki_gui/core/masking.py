"""How the timeline hides secrets: by name, showing only a secret's length.

Query, form and JSON fields named in :data:`SECRET_FIELDS` and headers in :data:`SECRET_HEADERS`
show as ``«masked, N chars»``; a Basic header's secret is pulled out so that it can be scrubbed
anywhere else it appears; URLs of browser hops keep only scheme, host, port and path.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

__all__ = [
    "SECRET_FIELDS",
    "SECRET_HEADERS",
    "basic_secrets",
    "mask",
    "mask_json",
    "one_line",
    "origin_and_path",
    "path_before_query",
    "shown_netloc",
    "split_for_showing",
]

SECRET_FIELDS = frozenset(
    {
        "access_token",
        "assertion",
        "client_assertion",
        "client_secret",
        "code",
        "code_challenge",
        "code_verifier",
        "id_token",
        "password",
        "refresh_token",
        "state",
    }
)
"""Query, form and JSON fields whose values are never shown."""

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
"""Headers whose values are never shown (an Authorization header keeps its scheme word)."""


def mask(value: str) -> str:
    """What a secret shows as: only its length."""
    return f"«masked, {len(value)} chars»"


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters shown as spaces."""
    if text.isprintable():
        return text  # most lines: one check, not one per character
    return "".join(ch if ch.isprintable() else " " for ch in text)


def mask_json(value: object, remember: Callable[..., None]) -> Mapping[str, object]:
    """A JSON object with secret fields masked, nested objects and lists included."""

    def walk(item: object) -> object:
        if isinstance(item, dict):
            out: dict[str, object] = {}
            for key, child in item.items():
                if str(key).lower() in SECRET_FIELDS and isinstance(child, str):
                    remember(child)
                    out[str(key)] = mask(child)
                else:
                    out[str(key)] = walk(child)
            return out
        if isinstance(item, list):
            return [walk(child) for child in item]
        return item

    walked = walk(value)
    return walked if isinstance(walked, dict) else {}


def basic_secrets(scheme: str, credentials: str) -> list[str]:
    """The client ID's secret inside a Basic header, so that it is scrubbed anywhere else too."""
    if scheme.lower() != "basic":
        return []
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return []
    _, colon, secret = decoded.partition(":")
    return [secret, unquote_plus(secret)] if colon else []


# Where a path starts to carry what may be a query: "?", "#", ";", their percent-encoded forms
# (double-encoded too: %253F), and "=" or "&" (a query pasted into the path).
_QUERY_MARKS = re.compile(r"[?#;=&]|%(25)*(3f|23|3b|3d|26)", re.IGNORECASE)


def path_before_query(path: str) -> str:
    """``path`` up to anything that could be a query smuggled into it, then "…" if cut.

    A code can hide in a path (``/callback%3Fcode=...``, ``/callback;code=...``): a path is only
    ever shown up to the first literal or percent-encoded ``?``, ``#``, ``;``, ``=`` or ``&``.
    """
    mark = _QUERY_MARKS.search(path)
    return path if mark is None else path[: mark.start()] + "…"


def shown_netloc(parts: SplitResult) -> str | None:
    """Host and port of a split URL as they may be shown (no user info; IPv6 in brackets),
    or None when its port cannot be read."""
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return host if port is None else f"{host}:{port}"


def split_for_showing(url: str) -> tuple[SplitResult, str] | None:
    """``url`` split, with its host and port as they may be shown (:func:`shown_netloc`);
    None when the URL or its port cannot be read."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    netloc = shown_netloc(parts)
    return None if netloc is None else (parts, netloc)


def origin_and_path(url: str) -> str:
    split = split_for_showing(url)
    if split is None:
        return "(unreadable URL)"
    parts, netloc = split
    shown = urlunsplit((parts.scheme, netloc, path_before_query(parts.path), "", ""))
    return shown or "(empty URL)"
