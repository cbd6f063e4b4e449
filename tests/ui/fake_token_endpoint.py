"""A token endpoint that misbehaves on purpose: slow, HTTP 500, or not JSON.

The sandbox is a well-behaved Hydra; these are the faults a real server shows on a bad day, served
by the scripted server over real HTTP on 127.0.0.1 so the app's whole path (worker thread, httpx,
core) runs. ``slow`` holds its answer until ``release()``.
"""

from __future__ import annotations

from typing import Literal

from scripted_server import Reply, ScriptedServer

__all__ = ["TOKEN_PATH", "Mode", "faulty_token_endpoint"]

Mode = Literal["slow", "http_500", "garbage"]
TOKEN_PATH = "/oauth2/token"

_FAULTS: dict[Mode, Reply] = {
    "slow": Reply(400, b'{"error": "invalid_grant"}', held=True),
    "http_500": Reply(
        500,
        b"<html><body><h1>500 Internal Server Error</h1>nginx</body></html>",
        (("Content-Type", "text/html"),),
    ),
    "garbage": Reply(200, b"ok\x00 not json {", (("Content-Type", "text/plain"),)),
}


def faulty_token_endpoint(mode: Mode, *, hold_seconds: float = 30.0) -> ScriptedServer:
    """Answers every token request (POST) per ``mode``; its token endpoint is
    ``url(TOKEN_PATH)``. A GET (the app's check that the endpoint answers, made when Authorize
    is pressed) gets a 405 at once, as from Hydra, and is not recorded."""
    return ScriptedServer(
        repeat=_FAULTS[mode],
        hold_seconds=hold_seconds,
        probe=Reply(405, b'{"error": "method_not_allowed"}'),
    )
