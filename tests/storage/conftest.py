"""Fixtures for the storage tests: the real Secret Service (see ``tests/keyring_service.py``,
shared with the UI tests and re-exported here), the app's kind of HTTP client, a sandbox
with one app registration, and a profile "Shop" for it with one seller filed after a real flow."""

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
from tiki_gui.storage import TokenVault

from .flows import Filed, new_client, obtain_token, saved_profile

__all__ = [
    "KEYRING_PASSWORD",
    "ROOT",
    "IsolatedDirs",
    "SecretService",
    "client",
    "filed",
    "http",
    "isolated_dirs",
    "secret_service",
    "server",
    "vault",
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


@pytest.fixture
def vault(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient
) -> TokenVault:
    """A vault over a saved profile "Shop" for ``client`` (its secret in the keyring)."""
    return TokenVault(saved_profile("Shop", server, client))


@pytest.fixture
def filed(
    vault: TokenVault, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> Filed:
    """The "Shop" vault with seller "seller-a" filed after a real flow, and its record."""
    return vault, vault.add_from_flow("Shop", obtain_token(server, client, "seller-a"), http)
