"""``python -m tiki_gui.sandbox``: run the local Tiki-like authorization server until Ctrl+C.

The first line printed is the base URL (``http://127.0.0.1:PORT``), so scripts can read it; the
clients it serves follow. Requests are logged to stderr (method and path only) unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import sys
import threading
from types import FrameType
from typing import TextIO

from tiki_gui.sandbox.clients import ClientConfigError, SandboxClient, load_clients
from tiki_gui.sandbox.server import SandboxServer

__all__ = ["build_parser", "main"]

_METHOD_LABELS = {"client_secret_basic": "Basic header", "client_secret_post": "Request body"}


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0-65535 (0 picks a free port), not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tiki_gui.sandbox",
        description="A local authorization server that behaves like Tiki's (Ory Hydra). "
        "Not Tiki: for trying the OAuth 2.0 flows without real credentials.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port", type=_port, default=0, help="port to listen on (0, the default, picks one)"
    )
    parser.add_argument(
        "--clients",
        metavar="FILE",
        help="JSON list of Hydra-style client objects to serve instead of the demo clients",
    )
    parser.add_argument(
        "--code-lifetime", type=_positive, default=600.0, metavar="S", help="seconds (600)"
    )
    parser.add_argument(
        "--access-token-lifetime", type=_positive, default=3600.0, metavar="S", help="seconds"
    )
    parser.add_argument(
        "--refresh-token-lifetime",
        type=_positive,
        default=30 * 86400.0,
        metavar="S",
        help="seconds (30 days)",
    )
    parser.add_argument(
        "--issue-iss",
        action="store_true",
        help="add iss=<issuer> to every redirect back to the client (RFC 9207)",
    )
    parser.add_argument(
        "--issuer", metavar="URL", help="the issuer identifier to send (default: the base URL)"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _describe(client: SandboxClient) -> list[str]:
    method = client.token_endpoint_auth_method
    return [
        f"  client_id:      {client.client_id}",
        f"  client_secret:  {json.dumps(client.client_secret)}",
        f"  auth method:    {method} ({_METHOD_LABELS.get(method, method)})",
        f"  redirect URIs:  {' '.join(client.redirect_uris)}",
        f"  scope:          {client.scope}",
        f"  grant types:    {' '.join(client.grant_types)}",
        "",
    ]


def _write(stream: TextIO, text: str) -> None:
    """Print and flush; if the reader has gone (``| head -1``), keep serving, print no more."""
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # so the flush at exit does not fail again
        os.close(devnull)


def _say(text: str) -> None:
    _write(sys.stdout, text)


def _log(line: str) -> None:
    _write(sys.stderr, line)


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox until Ctrl+C or SIGTERM; returns the exit status."""
    args = build_parser().parse_args(argv)
    clients: tuple[SandboxClient, ...] | None = None
    if args.clients:
        try:
            clients = load_clients(args.clients)
        except ClientConfigError as exc:
            print(f"tiki-sandbox: error: {exc}", file=sys.stderr)
            return 2
    if not _is_loopback(args.host):
        _log(f"tiki-sandbox: warning: listening on {args.host}, not only on this computer")
    try:
        server = SandboxServer(
            host=args.host,
            port=args.port,
            clients=clients,
            code_lifetime=args.code_lifetime,
            access_token_lifetime=args.access_token_lifetime,
            refresh_token_lifetime=args.refresh_token_lifetime,
            log=None if args.quiet else _log,
            issue_iss=args.issue_iss,
            issuer=args.issuer,
        )
    except OSError as exc:
        print(
            f"tiki-sandbox: error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr
        )
        return 1

    stop = threading.Event()

    def _on_sigterm(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with server:
            _say(server.base_url)
            lines = [
                "Tiki Sandbox: a local authorization server like Tiki's (this is not Tiki).",
                f"  authorization endpoint: {server.authorization_endpoint}",
                f"  token endpoint:         {server.token_endpoint}",
                f"  API base:               {server.api_base}",
                f"  issuer (iss):           {server.issuer}"
                + ("" if server.issue_iss else " (not sent; --issue-iss sends it)"),
                "",
                "Clients:",
            ]
            for client in server.clients:
                lines.extend(_describe(client))
            lines.append("Press Ctrl+C to stop.")
            _say("\n".join(lines))
            while not stop.wait(0.2):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    _say("Sandbox stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
