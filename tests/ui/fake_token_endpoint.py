"""A token endpoint that misbehaves on purpose: slow, HTTP 500, or not JSON.

The sandbox is a well-behaved Hydra; these are the faults a real server shows on a bad day, served
over real HTTP on 127.0.0.1 so the app's whole path (worker thread, httpx, core) runs.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal

__all__ = ["FakeTokenEndpoint", "Mode"]

Mode = Literal["slow", "http_500", "garbage"]

_HTML_500 = b"<html><body><h1>500 Internal Server Error</h1>nginx</body></html>"


class FakeTokenEndpoint:
    """Answers every POST per ``mode``; ``slow`` holds the answer until :meth:`release`."""

    def __init__(self, mode: Mode, *, hold_seconds: float = 30.0) -> None:
        self.mode = mode
        self.requests = 0
        self.received = threading.Event()
        self._released = threading.Event()
        self._hold_seconds = hold_seconds
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                endpoint.requests += 1
                endpoint.received.set()
                if endpoint.mode == "slow":
                    endpoint._released.wait(timeout=endpoint._hold_seconds)
                    self._answer(400, b'{"error": "invalid_grant"}', "application/json")
                elif endpoint.mode == "http_500":
                    self._answer(500, _HTML_500, "text/html")
                else:
                    self._answer(200, b"ok\x00 not json {", "text/plain")

            def _answer(self, status: int, body: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client went away

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/oauth2/token"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def release(self) -> None:
        """Let a held (``slow``) answer go."""
        self._released.set()

    def close(self) -> None:
        self.release()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeTokenEndpoint:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
