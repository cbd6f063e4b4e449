"""A company network on 127.0.0.1: an HTTP proxy and a TLS-inspecting front, both real sockets.

:class:`CompanyProxy` is an HTTP proxy (``CONNECT host:port`` for https, absolute-form requests
for plain http) that knows where each host is through its ``routes`` table, exactly what a company
proxy does for ``tiki.test:443`` when there is no DNS: it maps the name to a port on 127.0.0.1 and
**never connects anywhere else** (an unknown host gets ``502``). It counts what it forwards, and
can demand credentials (``407``) or refuse every tunnel (``403``) like a strict proxy.

:class:`TlsFront` answers TLS with a certificate of our choosing (the company CA's, or a
stranger's) and pipes the decrypted bytes to a plain-http server on 127.0.0.1 (the sandbox, a page
server): the "inspected" site the client reaches through the proxy.

Every thread is a daemon, every socket has a timeout, and :meth:`close` stops everything.
"""

from __future__ import annotations

import base64
import contextlib
import select
import socket
import ssl
import threading
from collections.abc import Mapping

from closing import Closing

__all__ = ["CompanyProxy", "TlsFront"]

_IDLE_SECONDS = 20.0
_HEAD_LIMIT = 64 * 1024


def _pump(left: socket.socket, right: socket.socket) -> None:
    """Copy bytes both ways until either side closes or nothing moves for a while."""
    sockets: list[socket.socket] = [left, right]
    while True:
        ready: list[socket.socket] = [
            s for s in sockets if isinstance(s, ssl.SSLSocket) and s.pending()
        ]
        if not ready:
            ready, _, _ = select.select(sockets, [], [], _IDLE_SECONDS)
            if not ready:
                return
        for source in ready:
            target = right if source is left else left
            try:
                data = source.recv(65536)
            except (OSError, ssl.SSLError):
                return
            if not data:
                return
            try:
                target.sendall(data)
            except OSError:
                return


def _close(*sockets: socket.socket | None) -> None:
    for sock in sockets:
        if sock is None:
            continue
        with contextlib.suppress(OSError):
            sock.close()


class _Listener(Closing):
    """Accepts on 127.0.0.1 and runs ``_serve`` for each connection in a daemon thread."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(32)
        self.port: int = self._socket.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            connection.settimeout(_IDLE_SECONDS)
            with self._lock:
                if self._closed:
                    _close(connection)
                    return
                self._open.add(connection)
            threading.Thread(target=self._run, args=(connection,), daemon=True).start()

    def _run(self, connection: socket.socket) -> None:
        try:
            self._serve(connection)
        except (OSError, ValueError):
            pass
        finally:
            _close(connection)
            with self._lock:
                self._open.discard(connection)

    def _serve(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            open_sockets = list(self._open)
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        _close(self._socket, *open_sockets)
        self._thread.join(timeout=5)


class TlsFront(_Listener):
    """TLS on 127.0.0.1 with ``context``'s certificate, piped to ``http://127.0.0.1:backend``."""

    def __init__(self, context: ssl.SSLContext, backend_port: int) -> None:
        self._context = context
        self._backend_port = backend_port
        self.handshakes = 0
        super().__init__()

    def _serve(self, connection: socket.socket) -> None:
        try:
            secure = self._context.wrap_socket(connection, server_side=True)
        except (OSError, ssl.SSLError):
            return  # the client refused our certificate
        self.handshakes += 1
        self._track(secure)
        backend = socket.create_connection(("127.0.0.1", self._backend_port), timeout=10)
        self._track(backend)
        try:
            _pump(secure, backend)
        finally:
            _close(secure, backend)


class CompanyProxy(_Listener):
    """An HTTP proxy on 127.0.0.1 that forwards only to ``routes`` ((host, port) -> local port).

    ``tunnels`` lists each ``host:port`` it opened a CONNECT tunnel to, ``requests`` each plain
    http URL it forwarded, ``refused`` each target it answered with an error. With ``credentials``
    ("user:password") it answers ``407`` to requests without them; with ``refuse_all`` it answers
    ``403`` to every request, as a proxy that blocks a site does.
    """

    def __init__(
        self,
        routes: Mapping[tuple[str, int], int] | None = None,
        *,
        credentials: str | None = None,
        refuse_all: bool = False,
    ) -> None:
        self.routes: dict[tuple[str, int], int] = dict(routes or {})
        self.tunnels: list[str] = []
        self.requests: list[str] = []
        self.refused: list[str] = []
        self._expected_auth = (
            "Basic " + base64.b64encode(credentials.encode()).decode() if credentials else None
        )
        self._refuse_all = refuse_all
        super().__init__()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def forwarded(self) -> int:
        """How many tunnels and plain requests went through."""
        return len(self.tunnels) + len(self.requests)

    def _serve(self, connection: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk or len(head) > _HEAD_LIMIT:
                return
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if method == "CONNECT":
            host, _, port_text = target.rpartition(":")
            host, port = host.strip("[]").lower(), int(port_text or 443)
            path = ""
        else:
            if not target.startswith("http://"):
                self._answer(connection, 400, "Bad Request", target)
                return
            authority, _, path = target[len("http://") :].partition("/")
            host, _, port_text = (
                authority.rpartition(":") if ":" in authority else (authority, "", "")
            )
            host, port = host.strip("[]").lower(), int(port_text or 80)
        if self._refuse_all:
            self._answer(connection, 403, "Forbidden", target)
            return
        if self._expected_auth and headers.get("proxy-authorization") != self._expected_auth:
            self._answer(connection, 407, "Proxy Authentication Required", target)
            return
        backend_port = self.routes.get((host, port))
        if backend_port is None:
            self._answer(connection, 502, "Bad Gateway", target)
            return
        backend = socket.create_connection(("127.0.0.1", backend_port), timeout=10)
        self._track(backend)
        try:
            if method == "CONNECT":
                self.tunnels.append(f"{host}:{port}")
                connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    backend.sendall(rest)
            else:
                self.requests.append(target)
                origin_form = f"{method} /{path} {version}\r\n".encode("latin-1")
                backend.sendall(origin_form + b"\r\n".join(
                    line.encode("latin-1") for line in lines[1:]
                    if not line.lower().startswith("proxy-")
                ) + b"\r\n\r\n" + rest)  # fmt: skip
            _pump(connection, backend)
        finally:
            _close(backend)

    def _answer(self, connection: socket.socket, status: int, reason: str, target: str) -> None:
        self.refused.append(target)
        extra = 'Proxy-Authenticate: Basic realm="company"\r\n' if status == 407 else ""
        body = f"{status} {reason} (company proxy)".encode()
        connection.sendall(
            f"HTTP/1.1 {status} {reason}\r\n{extra}Content-Type: text/plain\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
