"""Fixtures for the storage tests: the real Secret Service (see ``tests/keyring_service.py``,
shared with the UI tests and re-exported here), the app's kind of HTTP client, and a sandbox
with one app registration."""

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

from tiki_gui.sandbox import SandboxClient, SandboxServer

from .flows import new_client

__all__ = [
    "KEYRING_PASSWORD",
    "ROOT",
    "IsolatedDirs",
    "SecretService",
    "client",
    "http",
    "isolated_dirs",
    "secret_service",
    "server",
]


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """The app's kind of HTTP client (explicit timeouts), closed after the test."""
    from tiki_gui.core.http import make_http_client

    with make_http_client() as client:
        yield client


@pytest.fixture
def client() -> SandboxClient:
    """The app registration of the storage tests (Basic header)."""
    return new_client("storage-app")


@pytest.fixture
def server(client: SandboxClient) -> Iterator[SandboxServer]:
    """A sandbox that knows only ``client``."""
    with SandboxServer(clients=[client]) as running:
        yield running
