"""Fixtures for the sandbox tests (the ``sandbox`` server fixture is in tests/conftest.py)."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator

import httpx
import pytest


@pytest.fixture(scope="session")
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every client: building one per client costs ~0.1 s."""
    return ssl.create_default_context()


@pytest.fixture
def new_http(ssl_context: ssl.SSLContext) -> Iterator[Callable[[], httpx.Client]]:
    """Make extra HTTP clients (each with its own cookie jar), closed after the test."""
    clients: list[httpx.Client] = []

    def make() -> httpx.Client:
        client = httpx.Client(timeout=5.0, follow_redirects=False, verify=ssl_context)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def http(new_http: Callable[[], httpx.Client]) -> httpx.Client:
    """A plain HTTP client with its own cookie jar, never following redirects by itself."""
    return new_http()
