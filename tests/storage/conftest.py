"""Fixtures for the storage tests: the real Secret Service (see ``tests/keyring_service.py``,
shared with the UI tests and re-exported here) and the app's kind of HTTP client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from keyring_service import (
    KEYRING_PASSWORD,
    ROOT,
    IsolatedDirs,
    SecretService,
    isolated_dirs,
    secret_service,
)

__all__ = [
    "KEYRING_PASSWORD",
    "ROOT",
    "IsolatedDirs",
    "SecretService",
    "http",
    "isolated_dirs",
    "secret_service",
]


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """The app's kind of HTTP client (explicit timeouts), closed after the test."""
    from tiki_gui.core.http import make_http_client

    with make_http_client() as client:
        yield client
