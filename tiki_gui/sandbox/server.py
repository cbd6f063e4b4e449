"""The HTTP server: routes Tiki's paths to the endpoints, records requests, runs on a thread."""

from __future__ import annotations

import contextlib
import selectors
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import urlsplit

from tiki_gui.sandbox.authorize import (
    AUTH_PATH,
    CONSENT_PATH,
    ERROR_PATH,
    LOGIN_PATH,
    AuthorizationEndpoint,
)
from tiki_gui.sandbox.clients import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient
from tiki_gui.sandbox.errors import OAuthFailure
from tiki_gui.sandbox.messages import FormError, Request, Response, json_response, parse_form
from tiki_gui.sandbox.seller_api import SELLERS_ME_PATH, SellerApi
from tiki_gui.sandbox.store import SandboxStore
from tiki_gui.sandbox.token_endpoint import TOKEN_PATH, TokenEndpoint

__all__ = ["RequestRecord", "SandboxServer", "TokenRequestRecord"]

MAX_BODY = 1 << 20


@dataclass(frozen=True, slots=True)
class TokenRequestRecord:
    """One request to the token endpoint (no secrets: only who asked, how, and the outcome)."""

    time: datetime
    grant_type: str | None
    client_id: str | None
    auth_method: str
    status_code: int


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request to the sandbox: method and path, without the query."""

    method: str
    path: str


class _HttpServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its sandbox and can close idle keep-alive connections."""

    daemon_threads = True
    timeout = 0.5  # handle_request() gives up after this if a ready connection vanished

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer, family: int) -> None:
        self.address_family = family
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._stopping = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        try:
            super().__init__(address, _Handler)
        except BaseException:
            self._wake_reader.close()
            self._wake_writer.close()
            raise

    def serve_until_stopped(self) -> None:
        """Like ``serve_forever``, but woken at once by ``stop_serving`` instead of polling."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self and not self._stopping.is_set():
                        self.handle_request()  # returns after self.timeout if none is pending

    def stop_serving(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def server_bind(self) -> None:
        TCPServer.server_bind(self)  # skip HTTPServer's reverse DNS lookup of the host
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away: nothing to report
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TikiSandbox/1.0"
    sys_version = ""
    timeout = 60
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's own stderr logging; the sandbox logs requests itself."""

    def _serve(self) -> None:
        sandbox = cast(_HttpServer, self.server).sandbox
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            self._write(Response(411, (("Content-Type", "text/plain"),), b"Length Required\n"))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._write(Response(413, (("Content-Type", "text/plain"),), b"Bad Content-Length\n"))
            return
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        try:
            query = parse_form(parts.query, unique=False)
        except FormError:
            query = {}
        request = Request(
            method=self.command,
            path=parts.path,
            query=query,
            raw_query=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        response = sandbox.handle(request)
        sandbox.log_request(request, response.status)
        self._write(response)

    def _write(self, response: Response) -> None:
        self.send_response_only(response.status)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(response.body)


class SandboxServer:
    """A local Tiki-like (Ory Hydra) authorization server, for tests and the app's sandbox mode.

    Binds at construction (so ``base_url`` is known at once); ``start()`` serves on a daemon
    thread; ``stop()`` (or leaving the ``with`` block) closes every connection and the socket.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clients: Iterable[SandboxClient] | None = None,
        code_lifetime: float = 600,
        access_token_lifetime: float = 3600,
        refresh_token_lifetime: float = 30 * 86400,
        flow_lifetime: float = 1800,
        log: Callable[[str], None] | None = None,
        issue_iss: bool = False,
        issuer: str | None = None,
    ) -> None:
        self.clients: tuple[SandboxClient, ...] = (
            tuple(clients) if clients is not None else (DEMO_BASIC_CLIENT, DEMO_POST_CLIENT)
        )
        by_id = {c.client_id: c for c in self.clients}
        if len(by_id) != len(self.clients):
            raise ValueError("two sandbox clients share a client_id")
        self.token_requests: list[TokenRequestRecord] = []
        self.requests: list[RequestRecord] = []
        self._log = log
        self._records_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._store = SandboxStore(
            code_lifetime=code_lifetime,
            access_token_lifetime=access_token_lifetime,
            refresh_token_lifetime=refresh_token_lifetime,
            flow_lifetime=flow_lifetime,
        )
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._httpd = _HttpServer((host, port), self, family)
        self.host = host
        self.port = int(self._httpd.server_address[1])
        url_host = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{url_host}:{self.port}"
        self.issue_iss = issue_iss
        self._issuer = issuer
        self._authorize = AuthorizationEndpoint(
            by_id, self._store, self.base_url, issuer=self.issuer if issue_iss else None
        )
        self._token = TokenEndpoint(by_id, self._store)
        self._sellers = SellerApi(self._store)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Serve on a daemon thread; returns self. Starting twice is harmless."""
        with self._state_lock:
            if self._closed:
                raise RuntimeError("this sandbox server has been stopped")
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._httpd.serve_until_stopped,
                    name=f"tiki-sandbox-{self.port}",
                    daemon=True,
                )
                self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the socket, join the thread. Idempotent."""
        with self._state_lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
        self._httpd.stop_serving()
        if thread is not None:
            thread.join()
        self._httpd.close_connections()
        self._httpd.server_close()  # also waits for the connection threads to finish

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what clients and tests use -------------------------------------------------------------

    @property
    def issuer(self) -> str:
        """This server's issuer identifier (RFC 9207): the one given, else ``base_url``.

        Sent as ``iss`` on every redirect back to the client when ``issue_iss`` is on.
        """
        return self._issuer if self._issuer is not None else self.base_url

    @property
    def authorization_endpoint(self) -> str:
        return self.base_url + AUTH_PATH

    @property
    def token_endpoint(self) -> str:
        return self.base_url + TOKEN_PATH

    @property
    def api_base(self) -> str:
        return self.base_url

    @property
    def sellers_me_url(self) -> str:
        return self.base_url + SELLERS_ME_PATH

    def advance_clock(self, seconds: float) -> None:
        """Shift the server's notion of now, so codes and tokens expire without sleeping."""
        self._store.clock.advance(seconds)

    def now(self) -> datetime:
        """The server's notion of now (UTC, shifted by ``advance_clock``)."""
        return self._store.clock.now()

    # -- request handling -----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request (called on the connection's thread)."""
        with self._records_lock:
            self.requests.append(RequestRecord(request.method, request.path))
        try:
            if request.path == TOKEN_PATH:
                outcome = self._token.handle(request)
                record = TokenRequestRecord(
                    time=self.now(),
                    grant_type=outcome.grant_type,
                    client_id=outcome.client_id,
                    auth_method=outcome.auth_method,
                    status_code=outcome.response.status,
                )
                if request.method == "POST":  # a token request; a GET (a reachability check)
                    with self._records_lock:  # is only in ``requests``
                        self.token_requests.append(record)
                return outcome.response
            return self._route(request)
        except Exception:  # a bug in the sandbox: answer 500 rather than drop the connection
            traceback.print_exc(file=sys.stderr)
            failure = OAuthFailure("server_error")
            return json_response(500, failure.as_json())

    def _route(self, request: Request) -> Response:
        get_only = {
            AUTH_PATH: self._authorize.authorize,
            ERROR_PATH: self._authorize.error_page,
        }
        get_or_post = {LOGIN_PATH: self._authorize.login, CONSENT_PATH: self._authorize.consent}
        if self._sellers.handles(request.path):
            return self._sellers.handle(request)  # answers 405 itself, in Tiki's error shape
        if request.path in get_only:
            if request.method != "GET":
                return _not_allowed("GET")
            return get_only[request.path](request)
        if request.path in get_or_post:
            if request.method not in ("GET", "POST"):
                return _not_allowed("GET, POST")
            return get_or_post[request.path](request)
        if request.path == "/" and request.method == "GET":
            return Response(200, (("Content-Type", "text/plain; charset=utf-8"),), self._index())
        return json_response(404, {"error": "not_found", "path": request.path})

    def _index(self) -> bytes:
        lines = [
            "Tiki Sandbox: a local authorization server that behaves like Tiki's (not Tiki).",
            f"authorization endpoint: {self.authorization_endpoint}",
            f"token endpoint:         {self.token_endpoint}",
            f"API base:               {self.api_base}",
            "seller API (GET, Bearer token): /integration/v2/sellers/me, "
            "/integration/v2/sellers/me/warehouses, /integration/v2/products, "
            "/integration/v2/orders, /integration/v2/categories",
            "seller API (POST, JSON body): "
            "/integration/v2/orders/{code}/dropship/confirm-available",
        ]
        return ("\n".join(lines) + "\n").encode("utf-8")

    def log_request(self, request: Request, status: int) -> None:
        """Write one line per request to ``log`` (if given); never the query or the body."""
        if self._log is not None:
            self._log(f'"{request.method} {request.path}" {status}')


def _not_allowed(allow: str) -> Response:
    return Response(
        405,
        (("Content-Type", "text/plain; charset=utf-8"), ("Allow", allow)),
        b"Method Not Allowed\n",
    )
