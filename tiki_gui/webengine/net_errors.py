"""Chromium's ``net::ERR_...`` codes in words (Qt-free: a table and one function).

QtWebEngine reports a failed load with Chromium's error name ("net::ERR_CONNECTION_REFUSED"),
which means little to most people. :func:`describe_net_error` gives a sentence for the common
ones and keeps the code in brackets, for a search or a bug report.

The table's English is the catalog's source text (context ``NetErrors``, marked for
``pyside6-lupdate``); the UI passes ``translate`` to show it in its language, the module itself
stays free of Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CONTEXT", "NET_ERROR_WORDS", "UNKNOWN_ERROR", "describe_net_error"]

CONTEXT = "NetErrors"  # the catalog's context of the words below


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # the name lupdate finds
    """Mark ``source`` for ``pyside6-lupdate`` under ``context``; translated where it is shown."""
    del context
    return source


NET_ERROR_WORDS: dict[str, str] = {
    "ERR_NAME_NOT_RESOLVED": QT_TRANSLATE_NOOP(
        "NetErrors",
        "the server's name could not be found (check the address and the internet connection)",
    ),
    "ERR_NAME_RESOLUTION_FAILED": QT_TRANSLATE_NOOP(
        "NetErrors", "the server's name could not be looked up (check the internet connection)"
    ),
    "ERR_CONNECTION_REFUSED": QT_TRANSLATE_NOOP(
        "NetErrors",
        "nothing answers at that address and port (is the server running, and is the port right?)",
    ),
    "ERR_CONNECTION_TIMED_OUT": QT_TRANSLATE_NOOP("NetErrors", "the server did not answer in time"),
    "ERR_TIMED_OUT": QT_TRANSLATE_NOOP("NetErrors", "the server did not answer in time"),
    "ERR_CONNECTION_RESET": QT_TRANSLATE_NOOP("NetErrors", "the connection was cut off (reset)"),
    "ERR_CONNECTION_CLOSED": QT_TRANSLATE_NOOP("NetErrors", "the server closed the connection"),
    "ERR_CONNECTION_FAILED": QT_TRANSLATE_NOOP("NetErrors", "the connection to the server failed"),
    "ERR_EMPTY_RESPONSE": QT_TRANSLATE_NOOP(
        "NetErrors", "the server closed the connection without answering"
    ),
    "ERR_INTERNET_DISCONNECTED": QT_TRANSLATE_NOOP(
        "NetErrors", "this computer is not connected to the internet"
    ),
    "ERR_NETWORK_CHANGED": QT_TRANSLATE_NOOP(
        "NetErrors", "the network changed while the page was loading"
    ),
    "ERR_ADDRESS_UNREACHABLE": QT_TRANSLATE_NOOP(
        "NetErrors", "the server's address cannot be reached from this network"
    ),
    "ERR_ADDRESS_INVALID": QT_TRANSLATE_NOOP("NetErrors", "the server's address is not valid"),
    "ERR_PROXY_CONNECTION_FAILED": QT_TRANSLATE_NOOP(
        "NetErrors", "the proxy server could not be reached"
    ),
    "ERR_TUNNEL_CONNECTION_FAILED": QT_TRANSLATE_NOOP(
        "NetErrors", "the proxy server would not connect to the site"
    ),
    "ERR_PROXY_AUTH_UNSUPPORTED": QT_TRANSLATE_NOOP(
        "NetErrors", "the proxy server asks for a login the browser cannot give"
    ),
    "ERR_SSL_PROTOCOL_ERROR": QT_TRANSLATE_NOOP("NetErrors", "the secure (TLS) connection failed"),
    "ERR_SSL_VERSION_OR_CIPHER_MISMATCH": QT_TRANSLATE_NOOP(
        "NetErrors", "the server's secure connection settings are too old or unusual"
    ),
    "ERR_TOO_MANY_REDIRECTS": QT_TRANSLATE_NOOP(
        "NetErrors", "the page keeps redirecting without end"
    ),
    "ERR_INVALID_URL": QT_TRANSLATE_NOOP("NetErrors", "the address is not a valid URL"),
    "ERR_UNSAFE_PORT": QT_TRANSLATE_NOOP("NetErrors", "the browser refuses that port as unsafe"),
    "ERR_INVALID_RESPONSE": QT_TRANSLATE_NOOP(
        "NetErrors", "the server sent an answer the browser cannot read"
    ),
    "ERR_HTTP_RESPONSE_CODE_FAILURE": QT_TRANSLATE_NOOP(
        "NetErrors", "the server answered with an HTTP error and no page"
    ),
    "ERR_BLOCKED_BY_CLIENT": QT_TRANSLATE_NOOP("NetErrors", "the browser blocked the page"),
    "ERR_FILE_NOT_FOUND": QT_TRANSLATE_NOOP("NetErrors", "the file was not found"),
}

_CODE = re.compile(r"(?:net::)?(ERR_[A-Z0-9_]+)")


def _as_is(words: str) -> str:
    return words


UNKNOWN_ERROR = QT_TRANSLATE_NOOP("NetErrors", "unknown error")


def describe_net_error(error_string: str, translate: Callable[[str], str] = _as_is) -> str:
    """``"nothing answers at that address and port (...) (net::ERR_CONNECTION_REFUSED)"`` for
    Chromium's error name; other text is returned as it is. ``translate`` turns the table's
    English into the UI's language (the code stays as Chromium names it)."""
    match = _CODE.search(error_string or "")
    if match is None:
        return error_string or translate(UNKNOWN_ERROR)
    words = NET_ERROR_WORDS.get(match.group(1))
    if words is None:
        return error_string
    return f"{translate(words)} (net::{match.group(1)})"
