"""A quick look at the token endpoint before the HTTP client exists: does it answer HTTP?

:func:`probe_status` sends the token endpoint check's plain ``GET`` over a socket of its own
and reads the status line of the answer, without httpx (importing it and making the client is
~80 ms of Python, issue 11, P2: on the first Authorize that Python would compete for the GIL
with the GUI thread starting the embedded browser). It only ever answers *yes, with this
status*: the connection is direct (a request the proxy settings send through a proxy is left
to the client), https is verified with the client's own trust store
(:func:`tiki_gui.core.trust.tls_context`), and anything but a status line (refused, timed out,
TLS rejected, cancelled, not HTTP) is "cannot tell" (None): the caller then makes the real
check with the client, which words the failure
(:func:`tiki_gui.core.preflight.check_token_endpoint`).
Nothing secret is sent: no credentials, no parameters.
"""

from __future__ import annotations

import re
import socket
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from tiki_gui import USER_AGENT
from tiki_gui.core.cancellation import RequestGuard
from tiki_gui.core.proxies import proxy_settings

if TYPE_CHECKING:
    from tiki_gui.core.cancellation import Cancellation

__all__ = ["probe_status"]

_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)? (\d{3})[ \r\n]")
_HEAD_LIMIT = 4096  # the status line is all that is read


def probe_status(
    url: str, *, deadline: float, cancellation: Cancellation | None = None
) -> int | None:
    """The HTTP status a plain ``GET`` of ``url`` is answered with over a direct connection,
    within ``deadline`` seconds; None when the probe cannot tell (see the module docstring)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host or proxy_settings().proxy_for(url):
        return None
    default_port = port == (443 if scheme == "https" else 80)
    authority = f"[{host}]" if ":" in host else host
    request = (
        f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
        f"Host: {authority if default_port else f'{authority}:{port}'}\r\n"
        f"User-Agent: {USER_AGENT}\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    ).encode("ascii", "strict")
    try:
        with RequestGuard(deadline, cancellation) as guard:
            return _exchange(host, port, scheme == "https", request, guard)
    except (OSError, ValueError, UnicodeError):  # refused, timed out, TLS, stopped, not ASCII
        return None


def _exchange(host: str, port: int, tls: bool, request: bytes, guard: RequestGuard) -> int | None:
    # An ASCII name is resolved as bytes: given a str, the resolver encodes it with Python's
    # "idna" codec, whose first use imports it (stringprep, unicodedata: ~4-6 ms holding the GIL
    # the GUI thread needs while it starts the consent page, issue 11, P2).
    # (typeshed allows only str; socket.getaddrinfo, which create_connection calls, takes bytes.)
    name = cast("str", host.encode("ascii")) if host.isascii() else host
    sock = socket.create_connection((name, port), timeout=max(guard.remaining(), 0.01))
    try:
        guard.watch(sock)
        if tls:
            from tiki_gui.core.trust import tls_context  # ssl and the trust store: https only

            sock = tls_context().wrap_socket(sock, server_hostname=host)
            guard.watch(sock)
        sock.settimeout(max(guard.remaining(), 0.01))
        sock.sendall(request)
        head = b""
        while b"\n" not in head and len(head) < _HEAD_LIMIT:
            chunk = sock.recv(_HEAD_LIMIT)
            if not chunk or guard.stopped is not None:
                return None
            head += chunk
    finally:
        sock.close()
    match = _STATUS_LINE.match(head)
    return int(match.group(1)) if match else None
