"""Which proxy a request takes: one set of rules for the token client and the embedded browser.

The proxies come from the environment, as curl, httpx and most tools read them:

- ``https_proxy`` / ``HTTPS_PROXY`` for https URLs, ``http_proxy`` / ``HTTP_PROXY`` for http URLs,
  ``all_proxy`` / ``ALL_PROXY`` for both when the specific one is unset (lower case wins, as in
  urllib; ``HTTP_PROXY`` is ignored in a CGI request, where a client can set it);
- ``no_proxy`` / ``NO_PROXY``: comma-separated hosts reached directly. ``example.com`` and
  ``.example.com`` both mean the domain and every host under it; an IP address or a network
  (``10.0.0.0/8``) matches addresses in it; ``host:port`` only that port; ``*`` means no proxy.

On Windows and macOS, when none of these is set, the system's proxy settings are read the way
urllib reads them (registry, System Settings): static proxies only, no PAC script.

**Loopback is always direct**, whatever the settings say: ``localhost`` (and ``*.localhost``),
127.0.0.0/8 and ``::1`` are this computer, which a company proxy cannot reach (the sandbox and the
loopback sign-in listen there).

Nothing here imports httpx or Qt; :func:`describe_proxy` gives a proxy's ``host:port`` without
the user name and password a proxy URL may carry, for messages and logs.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import environ as _process_environ
from urllib.parse import urlsplit

from tiki_gui.core.endpoints import is_loopback_host

__all__ = [
    "ProxySettings",
    "describe_proxy",
    "host_matches_no_proxy",
    "is_loopback_host",
    "proxy_settings",
]


def _split_host_port(entry: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address -> (host, port)."""
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        return host, int(port_text) if port_text.isdigit() else None
    if entry.count(":") == 1:
        host, _, port_text = entry.partition(":")
        return host, int(port_text) if port_text.isdigit() else None
    return entry, None  # a name, or an IPv6 address without brackets


def host_matches_no_proxy(entry: str, host: str, port: int | None) -> bool:
    """Whether one ``no_proxy`` entry covers ``host`` (and ``port``); see the module docstring."""
    entry = entry.strip().lower()
    host = host.strip("[]").rstrip(".").lower()
    if not entry:
        return False
    if entry == "*":
        return True
    if "/" in entry:  # a network: 10.0.0.0/8, fd00::/8
        try:
            network = ipaddress.ip_network(entry.strip("[]"), strict=False)
            return ipaddress.ip_address(host) in network
        except ValueError:
            return False
    name, entry_port = _split_host_port(entry)
    if entry_port is not None and entry_port != port:
        return False
    name = name.lstrip("*").lstrip(".").rstrip(".")
    if not name:
        return False
    return host == name or host.endswith("." + name)


def describe_proxy(proxy_url: str) -> str:
    """``host:port`` of a proxy URL: never its user name or password."""
    parts = urlsplit(proxy_url if "://" in proxy_url else f"http://{proxy_url}")
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port is not None else host


def _normalise(proxy: str | None) -> str | None:
    """``proxy.corp:3128`` -> ``http://proxy.corp:3128``; empty -> None."""
    if proxy is None or not proxy.strip():
        return None
    proxy = proxy.strip()
    return proxy if "://" in proxy else f"http://{proxy}"


@dataclass(frozen=True, slots=True)
class ProxySettings:
    """The proxies in force; ``from_environment`` is False for the system settings of Windows or
    macOS (then the system's own bypass list applies too). Proxy URLs may carry credentials:
    ``repr`` shows only where the proxies are."""

    http: str | None = field(default=None, repr=False)
    https: str | None = field(default=None, repr=False)
    no_proxy: tuple[str, ...] = ()
    from_environment: bool = True

    @property
    def any(self) -> bool:
        return bool(self.http or self.https)

    def proxy_for(self, url: str) -> str | None:
        """The proxy URL a request to ``url`` goes through, or None for a direct connection."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        scheme = parts.scheme.lower()
        proxy = self.https if scheme == "https" else self.http if scheme == "http" else None
        if proxy is None or not host or is_loopback_host(host):
            return None
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            return None
        if any(host_matches_no_proxy(entry, host, port) for entry in self.no_proxy):
            return None
        if not self.from_environment and _system_bypass(host):
            return None  # the system's own exceptions (Windows, macOS)
        return proxy

    def __str__(self) -> str:
        where = {describe_proxy(p) for p in (self.http, self.https) if p}
        if not where:
            return "no proxy"
        text = "proxy " + ", ".join(sorted(where))
        if self.no_proxy:
            text += f" (not for {', '.join(self.no_proxy)})"
        return text


def _environment_proxies(environ: Mapping[str, str]) -> dict[str, str]:
    """``{"https": ..., "no": ...}`` from ``*_proxy`` variables, lower case winning (urllib's
    rule), without ``HTTP_PROXY`` in a CGI request."""
    found: dict[str, str] = {}
    for name, value in environ.items():
        if value and name.lower().endswith("_proxy"):
            found[name[: -len("_proxy")].lower()] = value
    for name, value in environ.items():
        if name.endswith("_proxy") and name.islower():
            if value:
                found[name[: -len("_proxy")]] = value
            else:
                found.pop(name[: -len("_proxy")], None)
    if "REQUEST_METHOD" in environ and "HTTP_PROXY" in environ:
        found.pop("http", None)
    return found


def _system_proxies() -> dict[str, str]:
    """Windows' registry or macOS' System Settings, as urllib reads them (urllib.request is
    imported here, where it is needed: on Linux it is not, and it costs 3-20 ms to import)."""
    import urllib.request

    return dict(urllib.request.getproxies())


def _system_bypass(host: str) -> bool:
    """The system's own proxy exceptions (Windows, macOS) cover ``host``."""
    import urllib.request

    return bool(urllib.request.proxy_bypass(host))


def proxy_settings(environ: Mapping[str, str] | None = None) -> ProxySettings:
    """The proxy settings of this process (``environ`` defaults to ``os.environ``)."""
    env = _process_environ if environ is None else environ
    found = _environment_proxies(env)
    from_environment = True
    system_settings = environ is None and sys.platform in ("win32", "darwin")
    if system_settings and not any(found.get(key) for key in ("http", "https", "all")):
        found = _system_proxies()
        from_environment = False
    everything = found.get("all")
    no_proxy = tuple(
        entry.strip() for entry in found.get("no", "").replace(" ", ",").split(",") if entry.strip()
    )
    if "*" in no_proxy:
        return ProxySettings(no_proxy=no_proxy, from_environment=from_environment)
    return ProxySettings(
        http=_normalise(found.get("http") or everything),
        https=_normalise(found.get("https") or everything),
        no_proxy=no_proxy,
        from_environment=from_environment,
    )
