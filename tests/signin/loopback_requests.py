"""The loopback tests' authorization request and callback URLs."""

from __future__ import annotations

from urllib.parse import urlencode

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.signin import LoopbackReceiver

__all__ = ["AUTH", "CODE", "STATE", "callback_url", "request_for"]

STATE = "state-0123456789abcdefghij"
CODE = "ory_ac_c29tZUNvZGUxMjM0NTY3ODkw.c2lnbmF0dXJl"
AUTH = "https://api.tiki.vn/sc/oauth2/auth"


def request_for(redirect_uri: str) -> AuthorizationRequest:
    """The flow's authorization request (state :data:`STATE`) for ``redirect_uri``."""
    return AuthorizationRequest.create(AUTH, "client-1", redirect_uri, "offline", state=STATE)


def callback_url(receiver: LoopbackReceiver, **params: str) -> str:
    """The redirect a browser would be sent to at ``receiver``, with ``params``."""
    return f"http://127.0.0.1:{receiver.port}/callback?{urlencode(params)}"
