"""Sign-in helpers that work with any browser (Qt-free).

- :class:`LoopbackReceiver`: receive the redirect on ``http://127.0.0.1:PORT/...`` while the
  user signs in in the system browser (RFC 8252 7.3);
- :func:`open_in_system_browser`: open the authorization URL in the default browser;
- :func:`parse_pasted_redirect`: read a redirect URL the user pasted (any redirect URI).

Every check of the redirect itself (state, ``iss``, error parameters) is the core's
:func:`tiki_gui.core.redirect.parse_redirect`. Nothing here imports Qt.
"""

from tiki_gui.signin.address import is_loopback_redirect_uri, loopback_address
from tiki_gui.signin.browser import open_in_system_browser
from tiki_gui.signin.errors import BrowserLaunchError, LoopbackError, PortInUseError
from tiki_gui.signin.loopback import LoopbackOutcome, LoopbackReceiver
from tiki_gui.signin.paste import clean_pasted_url, parse_pasted_redirect

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
