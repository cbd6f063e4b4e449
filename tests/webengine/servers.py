"""Small real servers on 127.0.0.1 for the WebEngine tests.

- :class:`ConnectionCounter` stands in for the app's redirect host: a bare TCP listener that
  counts every connection, so a test can prove the browser never reached it (not even a
  preconnect).
- :class:`PageServer` serves fixed HTML pages (and redirects) and records each request path.
- :class:`SelfSignedServer` answers https with a self-signed certificate (made with ``openssl``):
  a browser must refuse it, and records every request that still got through.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

__all__ = ["ConnectionCounter", "PageServer", "Reply", "SelfSignedServer", "openssl_available"]


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


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


class SelfSignedServer:
    """https on 127.0.0.1 with a self-signed certificate for 127.0.0.1; ``seen`` holds the paths
    of the requests that reached it (none, when the browser refuses the certificate)."""

    def __init__(self) -> None:
        openssl = shutil.which("openssl")
        if openssl is None:
            raise RuntimeError("openssl is needed to make a self-signed certificate")
        self.seen: list[str] = []
        seen = self.seen
        with tempfile.TemporaryDirectory(prefix="tiki-gui-cert-") as folder:
            cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
            command = [openssl, "req", "-x509", "-newkey", "ec"]
            command += ["-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            command += ["-keyout", str(key), "-out", str(cert), "-days", "1"]
            command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
            subprocess.run(command, check=True, capture_output=True)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.base_url = f"https://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/sc/oauth2/auth") -> str:
        return self.base_url + path

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SelfSignedServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
