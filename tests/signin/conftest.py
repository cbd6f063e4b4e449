"""Fixtures for the sign-in tests: a real headless Chromium, the app's HTTP client, free ports."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from app_http import http

from tiki_gui.signin import LoopbackReceiver

from .ports import free_port
from .webdriver import chromium

__all__ = ["browser_http", "chromium", "http", "port", "receiver"]


@pytest.fixture
def browser_http() -> Iterator[httpx.Client]:
    """Stands in for a browser where a real one is not the point: keeps cookies, no proxy."""
    with httpx.Client(timeout=5.0, follow_redirects=False, trust_env=False) as client:
        yield client


@pytest.fixture
def port() -> int:
    """A free port on 127.0.0.1."""
    return free_port()


@pytest.fixture
def receiver(port: int) -> Iterator[LoopbackReceiver]:
    """A started loopback listener for ``http://127.0.0.1:{port}/callback``."""
    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback") as started:
        yield started
