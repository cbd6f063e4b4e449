"""One check per credential field, with one wording, used by the form, the profile, the
authorization request and the client credentials alike.

Each ``check_*`` returns the value to use or raises :class:`ValidationError` with a sentence for
the person who typed it. The wording never quotes a secret.
"""

from __future__ import annotations

from tiki_gui.core.errors import ValidationError

__all__ = ["check_client_id", "check_client_secret", "has_control_characters"]


def has_control_characters(text: str) -> bool:
    """True if ``text`` holds a C0 control character (line breaks included) or DEL."""
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


def check_client_id(value: str) -> str:
    """The client ID without surrounding whitespace; it may hold no space or control character."""
    text = value.strip()
    if not text:
        raise ValidationError("Client ID is required")
    if any(ch.isspace() for ch in text) or has_control_characters(text):
        raise ValidationError("Client ID must not contain spaces or line breaks")
    return text


def check_client_secret(value: str) -> str:
    """The client secret as typed (never stripped: a space may be part of it)."""
    if not value:
        raise ValidationError("Client secret is required")
    if has_control_characters(value):
        raise ValidationError(
            "Client secret contains a line break or control character (pasted extra text?)"
        )
    return value
