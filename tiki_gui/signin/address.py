"""Which redirect URIs the app can receive itself, and what to say when it cannot listen."""

from __future__ import annotations

import errno
import ipaddress
from urllib.parse import urlsplit

from tiki_gui.core.endpoints import loopback_ip
from tiki_gui.signin.errors import LoopbackError, PortInUseError

__all__ = [
    "bind_error",
    "host_header_matches",
    "is_loopback_redirect_uri",
    "loopback_address",
    "shown_uri",
    "url_host_for",
]

_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)}
_DENIED = {errno.EACCES, errno.EPERM, getattr(errno, "WSAEACCES", -1)}
_NOT_HERE = {errno.EADDRNOTAVAIL, getattr(errno, "WSAEADDRNOTAVAIL", -1), errno.EAFNOSUPPORT}


def loopback_address(redirect_uri: str) -> tuple[str, int]:
    """The (IP address, port) to listen on for ``redirect_uri``; LoopbackError if there is none.

    Accepted: ``http://`` with an IPv4 loopback literal (127.0.0.0/8) or ``[::1]``. ``localhost``
    is refused (RFC 8252 8.3: it may resolve to the other address family, or be remapped). A
    missing port means 80, as in any http URL.
    """
    text = redirect_uri.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise LoopbackError(f"The redirect URI {shown_uri(text)} is not a valid URL.") from None
    host = parts.hostname or ""
    if parts.scheme.lower() != "http" or not host:
        raise LoopbackError(
            "The app can only receive the redirect itself for an http:// redirect URI on this "
            f"computer, such as http://127.0.0.1:8765/callback; {shown_uri(text)} is not one. "
            "Paste the address the browser lands on instead."
        )
    if host.lower() == "localhost":
        raise LoopbackError(
            "Use http://127.0.0.1:PORT/... (or http://[::1]:PORT/...) as the redirect URI, not "
            "localhost: 'localhost' may point to another address than the one the app listens on."
        )
    address = loopback_ip(host)
    if address is None:
        raise LoopbackError(
            f"The redirect URI {shown_uri(text)} is not on this computer, so the app cannot "
            "receive the redirect itself: register http://127.0.0.1:PORT/... for that, or "
            "paste the address the browser lands on."
        )
    if "@" in parts.netloc:
        raise LoopbackError("The redirect URI must not contain a user name or password.")
    return str(address), 80 if port is None else port


def is_loopback_redirect_uri(redirect_uri: str) -> bool:
    """True if :class:`LoopbackReceiver` can listen for ``redirect_uri``."""
    try:
        loopback_address(redirect_uri)
    except LoopbackError:
        return False
    return True


def shown_uri(text: str) -> str:
    shown = text.split("?", 1)[0].split("#", 1)[0]
    return repr(shown if len(shown) <= 80 else shown[:79] + "…")


def url_host_for(host: str) -> str:
    """An IP address as written in a URL: IPv6 in brackets."""
    return f"[{host}]" if ":" in host else host


def host_header_matches(value: str | None, host: str, port: int) -> bool:
    """True if a request's ``Host`` header names (host, port): not another site's name for us."""
    if value is None:
        return True  # HTTP/1.0 without Host: not a browser
    try:
        parts = urlsplit(f"//{value.strip()}")
        named_port = parts.port
        named_host = ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        return False
    return named_host == ipaddress.ip_address(host) and (named_port or 80) == port


def bind_error(exc: OSError, host: str, port: int, path: str) -> LoopbackError:
    """The error to raise when listening on (host, port) failed with ``exc``."""
    url_host = url_host_for(host)
    where = f"{url_host}:{port}"
    if exc.errno in _IN_USE:
        return PortInUseError(
            f"Port {port} on {url_host} is already in use by another program, so "
            "the app cannot receive the redirect there. Close that program (or another "
            "tiki-gui sign-in), or use a redirect URI with another port.",
            host=host,
            port=port,
        )
    if exc.errno in _DENIED:
        return LoopbackError(
            f"This computer does not allow the app to listen on {where} (ports below 1024 "
            "need administrator rights): use a redirect URI with a port above 1024, such as "
            f"http://{url_host}:8765{path}."
        )
    if exc.errno in _NOT_HERE:
        return LoopbackError(
            f"The address {url_host} is not available on this computer (is IPv6 "
            "switched off?): use http://127.0.0.1:PORT/... as the redirect URI."
        )
    reason = exc.strerror or type(exc).__name__
    return LoopbackError(f"The app cannot listen on {where}: {reason}.")
