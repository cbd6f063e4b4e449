"""The redirect host of the browser tests: :class:`ConnectionCounter`, a bare TCP listener on
127.0.0.1 that counts every connection, so a test can prove the browser never reached it (not
even a preconnect). Pages and other answers come from ``tests/scripted_server.py``."""

from __future__ import annotations

import contextlib
import socket
import threading

from closing import Closing

__all__ = ["ConnectionCounter"]


class ConnectionCounter(Closing):
    """A TCP listener on 127.0.0.1 that accepts, records and closes every connection."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port: int = self._socket.getsockname()[1]
        self._lock = threading.Lock()
        self._peers: list[tuple[str, int]] = []
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def url(self, path: str = "/callback") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._peers)

    def _accept_loop(self) -> None:
        while True:
            try:
                connection, peer = self._socket.accept()
            except OSError:
                return  # closed
            with self._lock:
                self._peers.append(peer)
            connection.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()
        self._thread.join(timeout=5)
