"""What the window's start loads before the form is first painted, in a fresh process (issue 11):
not QtWebEngine, not keyring, not the system-browser sign-in's http.server/webbrowser, not the
flow's modules (made after the paint), not filelock, importlib.metadata or platformdirs (the XDG
folders are read from the spec: tiki_gui/storage/paths.py), not the storage
package's keyring store and token vault, the stored tokens' controller, the authorization request
or hashlib (all loaded after the paint), not PySide6's ``Qt`` namespace, and no module source
kept in ``linecache``; idle with no
stored token, no httpx and no seller API console; and no
pre-warm of QtWebEngine while the user does not touch the form (and one, from the event loop, once
they hover Authorize or edit a field); and, idle, no timer firing
(countdowns tick only while they have something on screen to count)."""

from __future__ import annotations

import pytest
from child_processes import run_qt_driver
from keyring_service import IsolatedDirs

_DRIVER = """
import json, linecache, os, sys
from tiki_gui.app import _application, launch  # first, as the launcher imports it
from PySide6.QtCore import QObject, QTimer  # no QEvent before the paint: the window makes none

WATCHED = ("PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "keyring", "httpx",
           "http.server", "webbrowser", "subprocess", "tiki_gui.webengine",
           "tiki_gui.webengine.browser", "tiki_gui.webengine.page",
           "tiki_gui.webengine.navigation", "tiki_gui.core.timeline",
           "tiki_gui.ui.signin.flow", "tiki_gui.ui.window_signin", "filelock",
           "importlib.metadata", "tiki_gui.ui.api_console.controller",
           "tiki_gui.storage.vault", "tiki_gui.storage.secrets", "tiki_gui.core.authorization",
           "tiki_gui.ui.stored_tokens.controller", "hashlib", "tiki_gui.ui.shared.error_text",
           "platformdirs")
seen = {}

# At the window's painted signal: the turn after its first paint, before anything made after it
# (tests/ui/test_staged_start.py). Not an event filter: PySide6 would make QEvent for it.
def first_paint():
    seen["painted"] = sorted(m for m in WATCHED if m in sys.modules)
    seen["qt_namespace"] = [str("Qt" in vars(sys.modules["PySide6.QtCore"]))]
    made = {name for module in ("QtCore", "QtGui", "QtWidgets")
            for name in vars(sys.modules["PySide6." + module])}
    seen["classes_made"] = sorted(c for c in CLASSES_NOT_BEFORE_THE_PAINT if c in made)
    seen["sources_kept"] = [str(len(linecache.cache))]
    seen["pages_at_paint"] = [str(session.window.flow_view.pages_ready)]

CLICK_CLASSES = ("QDateTime", "QLibraryInfo", "QMetaMethod", "QSizePolicy")  # a first sign-in's
CLASSES_NOT_BEFORE_THE_PAINT = ("QIcon", "QPixmap", "QUrl", "QEvent", "QWindow", "QKeySequence",
                                "QPalette", "QDateTime", "QMetaMethod")
app = _application()

class Timers(QObject):
    def __init__(self, end):
        super().__init__()
        self.end, self.fired = end, []
    def eventFilter(self, watched, event):
        from PySide6.QtCore import QEvent  # installed once idle, long after the paint

        # A focused line edit's blinking caret (Qt's QWidgetLineControl) ticks in the bare
        # window too: it is the user's cursor, not our work. Every other timer counts.
        kind = watched.metaObject().className()
        caret = kind == "QWidgetLineControl"
        if event.type() == QEvent.Type.Timer and watched is not self.end and not caret:
            self.fired.append(watched.objectName() or kind)
        return False

end = QTimer()
end.setSingleShot(True)
timers = Timers(end)

def idle():
    seen["idle"] = sorted(m for m in WATCHED if m in sys.modules)
    seen["pages_at_idle"] = [str(session.window.flow_view.pages_ready)]
    made = {name for module in ("QtCore", "QtWidgets")
            for name in vars(sys.modules["PySide6." + module])}
    seen["click_classes_at_idle"] = sorted(c for c in CLICK_CLASSES if c in made)
    app.installEventFilter(timers)  # two seconds shown, idle, no tokens: no timer may fire
    end.start(2000)

def done():
    seen["timers"] = timers.fired
    print(json.dumps(seen), flush=True)
    session.close()
    os._exit(0)

end.timeout.connect(done)
session = launch([])
session.window.painted.connect(first_paint)  # emitted from the event loop: in time
QTimer.singleShot(1500, idle)
app.exec()
"""


_BROWSER_WITH_QT = ("tiki_gui.webengine.browser", "tiki_gui.webengine.page")


def _loaded(isolated_dirs: IsolatedDirs) -> dict[str, list[str]]:
    return run_qt_driver(_DRIVER)


def test_the_first_paint_loads_no_webengine_keyring_or_system_browser_sign_in(
    isolated_dirs: IsolatedDirs,
) -> None:
    seen = _loaded(isolated_dirs)
    painted = set(seen["painted"]) - {"httpx"}  # httpx: see the next test
    assert painted == set(), painted
    # Two seconds idle, the form untouched: QtWebEngine is still not loaded: no pre-warm without
    # the user. (No session bus here: keyring is not even imported, see test_idle_imports.py.)
    assert not {m for m in seen["idle"] if "WebEngine" in m or m in _BROWSER_WITH_QT}
    # Only the browser's modules that need no QtWebEngine, and the flow's timeline, loaded
    # after the paint so that a click with nothing before it does not load them.
    assert {"tiki_gui.webengine.navigation", "tiki_gui.core.timeline"} <= set(seen["idle"])
    # PySide6's Qt namespace (~95 enums, ~15 ms) is not made before the first paint: the window
    # sets what it needs by name (tiki_gui/ui/shared/enum_free.py).
    assert seen["qt_namespace"] == ["False"]
    # Nor QIcon (an action made by QAction(text, parent) builds it) or QUrl, with their enums,
    # nor QEvent (~180 types: no event of the window crosses into Python before the paint) or
    # QWindow (the window's first paint is found without them: MainWindow._on_loop_turn), nor
    # QKeySequence (shortcuts set by their text), QPalette (the hidden notices are styled when
    # shown), QDateTime or QMetaMethod (QTimer.singleShot with a context makes it).
    assert seen["classes_made"] == []
    # The flow's pages: not at the paint, made by the time the window is idle.
    assert seen["pages_at_paint"] == ["False"]
    assert seen["pages_at_idle"] == ["True"]
    # The PySide6 classes a first sign-in uses are made after the paint, not by the click or
    # the tokens' arrival.
    assert seen["click_classes_at_idle"] == [
        "QDateTime",
        "QLibraryInfo",
        "QMetaMethod",
        "QSizePolicy",
    ]
    assert "tiki_gui.ui.signin.flow" in seen["idle"]
    # No later module's source read into linecache: PySide6's own check keeps ~230 files there
    # by the paint; what remains are the ~25 modules imported before PySide6 and tiki_gui.app.
    assert int(seen["sources_kept"][0]) < 50, seen["sources_kept"]


def test_idle_with_no_stored_token_loads_no_httpx_or_console(isolated_dirs: IsolatedDirs) -> None:
    idle = _loaded(isolated_dirs)["idle"]
    assert "httpx" not in idle
    assert "tiki_gui.ui.api_console.controller" not in idle


def test_idle_with_no_tokens_no_timer_fires(isolated_dirs: IsolatedDirs) -> None:
    assert _loaded(isolated_dirs)["timers"] == []


def test_the_first_paint_loads_no_httpx(isolated_dirs: IsolatedDirs) -> None:
    assert "httpx" not in _loaded(isolated_dirs)["painted"]


_TOUCH_DRIVER = """
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from tiki_gui.app import _application, launch

app = _application()
session = launch([])
form = session.window.form
seen = {}

def touch():
    seen["before"] = "PySide6.QtWebEngineCore" in sys.modules
    if sys.argv[1] == "edit":
        QTest.keyClicks(form.client_id, "1")
    else:  # the pointer over Authorize
        QTest.mouseMove(form.authorize)
    seen["right_after"] = "PySide6.QtWebEngineCore" in sys.modules  # not in the user's event
    QTimer.singleShot(1500, done)

def done():
    seen["after"] = "PySide6.QtWebEngineCore" in sys.modules
    print(json.dumps(seen), flush=True)
    session.close()
    os._exit(0)

QTimer.singleShot(1500, touch)
app.exec()
"""


@pytest.mark.parametrize("touch", ["edit", "hover"])
def test_touching_the_form_pre_warms_webengine_from_the_event_loop(
    isolated_dirs: IsolatedDirs, touch: str
) -> None:
    seen = run_qt_driver(_TOUCH_DRIVER, touch)
    assert seen == {"before": False, "right_after": False, "after": True}
