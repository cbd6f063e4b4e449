"""Where the authorization server and the seller API live, and which URLs are acceptable."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from tiki_gui.core.errors import ValidationError

__all__ = ["TIKI_PRODUCTION", "Endpoints", "is_loopback_host", "loopback_ip", "validate_url"]

_SHOWN_URL_LIMIT = 80


def _shown(url: str) -> str:
    """The URL as quoted back in a message: short, and without its query (which may be long)."""
    shown = url.split("?", 1)[0].split("#", 1)[0]
    if len(shown) > _SHOWN_URL_LIMIT:
        shown = shown[: _SHOWN_URL_LIMIT - 1] + "…"
    return repr(shown)


def loopback_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address if ``host`` is a loopback IP literal (127.0.0.0/8, ``::1``, brackets allowed)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    return address if address.is_loopback else None


def is_loopback_host(host: str) -> bool:
    """The one loopback rule: a loopback IP literal (IPv4-mapped ones too), ``localhost`` or a
    ``*.localhost`` name (RFC 6761 6.3: always this computer). Plain ``http://`` is allowed only
    to such a host, and the proxy rules never send it through a proxy.

    Receiving a redirect needs more: a listener binds an address, so
    :func:`tiki_gui.signin.address.loopback_address` takes only the IP literals
    (:func:`loopback_ip`; RFC 8252 8.3 advises against ``localhost``).
    """
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost") or loopback_ip(name) is not None:
        return True
    try:
        mapped = ipaddress.ip_address(name)
    except ValueError:
        return False
    # ::ffff:127.0.0.1 is this computer too (Python 3.11's is_loopback says no).
    return (
        isinstance(mapped, ipaddress.IPv6Address)
        and loopback_ip(str(mapped.ipv4_mapped)) is not None
    )


def validate_url(url: str, *, what: str = "URL") -> str:
    """Return ``url`` (without surrounding whitespace) if it is usable as an endpoint or redirect.

    Accepted: an absolute ``https://`` URL, or ``http://`` on this computer only (127.0.0.0/8,
    ``::1``, ``localhost``). No user name or password, no ``#fragment``, no spaces. Anything else
    raises :class:`ValidationError` with a sentence naming ``what`` (e.g. "Token endpoint").
    """
    text = url.strip()
    if not text:
        raise ValidationError(f"{what} is empty: enter an absolute https:// URL.")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise ValidationError(f"{what} must not contain spaces or control characters.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError(
            f"{what} {_shown(text)} is not a valid URL (check the host name and port)."
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.netloc:
        raise ValidationError(
            f"{what} must be an absolute URL starting with https:// (http:// only for this "
            f"computer); {_shown(text)} is not."
        )
    if "@" in parts.netloc:
        raise ValidationError(f"{what} must not contain a user name or password before the host.")
    host = parts.hostname or ""
    if not host:
        raise ValidationError(f"{what} {_shown(text)} has no host name.")
    if port == 0:
        raise ValidationError(f"{what} {_shown(text)} has port 0, which cannot be used.")
    if parts.fragment or text.endswith("#"):
        raise ValidationError(f"{what} must not contain a #fragment.")
    if scheme == "http" and not is_loopback_host(host):
        raise ValidationError(
            f"{what} must use https://. Plain http:// is only allowed for this computer "
            f"(127.0.0.1, ::1 or localhost), and {_shown(text)} is not on it."
        )
    return text


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The three URLs a flow needs. Editable: Tiki's sandbox location is unknown."""

    authorization_endpoint: str
    token_endpoint: str
    api_base: str

    def __post_init__(self) -> None:
        validate_url(self.authorization_endpoint, what="Authorization endpoint")
        validate_url(self.token_endpoint, what="Token endpoint")
        validate_url(self.api_base, what="API base URL")

    @classmethod
    def for_base_url(cls, base_url: str) -> Endpoints:
        """Endpoints laid out like Tiki's: ``{base}/sc/oauth2/auth``, ``{base}/sc/oauth2/token``."""
        base = validate_url(base_url, what="Base URL").rstrip("/")
        return cls(
            authorization_endpoint=f"{base}/sc/oauth2/auth",
            token_endpoint=f"{base}/sc/oauth2/token",
            api_base=base,
        )


TIKI_PRODUCTION = Endpoints(
    authorization_endpoint="https://api.tiki.vn/sc/oauth2/auth",
    token_endpoint="https://api.tiki.vn/sc/oauth2/token",  # noqa: S106 (a URL, not a password)
    api_base="https://api.tiki.vn",
)
