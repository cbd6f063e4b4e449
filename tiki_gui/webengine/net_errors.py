"""Chromium's ``net::ERR_...`` codes in words (Qt-free: a table and one function).

QtWebEngine reports a failed load with Chromium's error name ("net::ERR_CONNECTION_REFUSED"),
which means little to most people. :func:`describe_net_error` gives a sentence for the common
ones and keeps the code in brackets, for a search or a bug report.
"""

from __future__ import annotations

import re

__all__ = ["NET_ERROR_WORDS", "describe_net_error"]

NET_ERROR_WORDS: dict[str, str] = {
    "ERR_NAME_NOT_RESOLVED": "the server's name could not be found (check the address and "
    "the internet connection)",
    "ERR_NAME_RESOLUTION_FAILED": "the server's name could not be looked up (check the "
    "internet connection)",
    "ERR_CONNECTION_REFUSED": "nothing answers at that address and port (is the server running, "
    "and is the port right?)",
    "ERR_CONNECTION_TIMED_OUT": "the server did not answer in time",
    "ERR_TIMED_OUT": "the server did not answer in time",
    "ERR_CONNECTION_RESET": "the connection was cut off (reset)",
    "ERR_CONNECTION_CLOSED": "the server closed the connection",
    "ERR_CONNECTION_FAILED": "the connection to the server failed",
    "ERR_EMPTY_RESPONSE": "the server closed the connection without answering",
    "ERR_INTERNET_DISCONNECTED": "this computer is not connected to the internet",
    "ERR_NETWORK_CHANGED": "the network changed while the page was loading",
    "ERR_ADDRESS_UNREACHABLE": "the server's address cannot be reached from this network",
    "ERR_ADDRESS_INVALID": "the server's address is not valid",
    "ERR_PROXY_CONNECTION_FAILED": "the proxy server could not be reached",
    "ERR_TUNNEL_CONNECTION_FAILED": "the proxy server would not connect to the site",
    "ERR_PROXY_AUTH_UNSUPPORTED": "the proxy server asks for a login the browser cannot give",
    "ERR_SSL_PROTOCOL_ERROR": "the secure (TLS) connection failed",
    "ERR_SSL_VERSION_OR_CIPHER_MISMATCH": "the server's secure connection settings are too old "
    "or unusual",
    "ERR_TOO_MANY_REDIRECTS": "the page keeps redirecting without end",
    "ERR_INVALID_URL": "the address is not a valid URL",
    "ERR_UNSAFE_PORT": "the browser refuses that port as unsafe",
    "ERR_INVALID_RESPONSE": "the server sent an answer the browser cannot read",
    "ERR_HTTP_RESPONSE_CODE_FAILURE": "the server answered with an HTTP error and no page",
    "ERR_BLOCKED_BY_CLIENT": "the browser blocked the page",
    "ERR_FILE_NOT_FOUND": "the file was not found",
}

_CODE = re.compile(r"(?:net::)?(ERR_[A-Z0-9_]+)")


def describe_net_error(error_string: str) -> str:
    """``"nothing answers at that address and port (...) (net::ERR_CONNECTION_REFUSED)"`` for
    Chromium's error name; other text is returned as it is."""
    match = _CODE.search(error_string or "")
    if match is None:
        return error_string or "unknown error"
    words = NET_ERROR_WORDS.get(match.group(1))
    if words is None:
        return error_string
    return f"{words} (net::{match.group(1)})"
