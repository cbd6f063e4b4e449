"""OAuth scopes: Tiki's known values, and the space-separated list of RFC 6749 section 3.3."""

from __future__ import annotations

from collections.abc import Iterable

from tiki_gui.core.errors import ValidationError

__all__ = ["DEPRECATED_SCOPES", "TIKI_SCOPES", "format_scope", "parse_scope", "split_scope"]

TIKI_SCOPES: tuple[str, ...] = ("offline", "product", "order", "inventory", "multichannel")
"""Scopes Tiki documents. ``offline`` is needed for a refresh token. Free text stays allowed
(the "Fulfillment" scope string is not documented)."""

DEPRECATED_SCOPES: tuple[str, ...] = ("all",)
"""Still accepted by Tiki, but deprecated (basic product + order)."""

_EXAMPLE = "'offline product order'"


def _check_item(item: str) -> None:
    """RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )."""
    if not item:
        raise ValidationError(
            f"A scope is empty: write the scopes separated by spaces, as {_EXAMPLE}."
        )
    if "," in item:
        raise ValidationError(
            f"Scopes are separated by spaces, not commas: write {_EXAMPLE}, "
            "not 'offline,product,order' (Tiki would reject it as one unknown scope)."
        )
    if any(ch.isspace() for ch in item):
        raise ValidationError(f"A scope must be a single word; {item!r} contains a space.")
    for ch in item:
        code = ord(ch)
        if code < 0x21 or code > 0x7E or ch in '"\\':
            raise ValidationError(
                f"Scope {item!r} contains {ch!r}, which a scope cannot contain "
                "(only printable ASCII without quotes or backslashes)."
            )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def parse_scope(text: str) -> tuple[str, ...]:
    """Split user input on whitespace into scopes (order kept, duplicates dropped).

    Raises :class:`ValidationError` for commas, characters a scope cannot hold, or no scope at all.
    """
    if "," in text:
        _check_item(",")
    items = text.split()
    if not items:
        raise ValidationError(f"Enter at least one scope, separated by spaces, such as {_EXAMPLE}.")
    for item in items:
        _check_item(item)
    return _unique(items)


def format_scope(scopes: Iterable[str]) -> str:
    """Join scopes with single spaces, order kept, duplicates dropped.

    Every item must be one valid scope (no commas, spaces or empty items). A plain string is
    treated as user input and parsed with :func:`parse_scope`.
    """
    if isinstance(scopes, str):
        return " ".join(parse_scope(scopes))
    items = list(scopes)
    for item in items:
        _check_item(item)
    return " ".join(_unique(items))


def split_scope(text: str) -> tuple[str, ...]:
    """Lenient split of a scope string sent by the server (never raises)."""
    return _unique(text.split())
