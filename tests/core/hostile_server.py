"""A real TCP server on 127.0.0.1 that misbehaves the way a faulty or hostile HTTP server does.

Each connection is handed to a *behaviour*: a function that reads the request and then writes
whatever it likes, as slowly as it likes (a compression bomb, an endless chunked answer, one
byte every few seconds, nothing at all). Only the standard library; no OAuth knowledge.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Self

from closing import ClosedOnExit

Behaviour = Callable[[socket.socket, threading.Event], None]

__all__ = [
    "Behaviour",
    "HostileServer",
    "answer",
    "drip",
    "endless_chunked",
    "gzip_bomb",
    "hang",
    "read_request",
    "self_signed_tls",
    "silent",
]


def read_request(conn: socket.socket) -> bytes:
    """Read one request (head and a Content-Length body); returns the head."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return data
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return head


def _head(status: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def answer(status: str, body: bytes, headers: list[tuple[str, str]] | None = None) -> Behaviour:
    """A plain, complete answer (the control case)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        extra = headers if headers is not None else [("Content-Type", "application/json")]
        conn.sendall(_head(status, [*extra, ("Content-Length", str(len(body)))]) + body)

    return behave


@cache
def bomb_bytes(decoded_size: int) -> bytes:
    """A gzip body of ``decoded_size`` bytes of zeros (about 1000 times smaller)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(decoded_size >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


def gzip_bomb(decoded_size: int) -> Behaviour:
    """A 200 answer whose gzip body unpacks to ``decoded_size`` bytes."""
    body = bomb_bytes(decoded_size)

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        head = _head(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
            ],
        )
        conn.sendall(head + body)

    return behave


def endless_chunked(chunk: int = 65536, *, give_up_after: float = 60.0) -> Behaviour:
    """A 200 answer in chunks that never ends (until the client goes away, or the test ends)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(
            _head(
                "200 OK", [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]
            )
        )
        piece = f"{chunk:x}\r\n".encode() + b"7" * chunk + b"\r\n"
        conn.sendall(b"1\r\n[\r\n")
        ends = time.monotonic() + give_up_after
        while not stop.is_set() and time.monotonic() < ends:
            conn.sendall(piece)

    return behave


def drip(data: bytes, interval: float, *, repeat: bool = True) -> Behaviour:
    """Send ``data`` one byte every ``interval`` seconds (then its last byte forever)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        index = 0
        while not stop.wait(interval):
            if index < len(data):
                conn.sendall(data[index : index + 1])
            elif repeat:
                conn.sendall(data[-1:])
            else:
                return
            index += 1

    return behave


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Read the request, then never answer."""
    read_request(conn)
    stop.wait(120)


def hang(request_read: threading.Event) -> Behaviour:
    """Read the request, set ``request_read`` (a test's sign that the request is all in), then
    never answer."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        request_read.set()
        stop.wait(120)

    return behave


class HostileServer(ClosedOnExit):
    """``with HostileServer(behaviour) as server: ... server.url ... server.connections``."""

    def __init__(self, behaviour: Behaviour, *, tls: ssl.SSLContext | None = None) -> None:
        self._behaviour = behaviour
        self._tls = tls
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)  # so that the accept loop sees the stop
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self.connections = 0
        self.closed_by_client = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
            self._behaviour(conn, self._stop)
        except OSError:
            self.closed_by_client.set()  # the client hung up on us
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a fresh self-signed certificate for 127.0.0.1 (made in
    ``folder`` by the openssl command), and the certificate's file, for a client to trust."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return server, cert
