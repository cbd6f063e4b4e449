"""Which certificates the token client trusts: the operating system's store, as browsers do.

``truststore`` verifies with the platform's own verifier and store: the Keychain on macOS, the
Windows certificate stores (CryptoAPI) on Windows, and OpenSSL's default locations on Linux
(``/etc/ssl/certs`` on Debian and Ubuntu, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set). So a
company CA that IT installed in the system store (TLS inspection by a company proxy) is trusted
without any setting in the app, and no copy of Mozilla's list (certifi) goes stale in a bundle.
"""

from __future__ import annotations

import ssl

import truststore

__all__ = ["tls_context"]


def tls_context() -> ssl.SSLContext:
    """A client TLS context: the system's trust store, host names checked, TLS 1.2 or newer."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
