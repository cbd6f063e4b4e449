"""Small real servers on 127.0.0.1 for the WebEngine tests.

- :class:`ConnectionCounter` stands in for the app's redirect host: a bare TCP listener that
  counts every connection, so a test can prove the browser never reached it (not even a
  preconnect).
- :class:`PageServer` serves fixed HTML pages (and redirects) and records each request path.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

__all__ = ["ConnectionCounter", "PageServer", "Reply"]


class ConnectionCounter:
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

    def __enter__(self) -> ConnectionCounter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Reply:
    """What :class:`PageServer` answers for one path."""

    body: str = ""
    status: int = 200
    location: str | None = None
    delay_until_released: bool = False  # hold the answer until PageServer.release()


class PageServer:
    """Serves ``pages`` (path -> HTML or :class:`Reply`) on 127.0.0.1; 404 for anything else."""

    def __init__(self, pages: Mapping[str, str | Reply] | None = None) -> None:
        self.pages: dict[str, str | Reply] = dict(pages or {})
        self.requested: list[str] = []
        self._released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.requested.append(path)
                reply = server.pages.get(path)
                if reply is None:
                    reply = Reply("not found", status=404)
                elif isinstance(reply, str):
                    reply = Reply(reply)
                if reply.delay_until_released:
                    server._released.wait(timeout=30)
                body = reply.body.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    if reply.location is not None:
                        self.send_header("Location", reply.location)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the browser went away (shutdown mid-load)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base_url + path

    def release(self) -> None:
        """Let every held (``delay_until_released``) answer go."""
        self._released.set()

    def close(self) -> None:
        self.release()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
