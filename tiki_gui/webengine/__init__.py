"""The embedded consent browser: the only package that imports ``PySide6.QtWebEngine*``.

Importing this package loads QtWebEngine (Chromium) once a name of it is used, so the UI imports
it inside a function at the first Authorize, never at module level. Set
``Qt.AA_ShareOpenGLContexts`` before the QApplication exists when it is loaded that late.

The package itself only gives Chromium its switches before any profile can exist (Chromium reads
them once, when the first profile is made): the proxy variables' proxy
(:mod:`tiki_gui.webengine.network`) and one zygote instead of two
(:mod:`tiki_gui.webengine.startup`). Its names (:data:`__all__`) are loaded from their modules
at first use, so the window's pre-warm (:mod:`tiki_gui.ui.signin.prewarm`) can load the modules
one event-loop step at a time (:data:`MODULES`) instead of all in one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiki_gui.lazy_exports import lazy_exports
from tiki_gui.webengine.network import configure_proxy
from tiki_gui.webengine.startup import spare_unsandboxed_zygote

configure_proxy()  # before anything below can make a profile
spare_unsandboxed_zygote()

if TYPE_CHECKING:
    from tiki_gui.webengine.browser import ConsentBrowser
    from tiki_gui.webengine.js import JavaScriptTimeoutError, run_javascript
    from tiki_gui.webengine.location import Location, describe_location
    from tiki_gui.webengine.navigation import (
        FlowTargets,
        NavigationEvent,
        NavigationVerdict,
        classify,
    )
    from tiki_gui.webengine.page import ConsentPage

__all__ = [
    "MODULES",
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

MODULES = (
    "PySide6.QtNetwork",
    "PySide6.QtWebChannel",
    "PySide6.QtPrintSupport",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "tiki_gui.webengine.net_errors",
    "tiki_gui.webengine.navigation",
    "tiki_gui.webengine.location",
    "tiki_gui.webengine.page",
    "tiki_gui.webengine.sessions",
    "tiki_gui.webengine.browser",
)
"""What a consent browser needs, in the order it can be loaded a piece at a time (after this
package): Qt's modules (QtWebEngineCore's libraries are the largest piece), then ours."""

_WHERE = {
    "ConsentBrowser": "browser",
    "ConsentPage": "page",
    "FlowTargets": "navigation",
    "JavaScriptTimeoutError": "js",
    "Location": "location",
    "NavigationEvent": "navigation",
    "NavigationVerdict": "navigation",
    "classify": "navigation",
    "describe_location": "location",
    "run_javascript": "js",
}


__getattr__ = lazy_exports(__name__, _WHERE)  # the names load their modules at first use
