"""The token client's TLS trust: the operating system's store through truststore."""

from __future__ import annotations

import ssl

import truststore

from tiki_gui.core.trust import tls_context


def test_the_context_is_the_system_store_and_checks_everything() -> None:
    context = tls_context()
    assert isinstance(context, truststore.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
