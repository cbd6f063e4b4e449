"""Fixtures for the sign-in tests: a real headless Chromium, the app's HTTP client, free ports."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from app_http import http

from .webdriver import chromium

__all__ = ["browser_http", "chromium", "http"]


@pytest.fixture
def browser_http() -> Iterator[httpx.Client]:
    """Stands in for a browser where a real one is not the point: keeps cookies, no proxy."""
    with httpx.Client(timeout=5.0, follow_redirects=False, trust_env=False) as client:
        yield client
