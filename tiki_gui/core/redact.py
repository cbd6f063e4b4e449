"""Keep secrets out of text that may be shown or logged (error messages, body excerpts)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

__all__ = [
    "EXCERPT_LIMIT",
    "REDACTED",
    "excerpt",
    "forms_of",
    "longest_first",
    "redact",
    "redact_forms",
    "redact_secrets",
    "redact_tokenish",
    "secret_forms",
]

REDACTED = "[redacted]"
EXCERPT_LIMIT = 120
_MIN_SECRET_LENGTH = 3

# Runs of base64 / URL-safe / percent-encoded characters. A run is taken for a token when it is
# long (32+) or, from 20 characters on, contains a digit: identifiers such as
# "token_endpoint_auth_method" stay readable, random strings do not.
_RUN = re.compile(r"[A-Za-z0-9._~+/=%-]{20,}")


def forms_of(secret: str) -> set[str]:
    """The forms a secret may take on the wire or in an echo of it."""
    forms = {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
    return {form for form in forms if len(form) >= _MIN_SECRET_LENGTH}


def secret_forms(secrets: Iterable[str]) -> tuple[str, ...]:
    """Every form of the given secrets (see :func:`redact_forms`), longest first: worked out
    once for a set of secrets that scrubs many texts (quoting them is most of the work)."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms |= forms_of(secret)
    return longest_first(forms)


def longest_first(forms: Iterable[str]) -> tuple[str, ...]:
    """``forms`` in the order :func:`redact_forms` takes them (a form inside a longer one is
    replaced after it)."""
    return tuple(sorted(forms, key=len, reverse=True))


def redact_forms(text: str, forms: Iterable[str]) -> str:
    """Replace every occurrence of ``forms`` (from :func:`secret_forms`, in its order) in
    ``text``."""
    for form in forms:
        text = text.replace(form, REDACTED)
    return text


def redact_secrets(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of the given secrets (and their encoded forms) in ``text``."""
    return redact_forms(text, secret_forms(secrets))


def _tokenish(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) >= 32 or any(ch.isdigit() for ch in run):
        return REDACTED
    return run


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove the known ``secrets`` and anything that looks like a token from ``text``."""
    return redact_tokenish(redact_secrets(text, secrets))


def redact_tokenish(text: str) -> str:
    """Remove anything that looks like a token from ``text`` (long random-looking runs)."""
    return _RUN.sub(_tokenish, text)


def excerpt(text: str, secrets: Iterable[str] = (), *, limit: int = EXCERPT_LIMIT) -> str:
    """A short (at most ``limit`` characters), single-line, secret-free excerpt of ``text``.

    Only the start of ``text`` is cleaned (a few times ``limit``), so the cost does not grow with
    the text: an answer of megabytes costs what its first few hundred characters cost. What
    could be the cut-off start of a secret or token at the end of that window is dropped.
    """
    secret_list = [s for s in secrets if s]
    tail = max([_TAIL_GUARD, *(len(form) for s in secret_list for form in forms_of(s))])
    window = limit * 4 + tail
    cut = len(text) > window
    text = redact(text[:window], secret_list)[:-tail] if cut else redact(text, secret_list)
    cleaned = " ".join(text.split())
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in cleaned)
    if len(cleaned) > limit or (cut and len(cleaned) == limit):
        cleaned = cleaned[: limit - 1] + "…"
    elif cut:
        cleaned += "…"
    return cleaned


_TAIL_GUARD = 64  # longer than any run that _tokenish leaves readable (under 32 characters)
