"""A tiny real HTTP server on 127.0.0.1 answering scripted responses and recording requests.

For answers the sandbox does not give (a 429 with Retry-After, a 403 body in Tiki's shape) and
for checking the exact bytes a token request puts on the wire. Not a Tiki double: it knows no
OAuth, it only replays what a test scripts.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True, slots=True)
class Canned:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    hold: threading.Event | None = None  # answer only once this is set


@dataclass(frozen=True, slots=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = field(repr=False)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.recorded.append(
            Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        canned = self.server.answers.popleft() if self.server.answers else Canned(599)
        if canned.hold is not None:
            canned.hold.wait(timeout=10)
        self.send_response(canned.status)
        for name, value in canned.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(canned.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(canned.body)
        self.close_connection = True

    do_GET = _serve  # noqa: N815
    do_POST = _serve  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    answers: deque[Canned]
    recorded: list[Recorded]


class CannedServer:
    """``with CannedServer(Canned(200, b"{}")) as server: ... server.url ... server.recorded``."""

    def __init__(self, *answers: Canned) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.answers = deque(answers)
        self._server.recorded = []
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def recorded(self) -> list[Recorded]:
        return self._server.recorded

    def __enter__(self) -> CannedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
