"""Open the authorization page in the user's default browser (RFC 8252: the system browser).

Uses the standard library's :mod:`webbrowser`, so the ``BROWSER`` environment variable is
honoured (``BROWSER="firefox %s"``, or a list separated by ``os.pathsep``).
"""

from __future__ import annotations

import logging
import threading

from tiki_gui.core.endpoints import validate_url
from tiki_gui.signin.errors import BrowserLaunchError

__all__ = ["DEFAULT_LAUNCH_TIMEOUT", "open_in_system_browser"]

_log = logging.getLogger(__name__)

DEFAULT_LAUNCH_TIMEOUT = 5.0
"""Seconds to wait for a browser command that does not return at once (then taken as opened)."""


def open_in_system_browser(
    url: str, *, browser: str | None = None, launch_timeout: float = DEFAULT_LAUNCH_TIMEOUT
) -> None:
    """Open ``url`` in a new tab of the default browser, or raise :class:`BrowserLaunchError`.

    ``browser`` picks one as :func:`webbrowser.get` does (a name such as ``"firefox"``, or a
    command line with ``%s`` for the URL); None means the default (``$BROWSER`` first). Some
    browser commands only return when the browser quits: after ``launch_timeout`` seconds one
    that is still running is taken as opened, so this never blocks for longer. The URL (which
    holds the state) never appears in the error message.
    """
    validate_url(url, what="The address to open")
    import webbrowser  # at first use: it imports subprocess, off the form's start path

    outcome: list[bool] = []

    def launch() -> None:
        try:
            if browser is None:
                opened = webbrowser.open(url, new=2)
            else:
                opened = webbrowser.get(browser).open(url, new=2)
        except (webbrowser.Error, OSError) as exc:
            _log.info("opening the system browser failed: %s", type(exc).__name__)
            opened = False
        outcome.append(opened)

    thread = threading.Thread(target=launch, name="tiki-gui-open-browser", daemon=True)
    thread.start()
    thread.join(launch_timeout)
    if thread.is_alive():
        _log.info(
            "the browser command is still running after %s s: taken as opened", launch_timeout
        )
        return
    if not outcome or not outcome[0]:
        hint = (
            f"The browser command {browser!r} could not be started"
            if browser is not None
            else "No web browser was found"
        )
        raise BrowserLaunchError(
            f"{hint}, so the sign-in page could not be opened. Set the BROWSER environment "
            "variable to your browser's command (for example BROWSER=firefox), or copy the "
            "authorization URL and open it in a browser yourself."
        )
