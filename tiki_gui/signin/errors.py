"""Errors of the sign-in helpers, in the core's tree (every one is a :class:`TikiGuiError`).

::

    TikiGuiError
    ├── LoopbackError                  the redirect cannot be received on this computer
    │   └── PortInUseError             another program listens on the redirect URI's port
    └── BrowserLaunchError             no system browser could be opened

Messages are sentences for the person at the keyboard and never contain a code or a state.
"""

from __future__ import annotations

from tiki_gui.core.errors import TikiGuiError

__all__ = ["BrowserLaunchError", "LoopbackError", "PortInUseError"]


class LoopbackError(TikiGuiError):
    """The app cannot listen for the redirect: not a loopback URI, or the address is unusable."""


class PortInUseError(LoopbackError):
    """The redirect URI's port is already taken by another program. ``port`` says which."""

    host: str
    port: int

    def __init__(self, message: str, *, host: str, port: int) -> None:
        self.host = host
        self.port = port
        super().__init__(message)


class BrowserLaunchError(TikiGuiError):
    """The system browser could not be opened (none installed, or $BROWSER is wrong)."""
