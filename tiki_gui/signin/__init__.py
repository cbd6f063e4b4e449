"""Sign-in helpers that work with any browser (Qt-free).

- :class:`LoopbackReceiver`: receive the redirect on ``http://127.0.0.1:PORT/...`` while the
  user signs in in the system browser (RFC 8252 7.3);
- :func:`open_in_system_browser`: open the authorization URL in the default browser;
- :func:`parse_pasted_redirect`: read a redirect URL the user pasted (any redirect URI).

Every check of the redirect itself (state, ``iss``, error parameters) is the core's
:func:`tiki_gui.core.redirect.parse_redirect`. Nothing here imports Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiki_gui.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from tiki_gui.signin.address import is_loopback_redirect_uri, loopback_address
    from tiki_gui.signin.browser import open_in_system_browser
    from tiki_gui.signin.errors import BrowserLaunchError, LoopbackError, PortInUseError
    from tiki_gui.signin.loopback import LoopbackOutcome, LoopbackReceiver
    from tiki_gui.signin.paste import clean_pasted_url, parse_pasted_redirect

# Loaded at first use (PEP 562): the form's import path reaches ``tiki_gui.signin.errors`` and
# must not pay for http.server, email, ssl, webbrowser and subprocess before the window paints.
_HOMES = {
    "BrowserLaunchError": "errors",
    "LoopbackError": "errors",
    "PortInUseError": "errors",
    "LoopbackOutcome": "loopback",
    "LoopbackReceiver": "loopback",
    "clean_pasted_url": "paste",
    "parse_pasted_redirect": "paste",
    "is_loopback_redirect_uri": "address",
    "loopback_address": "address",
    "open_in_system_browser": "browser",
}


__getattr__ = lazy_exports(__name__, _HOMES)


__all__ = [
    "BrowserLaunchError",
    "LoopbackError",
    "LoopbackOutcome",
    "LoopbackReceiver",
    "PortInUseError",
    "clean_pasted_url",
    "is_loopback_redirect_uri",
    "loopback_address",
    "open_in_system_browser",
    "parse_pasted_redirect",
]
