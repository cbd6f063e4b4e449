"""The one scripted HTTP server of the tests: a real server on 127.0.0.1 that answers what a
test scripted and records every request.

Not a Tiki double (the sandbox is that): it knows no OAuth, it replays. For answers the sandbox
does not give (a 429 with Retry-After, a 500 page, a body that is not JSON, a slow token
endpoint), for pages a browser test needs, for checking the exact bytes a request put on the
wire, and, with ``tls=True``, for https with a self-signed certificate a client must refuse.

What a request gets: ``pages[path]`` if the path has a page; else the next of ``answers`` (in
order); else ``repeat`` if given; else 599 (nothing scripted). A :class:`Reply` with
``held=True`` is answered only after :meth:`ScriptedServer.release`.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from closing import Closing

__all__ = ["JSON", "Recorded", "Reply", "ScriptedServer", "html", "openssl_available"]

JSON = (("Content-Type", "application/json"),)
_HTML = (("Content-Type", "text/html; charset=utf-8"),)


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | str = b""
    headers: tuple[tuple[str, str], ...] = JSON
    location: str | None = None
    held: bool = False  # answered only once ScriptedServer.release() was called


def html(
    body: str = "", status: int = 200, *, location: str | None = None, held: bool = False
) -> Reply:
    """An HTML page (or a redirect, with ``location``)."""
    return Reply(status, body, _HTML, location, held)


@dataclass(frozen=True, slots=True)
class Recorded:
    method: str
    path: str  # with the query
    headers: dict[str, str]  # lower-case names
    body: bytes = field(repr=False)


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def _self_signed_context() -> ssl.SSLContext:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl is needed to make a self-signed certificate")
    with tempfile.TemporaryDirectory(prefix="tiki-gui-cert-") as folder:
        cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        command = [openssl, "req", "-x509", "-newkey", "ec"]
        command += ["-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        command += ["-keyout", str(key), "-out", str(cert), "-days", "1"]
        command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        subprocess.run(command, check=True, capture_output=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    return context


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.owner._reply(Recorded(self.command, self.path, headers, body))
        payload = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.location is not None:
                self.send_header("Location", reply.location)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client went away (a browser shut down mid-load)
        self.close_connection = True

    do_GET = _serve  # noqa: N815
    do_POST = _serve  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ScriptedServer


class ScriptedServer(Closing):
    """``with ScriptedServer(Reply(200, ...)) as server: ... server.url("/token") ...``; see the
    module for what a request gets. Starts at once; :meth:`close` (or ``with``) stops it."""

    def __init__(
        self,
        *answers: Reply,
        pages: Mapping[str, str | Reply] | None = None,
        repeat: Reply | None = None,
        tls: bool = False,
        hold_seconds: float = 30.0,
        probe: Reply | None = None,
    ) -> None:
        self.probe = probe  # answers GET at once, unrecorded (the app's reachability check)
        self.pages: dict[str, str | Reply] = dict(pages or {})
        self._serves_pages = pages is not None  # then an unknown path is a 404 page
        self.answers = deque(answers)
        self.repeat = repeat
        self.recorded: list[Recorded] = []
        self.received = threading.Event()  # set at the first request
        self._released = threading.Event()
        self._hold_seconds = hold_seconds
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        scheme = "http"
        if tls:
            context = _self_signed_context()
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.base_url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "") -> str:
        return self.base_url + path

    @property
    def requested(self) -> list[str]:
        """The paths requested so far, without their query."""
        return [r.path.split("?", 1)[0] for r in self.recorded]

    def _reply(self, request: Recorded) -> Reply:
        if self.probe is not None and request.method == "GET":
            return self.probe
        with self._lock:
            self.recorded.append(request)
            page = self.pages.get(request.path.split("?", 1)[0])
            if page is not None:
                reply = html(page) if isinstance(page, str) else page
            elif self.answers:
                reply = self.answers.popleft()
            elif self.repeat is not None:
                reply = self.repeat
            elif self._serves_pages:
                reply = html("not found", 404)
            else:
                reply = Reply(599, b"nothing scripted")
        self.received.set()
        if reply.held:
            self._released.wait(timeout=self._hold_seconds)
        return reply

    def release(self) -> None:
        """Let every held answer go."""
        self._released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
