"""The app's shared HTTP client as a fixture (``http``), for the Qt-free tests that send token
requests and API calls to the sandbox. A test package's conftest re-exports it; a test module
takes it in with ``http = app_http.http``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tiki_gui.core.http import make_http_client

__all__ = ["http"]


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """The app's shared client (5 s timeouts), for token requests and API calls."""
    with make_http_client(timeout=httpx.Timeout(5.0)) as client:
        yield client
