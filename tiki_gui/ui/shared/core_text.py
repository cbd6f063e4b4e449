"""The Qt-free core's validation sentences, in the UI's language.

``tiki_gui.core`` raises :class:`~tiki_gui.core.errors.ValidationError` with English sentences
(``tiki-gui token`` prints them as they are). The UI shows them through :func:`core_text`: each
known sentence is recognised by its pattern and re-written from the catalog, with the parts that
are data (a field's name, the URL typed) carried over; a sentence not listed stays as it is.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QCoreApplication

from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP

__all__ = ["PATTERNS", "core_text"]

_WHAT = r"(?P<what>.+)"
_URL = r"(?P<url>\S+)"

# (pattern of the core's English sentence, the catalog's source with the same placeholders);
# each pattern is compiled when first tried, not at import (29 of them: ~3 ms at start, issue 11)
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"Client ID is required", QT_TRANSLATE_NOOP("CoreText", "Client ID is required")),
    (
        r"Client ID must not contain spaces or line breaks",
        QT_TRANSLATE_NOOP("CoreText", "Client ID must not contain spaces or line breaks"),
    ),
    (r"Client secret is required", QT_TRANSLATE_NOOP("CoreText", "Client secret is required")),
    (
        r"Client secret contains a line break or control character \(pasted extra text\?\)",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "Client secret contains a line break or control character (pasted extra text?)",
        ),
    ),
    (
        rf"{_WHAT} is empty: enter an absolute https:// URL\.",
        QT_TRANSLATE_NOOP("CoreText", "{what} is empty: enter an absolute https:// URL."),
    ),
    (
        rf"{_WHAT} must not contain spaces or control characters\.",
        QT_TRANSLATE_NOOP("CoreText", "{what} must not contain spaces or control characters."),
    ),
    (
        rf"{_WHAT} {_URL} is not a valid URL \(check the host name and port\)\.",
        QT_TRANSLATE_NOOP(
            "CoreText", "{what} {url} is not a valid URL (check the host name and port)."
        ),
    ),
    (
        rf"{_WHAT} must be an absolute URL starting with https:// \(http:// only for this "
        rf"computer\); {_URL} is not\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "{what} must be an absolute URL starting with https:// (http:// only for this "
            "computer); {url} is not.",
        ),
    ),
    (
        rf"{_WHAT} must not contain a user name or password before the host\.",
        QT_TRANSLATE_NOOP(
            "CoreText", "{what} must not contain a user name or password before the host."
        ),
    ),
    (
        rf"{_WHAT} {_URL} has no host name\.",
        QT_TRANSLATE_NOOP("CoreText", "{what} {url} has no host name."),
    ),
    (
        rf"{_WHAT} {_URL} has port 0, which cannot be used\.",
        QT_TRANSLATE_NOOP("CoreText", "{what} {url} has port 0, which cannot be used."),
    ),
    (
        rf"{_WHAT} must not contain a #fragment\.",
        QT_TRANSLATE_NOOP("CoreText", "{what} must not contain a #fragment."),
    ),
    (
        rf"{_WHAT} must use https://\. Plain http:// is only allowed for this computer "
        rf"\(127\.0\.0\.1, ::1 or localhost\), and {_URL} is not on it\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "{what} must use https://. Plain http:// is only allowed for this computer "
            "(127.0.0.1, ::1 or localhost), and {url} is not on it.",
        ),
    ),
    (
        r"A scope is empty: write the scopes separated by spaces, as (?P<example>.+)\.",
        QT_TRANSLATE_NOOP(
            "CoreText", "A scope is empty: write the scopes separated by spaces, as {example}."
        ),
    ),
    (
        r"Scopes are separated by spaces, not commas: write (?P<example>.+), not "
        r"'offline,product,order' \(Tiki would reject it as one unknown scope\)\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "Scopes are separated by spaces, not commas: write {example}, not "
            "'offline,product,order' (Tiki would reject it as one unknown scope).",
        ),
    ),
    (
        r"A scope must be a single word; (?P<scope>.+) contains a space\.",
        QT_TRANSLATE_NOOP("CoreText", "A scope must be a single word; {scope} contains a space."),
    ),
    (
        r"Scope (?P<scope>.+) contains (?P<char>.+), which a scope cannot contain "
        r"\(only printable ASCII without quotes or backslashes\)\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "Scope {scope} contains {char}, which a scope cannot contain (only printable "
            "ASCII without quotes or backslashes).",
        ),
    ),
    (
        "Nothing\\ was\\ pasted:\\ copy\\ the\\ whole\\ address\\ from\\ the\\ browser's\\ "
        "address\\ bar\\ after\\ you\\ allowed\\ access\\ \\(it\\ starts\\ with\\ "
        "https://\\ or\\ http://\\)\\ and\\ paste\\ it\\ here\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "Nothing was pasted: copy the whole address from the browser's address bar "
            "after you allowed access (it starts with https:// or http://) and paste it "
            "here.",
        ),
    ),
    (
        "The\\ pasted\\ text\\ is\\ not\\ a\\ valid\\ URL:\\ copy\\ the\\ whole\\ "
        "address\\ from\\ the\\ browser's\\ address\\ bar\\ after\\ you\\ allowed\\ "
        "access\\ \\(it\\ starts\\ with\\ https://\\ or\\ http://\\)\\ and\\ paste\\ it\\ "
        "here\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "The pasted text is not a valid URL: copy the whole address from the browser's "
            "address bar after you allowed access (it starts with https:// or http://) and "
            "paste it here.",
        ),
    ),
    (
        "The\\ pasted\\ address\\ has\\ no\\ valid\\ host\\ name:\\ copy\\ the\\ whole\\ "
        "address\\ from\\ the\\ browser's\\ address\\ bar\\ after\\ you\\ allowed\\ "
        "access\\ \\(it\\ starts\\ with\\ https://\\ or\\ http://\\)\\ and\\ paste\\ it\\ "
        "here\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "The pasted address has no valid host name: copy the whole address from the "
            "browser's address bar after you allowed access (it starts with https:// or "
            "http://) and paste it here.",
        ),
    ),
    (
        "The\\ pasted\\ text\\ is\\ not\\ a\\ web\\ address\\ \\(http://\\ or\\ "
        "https://\\):\\ copy\\ the\\ whole\\ address\\ from\\ the\\ browser's\\ address\\ "
        "bar\\ after\\ you\\ allowed\\ access\\ \\(it\\ starts\\ with\\ https://\\ or\\ "
        "http://\\)\\ and\\ paste\\ it\\ here\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "The pasted text is not a web address (http:// or https://): copy the whole "
            "address from the browser's address bar after you allowed access (it starts "
            "with https:// or http://) and paste it here.",
        ),
    ),
    (
        "The\\ pasted\\ text\\ is\\ only\\ part\\ of\\ an\\ address:\\ copy\\ the\\ "
        "whole\\ address\\ from\\ the\\ browser's\\ address\\ bar\\ after\\ you\\ "
        "allowed\\ access\\ \\(it\\ starts\\ with\\ https://\\ or\\ http://\\)\\ and\\ "
        "paste\\ it\\ here\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "The pasted text is only part of an address: copy the whole address from the "
            "browser's address bar after you allowed access (it starts with https:// or "
            "http://) and paste it here.",
        ),
    ),
    (
        "The\\ pasted\\ text\\ is\\ not\\ a\\ URL:\\ copy\\ the\\ whole\\ address\\ from\\ "
        "the\\ browser's\\ address\\ bar\\ after\\ you\\ allowed\\ access\\ \\(it\\ "
        "starts\\ with\\ https://\\ or\\ http://\\)\\ and\\ paste\\ it\\ here\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "The pasted text is not a URL: copy the whole address from the browser's "
            "address bar after you allowed access (it starts with https:// or http://) and "
            "paste it here.",
        ),
    ),
    (
        "The\\ pasted\\ address\\ has\\ no\\ https://\\ \\(or\\ http://\\)\\ in\\ front:\\ "
        "copy\\ it\\ again\\ from\\ the\\ address\\ bar,\\ where\\ the\\ browser\\ adds\\ "
        "it\\ when\\ copying\\ the\\ whole\\ address\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "The pasted address has no https:// (or http://) in front: copy it again from "
            "the address bar, where the browser adds it when copying the whole address.",
        ),
    ),
    (
        "This\\ is\\ the\\ address\\ of\\ the\\ sign\\-in\\ page\\ itself,\\ not\\ of\\ "
        "the\\ page\\ the\\ browser\\ lands\\ on\\ at\\ the\\ end:\\ finish\\ signing\\ "
        "in\\ and\\ allowing\\ access\\ in\\ the\\ browser,\\ then\\ copy\\ the\\ "
        "address\\ it\\ shows\\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "This is the address of the sign-in page itself, not of the page the browser "
            "lands on at the end: finish signing in and allowing access in the browser, "
            "then copy the address it shows.",
        ),
    ),
    (
        r"This is not your redirect URI: the pasted address goes to (?P<pasted>.+), but this "
        r"sign-in's redirect URI is (?P<expected>.+)\. Copy the address of the tab that ended "
        r"on the redirect URI\.",
        QT_TRANSLATE_NOOP(
            "CoreText",
            "This is not your redirect URI: the pasted address goes to {pasted}, but this "
            "sign-in's redirect URI is {expected}. Copy the address of the tab that ended on "
            "the redirect URI.",
        ),
    ),
    (
        r"Receiving the redirect on this computer needs a loopback redirect URI such as "
        r"http://127\.0\.0\.1:8765/callback \(or http://\[::1\]:8765/callback\); for this "
        r'redirect URI choose "Paste the redirect URL" instead',
        QT_TRANSLATE_NOOP(
            "CoreText",
            "Receiving the redirect on this computer needs a loopback redirect URI such as "
            "http://127.0.0.1:8765/callback (or http://[::1]:8765/callback); for this redirect "
            'URI choose "Paste the redirect URL" instead',
        ),
    ),
    (
        r"Enter at least one scope, separated by spaces, such as (?P<example>.+)\.",
        QT_TRANSLATE_NOOP(
            "CoreText", "Enter at least one scope, separated by spaces, such as {example}."
        ),
    ),
    (rf"{_WHAT} is required", QT_TRANSLATE_NOOP("CoreText", "{what} is required")),
)


_SPECIAL = frozenset(".^$*+?{}[]|()")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(f"^{pattern}$")


@cache
def _literal_end(pattern: str) -> str:
    """The plain text every match of ``pattern`` ends with (after its last special character):
    a sentence that does not end so is passed over without compiling the pattern."""
    end: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            end = [] if escaped.isalnum() else [*end, escaped]  # \S, \d: a class; \. a dot
            i += 2
            continue
        end = [] if char in _SPECIAL else [*end, char]
        i += 1
    return "".join(end)


def core_text(sentence: str) -> str:
    """``sentence`` (one of the core's) in the UI's language; unknown sentences unchanged."""
    sentinel = PATTERNS[-1][1]
    if QCoreApplication.translate("CoreText", sentinel) == sentinel:
        return sentence  # no catalogue translates the core's sentences: its own words (English)
    for pattern, source in PATTERNS:
        if not sentence.endswith(_literal_end(pattern)):
            continue
        match = _compiled(pattern).match(sentence)
        if match is not None:
            return QCoreApplication.translate("CoreText", source).format(**match.groupdict())
    return sentence
