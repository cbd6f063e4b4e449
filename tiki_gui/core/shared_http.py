"""The one HTTP client of a window, made at its first use and shared by every request.

:class:`SharedHttp` is the one ``httpx.Client`` (explicit timeouts, from
:func:`tiki_gui.core.http.make_http_client`) that token requests, refreshes and seller checks
share. It is made at the first request, so httpx is not imported while the window is built, and
closed once, by the window, after every job that could use it has ended.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = ["HttpFactory", "SharedHttp"]

HttpFactory = Callable[[], "httpx.Client"]


def _default_http() -> httpx.Client:
    from tiki_gui.core.http import make_http_client

    return make_http_client()


class SharedHttp:
    """One lazily made ``httpx.Client`` for the whole window; safe to get from any thread."""

    def __init__(self, factory: HttpFactory | None = None) -> None:
        self._factory = factory or _default_http
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._closed = False

    def get(self) -> httpx.Client:
        """The client, made on first use. RuntimeError once closed."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the HTTP client is closed")
            if self._client is None:
                self._client = self._factory()
            return self._client

    @property
    def made(self) -> bool:
        """True once the client exists (and is not closed): using it imports nothing more."""
        return self._client is not None

    def close(self) -> None:
        """Close the client (if it was ever made). Idempotent."""
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
        if client is not None:
            client.close()
