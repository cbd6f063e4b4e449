"""The transport of the shared ``httpx.Client``: each request direct, or through its proxy.

:class:`RoutingTransport` asks :meth:`ProxySettings.proxy_for` for every request, so the client
follows exactly the rules of :mod:`tiki_gui.core.proxies` (loopback always direct, ``no_proxy``
with domains, networks and ports) rather than httpx's own reading of the environment, and the
embedded browser is given the same rules. One connection pool per route, all closed together.

A proxy that refuses the tunnel (``407``, ``403``, ``502``) or cannot be reached raises
:class:`ProxyRefusal`, which :func:`proxy_failed_error` turns into the core's
:class:`~tiki_gui.core.errors.ProxyFailedError`. A TLS failure through a working tunnel stays a
TLS failure: the proxy did its job, the certificate is the problem.
"""

from __future__ import annotations

import re
import ssl
import threading
from collections.abc import Iterable

import httpx

from tiki_gui.core.errors import ProxyFailedError
from tiki_gui.core.proxies import ProxySettings, describe_proxy
from tiki_gui.core.redact import excerpt

__all__ = ["ProxyRefusal", "RoutingTransport", "proxy_failed_error"]

_SUPPORTED_PROXY_SCHEMES = ("http", "https")
_STATUS = re.compile(r"^\s*(\d{3})\b")


class ProxyRefusal(httpx.ProxyError):
    """The proxy said no, or was not there. ``proxy`` is ``host:port``; ``status_code`` the
    proxy's HTTP status (None when it was not reached)."""

    def __init__(self, message: str, *, proxy: str, status_code: int | None) -> None:
        super().__init__(message)
        self.proxy = proxy
        self.status_code = status_code


def _is_tls_failure(exc: BaseException) -> bool:
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        current = current.__cause__ or current.__context__
    return "[SSL" in str(exc) or "CERTIFICATE_VERIFY_FAILED" in str(exc)


class RoutingTransport(httpx.BaseTransport):
    """Sends each request directly or through the proxy :class:`ProxySettings` names for it."""

    def __init__(self, settings: ProxySettings, tls: ssl.SSLContext) -> None:
        self._settings = settings
        self._tls = tls
        self._lock = threading.Lock()
        self._direct = httpx.HTTPTransport(verify=tls, trust_env=False)
        self._proxied: dict[str, httpx.HTTPTransport] = {}

    @property
    def settings(self) -> ProxySettings:
        return self._settings

    def _through(self, proxy_url: str) -> httpx.BaseTransport:
        with self._lock:
            transport = self._proxied.get(proxy_url)
            if transport is None:
                scheme = proxy_url.split("://", 1)[0].lower()
                if scheme not in _SUPPORTED_PROXY_SCHEMES:
                    raise ProxyRefusal(
                        f"{scheme}:// proxies are not supported, only http:// and https://",
                        proxy=describe_proxy(proxy_url),
                        status_code=None,
                    )
                # TLS to the proxy itself (an https:// proxy) trusts the same store.
                proxy = httpx.Proxy(proxy_url, ssl_context=self._tls if scheme == "https" else None)
                transport = httpx.HTTPTransport(verify=self._tls, trust_env=False, proxy=proxy)
                self._proxied[proxy_url] = transport
            return transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        proxy_url = self._settings.proxy_for(str(request.url))
        if proxy_url is None:
            return self._direct.handle_request(request)
        transport = self._through(proxy_url)
        proxy = describe_proxy(proxy_url)
        try:
            response = transport.handle_request(request)
        except ProxyRefusal:
            raise
        except httpx.ProxyError as exc:  # the CONNECT was answered with an error status
            match = _STATUS.match(str(exc))
            status = int(match.group(1)) if match else None
            raise ProxyRefusal(str(exc), proxy=proxy, status_code=status) from None
        except httpx.ConnectError as exc:
            if _is_tls_failure(exc):
                raise  # through the tunnel: the site's certificate, not the proxy
            raise ProxyRefusal(
                f"the proxy could not be reached: {exc}", proxy=proxy, status_code=None
            ) from None
        if request.url.scheme == "http" and response.status_code == 407:
            response.close()  # plain http through a forward proxy: the answer is the proxy's
            raise ProxyRefusal("407 Proxy Authentication Required", proxy=proxy, status_code=407)
        return response

    def close(self) -> None:
        with self._lock:
            transports = [self._direct, *self._proxied.values()]
            self._proxied.clear()
        for transport in transports:
            transport.close()


def proxy_failed_error(
    exc: httpx.ProxyError, *, target: str, where: str, secrets: Iterable[str] = ()
) -> ProxyFailedError:
    """The core error for a proxy failure on the way to ``target`` ("the token endpoint")."""
    proxy = exc.proxy if isinstance(exc, ProxyRefusal) else ""
    status = exc.status_code if isinstance(exc, ProxyRefusal) else None
    reason = excerpt(str(exc) or type(exc).__name__, list(secrets))
    the_proxy = f"the proxy {proxy}" if proxy else "the proxy"
    if status == 407:
        message = (
            f"{the_proxy.capitalize()} wants a user name and password (HTTP 407) before it "
            f"connects to {target} ({where}). Put them in the proxy setting "
            f"(HTTPS_PROXY=http://USER:PASSWORD@{proxy or 'HOST:PORT'}) or ask your IT department."
        )
    elif status is not None:
        message = (
            f"{the_proxy.capitalize()} refused to connect to {target} ({where}) (HTTP {status}). "
            "Check NO_PROXY and HTTPS_PROXY, or ask your IT department to allow the host."
        )
    else:
        message = (
            f"Could not go through {the_proxy} to {target} ({where}): {reason}. "
            "Check HTTPS_PROXY (or the system's proxy settings)."
        )
    return ProxyFailedError(message, proxy=proxy, status_code=status, reason=reason)
