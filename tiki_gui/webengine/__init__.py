"""The embedded consent browser: the only package that imports ``PySide6.QtWebEngine*``.

Importing this package loads QtWebEngine (Chromium), so the UI imports it inside a function at
the first Authorize, never at module level. Set ``Qt.AA_ShareOpenGLContexts`` before the
QApplication exists when it is loaded that late.
"""

from __future__ import annotations

from tiki_gui.webengine.browser import ConsentBrowser
from tiki_gui.webengine.js import JavaScriptTimeoutError, run_javascript
from tiki_gui.webengine.location import Location, describe_location
from tiki_gui.webengine.navigation import FlowTargets, NavigationEvent, NavigationVerdict, classify
from tiki_gui.webengine.page import ConsentPage

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
