"""The HTTP side of the loopback listener: a threaded stdlib server and its request handler.

They know nothing of OAuth: every GET goes to a :class:`RedirectSink` (the receiver), which
answers it with a :class:`~tiki_gui.signin.pages.Page`. Nothing is logged: request lines hold codes.
"""

from __future__ import annotations

import logging
import socket
import socketserver
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol, cast

from tiki_gui.signin.pages import PAGE_HEADERS, Page

__all__ = ["ListenerServer", "RedirectSink", "RequestHandler"]

_log = logging.getLogger(__name__)

CONNECTION_TIMEOUT = 10.0
"""Seconds an idle connection (a browser's preconnect) may stay open."""


class RedirectSink(Protocol):
    """What the server hands its connections and requests to."""

    def connection_opened(self, sock: socket.socket) -> None: ...

    def connection_closed(self, sock: socket.socket) -> None: ...

    def handle_get(self, handler: RequestHandler) -> None: ...


class ListenerServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = sys.platform != "win32"  # Windows: SO_REUSEADDR lets others steal it
    allow_reuse_port = False

    def __init__(self, address: tuple[str, int], family: int, receiver: RedirectSink) -> None:
        self.address_family = family
        self.receiver = receiver
        super().__init__(address, RequestHandler)

    def server_bind(self) -> None:
        exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
        if exclusive is not None:
            self.socket.setsockopt(socket.SOL_SOCKET, exclusive, 1)
        # Not HTTPServer.server_bind: it looks the host name up (socket.getfqdn), which can hang.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        _log.debug("loopback listener: a connection failed", exc_info=True)


class RequestHandler(BaseHTTPRequestHandler):
    server_version = "tiki-gui"
    sys_version = ""
    timeout = CONNECTION_TIMEOUT

    def setup(self) -> None:
        super().setup()
        self._receiver.connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._receiver.connection_closed(self.connection)

    @property
    def _receiver(self) -> RedirectSink:
        return cast(ListenerServer, self.server).receiver

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the request line holds the authorization code."""

    def do_GET(self) -> None:
        self._receiver.handle_get(self)

    def send_page(self, page: Page) -> None:
        """Answer with ``page`` and close the connection; a browser that went away is ignored."""
        body = page.body
        self.close_connection = True
        try:
            self.send_response(page.status)
            for name, value in PAGE_HEADERS:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            _log.debug("loopback listener: the browser went away before the page was sent")
