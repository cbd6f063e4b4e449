"""The embedded consent browser: the only package that imports ``PySide6.QtWebEngine*``.

Importing this package loads QtWebEngine (Chromium), so the UI imports it inside a function at
the first Authorize, never at module level. Set ``Qt.AA_ShareOpenGLContexts`` before the
QApplication exists when it is loaded that late.

Importing it also gives Chromium the proxy variables' proxy (:mod:`tiki_gui.webengine.network`),
before any profile exists: Chromium reads its switches once, when the first profile is made.
"""

from __future__ import annotations

from tiki_gui.webengine.network import configure_proxy

configure_proxy()  # before anything below can make a profile

from tiki_gui.webengine.browser import ConsentBrowser  # noqa: E402
from tiki_gui.webengine.js import JavaScriptTimeoutError, run_javascript  # noqa: E402
from tiki_gui.webengine.location import Location, describe_location  # noqa: E402
from tiki_gui.webengine.navigation import (  # noqa: E402
    FlowTargets,
    NavigationEvent,
    NavigationVerdict,
    classify,
)
from tiki_gui.webengine.page import ConsentPage  # noqa: E402

__all__ = [
    "ConsentBrowser",
    "ConsentPage",
    "FlowTargets",
    "JavaScriptTimeoutError",
    "Location",
    "NavigationEvent",
    "NavigationVerdict",
    "classify",
    "describe_location",
    "run_javascript",
]
