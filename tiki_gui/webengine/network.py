"""The embedded browser on a company network: the token client's proxy, and the company's CA.

**Proxy.** QtWebEngine (Chromium) follows the system's proxy settings by itself
(``QNetworkProxyFactory.usesSystemConfiguration()`` is true by default): Windows' and macOS'
settings (a PAC script included), and on Linux the desktop's (GNOME, KDE) or else the
``*_proxy`` variables. When the proxy variables are set, they must win in the browser as they do in
the token client (:mod:`tiki_gui.core.proxies`), on every desktop: :func:`configure_proxy` passes
them to Chromium as ``--proxy-server`` and ``--proxy-bypass-list`` (``NO_PROXY`` translated to
Chromium's rules) before the first profile exists, when Chromium reads its switches. Loopback is
always direct in Chromium (its implicit rule, measured with each way of setting a proxy). A proxy
URL's user name and password cannot be given as a switch: :func:`proxy_credentials_for` hands them
to the page when the proxy asks (``QWebEnginePage.proxyAuthenticationRequired``).

**Certificates.** On Windows and macOS, Chromium's verifier trusts CAs added to the system store
(certificate stores, Keychain), like ``truststore`` in the token client. On Linux, QtWebEngine 6.12
(Chromium 140) trusts its built-in root store plus the user's NSS database ``~/.pki/nssdb``
only: not ``/etc/ssl/certs``, ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` (measured). A company CA must
be added there once, the same database Google Chrome and Chromium use (:data:`NSSDB_COMMAND`).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
from collections.abc import MutableMapping
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QCoreApplication

from tiki_gui.core.proxies import ProxySettings, describe_proxy, proxy_settings

__all__ = [
    "CHROMIUM_FLAGS_ENV",
    "NSSDB_COMMAND",
    "authority_hint",
    "chromium_proxy_switches",
    "configure_proxy",
    "proxy_credentials_for",
    "proxy_hint",
]

_log = logging.getLogger(__name__)

CHROMIUM_FLAGS_ENV = "QTWEBENGINE_CHROMIUM_FLAGS"

_USER_PROXY_SWITCHES = ("--proxy-server", "--no-proxy-server", "--proxy-pac-url")

NSSDB_COMMAND = 'certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Company CA" -i company-ca.pem'
"""How a Linux user trusts a company CA in the embedded browser (Debian/Ubuntu package
``libnss3-tools``; make the database first with ``certutil -d sql:$HOME/.pki/nssdb -N
--empty-password`` if it does not exist)."""


def _chromium_proxy(proxy_url: str) -> str:
    """``scheme://host:port`` for Chromium's switch: credentials dropped."""
    scheme = proxy_url.split("://", 1)[0].lower() if "://" in proxy_url else "http"
    return f"{scheme}://{describe_proxy(proxy_url)}"


def _bypass_rules(no_proxy: tuple[str, ...]) -> list[str]:
    """``NO_PROXY`` entries as Chromium bypass rules: a domain also covers its subdomains."""
    rules: list[str] = []
    for raw in no_proxy:
        entry = raw.strip().lower()
        if not entry:
            continue
        if "/" in entry or entry.startswith("[") or entry.count(":") > 1:
            rules.append(entry)  # a network or an IPv6 literal: as it is
            continue
        name, colon, port = entry.lstrip("*").lstrip(".").partition(":")
        try:
            ipaddress.ip_address(name)
        except ValueError:
            if name:
                rules += [f"{name}{colon}{port}", f"*.{name}{colon}{port}"]
        else:
            rules.append(entry)  # an IPv4 address
    return rules


def chromium_proxy_switches(settings: ProxySettings) -> list[str]:
    """The Chromium switches that give the browser ``settings``; empty when there is no proxy."""
    if not settings.any:
        return []
    servers = [
        f"{scheme}={_chromium_proxy(url)}"
        for scheme, url in (("http", settings.http), ("https", settings.https))
        if url
    ]
    switches = ["--proxy-server=" + ";".join(servers)]
    rules = _bypass_rules(settings.no_proxy)
    if rules:
        switches.append("--proxy-bypass-list=" + ";".join(rules))
    return switches


def configure_proxy(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Give Chromium the proxy variables' proxy (call before the first profile is made).

    Does nothing when no proxy variable is set (Chromium then follows the system's settings)
    or when ``QTWEBENGINE_CHROMIUM_FLAGS`` already names a proxy (the user's choice wins).
    Returns the switches added.
    """
    env = os.environ if environ is None else environ
    settings = proxy_settings(env)
    flags = env.get(CHROMIUM_FLAGS_ENV, "")
    if not settings.any or any(switch in flags for switch in _USER_PROXY_SWITCHES):
        return []
    switches = chromium_proxy_switches(settings)
    env[CHROMIUM_FLAGS_ENV] = " ".join([*flags.split(), *switches])
    _log.info("embedded browser uses %s; loopback is always direct", settings)
    return switches


def proxy_credentials_for(proxy_host: str) -> tuple[str, str] | None:
    """The user name and password in the proxy variable naming ``proxy_host``, if any."""
    settings = proxy_settings(os.environ)  # the variables only: never the system's settings
    for url in (settings.https, settings.http):
        if not url:
            continue
        parts = urlsplit(url)
        if (parts.hostname or "").lower() == proxy_host.strip("[]").lower() and parts.username:
            return unquote(parts.username), unquote(parts.password or "")
    return None


def proxy_hint(url: str) -> str:
    """For a failed load: which proxy the variables sent it through, and what to check."""
    proxy = proxy_settings(os.environ).proxy_for(url)  # the variables: no lookup of any kind
    if proxy is None:
        return ""
    return " " + QCoreApplication.translate(
        "Network",
        "It went through the proxy {proxy} (HTTPS_PROXY): check the proxy's address, that "
        "it lets this host through (or list the host in NO_PROXY), and its login "
        "(http://USER:PASSWORD@host:port).",
    ).format(proxy=describe_proxy(proxy))


def authority_hint() -> str:
    """What to do when the embedded browser does not know the CA of a certificate."""
    if sys.platform.startswith("linux"):
        return QCoreApplication.translate(
            "Network",
            "If your company inspects https traffic, the embedded browser needs the "
            "company's CA in your NSS database (~/.pki/nssdb, the one Chrome uses): "
            "{command}. Or sign in with the system browser.",
        ).format(command=NSSDB_COMMAND)
    return QCoreApplication.translate(
        "Network",
        "If your company inspects https traffic, its CA must be trusted by the system "
        "(ask your IT department), or sign in with the system browser.",
    )
