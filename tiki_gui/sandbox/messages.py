"""HTTP requests and responses as plain values, so endpoints are functions of a request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "FormError",
    "Request",
    "Response",
    "html_response",
    "json_response",
    "parse_form",
    "redirect",
    "with_query",
]


class FormError(ValueError):
    """A form body or query string that cannot be used (bad encoding, repeated parameter)."""


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request: method, path, decoded query, headers (lower-case names), raw body."""

    method: str
    path: str
    query: Mapping[str, str]
    raw_query: str
    headers: Mapping[str, str]
    body: bytes = field(default=b"", repr=False)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def cookie(self, name: str) -> str | None:
        raw = self.header("cookie")
        if not raw:
            return None
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except CookieError:
            return None
        morsel = jar.get(name)
        return morsel.value if morsel is not None else None

    @property
    def content_type(self) -> str:
        """The media type of the body, lower-cased, without parameters."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Response:
    """Status, headers and body to write back."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = field(default=b"", repr=False)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def parse_form(text: str, *, unique: bool = True) -> dict[str, str]:
    """Decode ``application/x-www-form-urlencoded``; FormError if a name repeats (RFC 6749 3.2)."""
    result: dict[str, str] = {}
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormError("the form could not be decoded") from exc
    for key, value in pairs:
        if key in result:
            if unique:
                raise FormError(f"the parameter '{key}' was sent more than once")
            continue
        result[key] = value
    return result


def with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` appended to its query, keeping any query it already has."""
    parts = urlsplit(url)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


_NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


def json_response(
    status: int, body: object, *, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return Response(
        status, (("Content-Type", "application/json;charset=UTF-8"), *_NO_STORE, *headers), data
    )


_PAGE_HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    *_NO_STORE,
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ),
)


def html_response(status: int, page: str, *, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, (*_PAGE_HEADERS, *headers), page.encode("utf-8"))


def redirect(location: str, *, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """A 303 See Other, as Hydra answers every step of the flow."""
    return Response(303, (("Location", location), *_NO_STORE, *headers))
