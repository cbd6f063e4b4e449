"""The code of the processes the bench measures (tests/bench/bench.py), as Python source run
with ``python -c``: the shared prelude (timing, offscreen, memory of the process tree, idle
wake-ups), the floors (a bare window, a bare web view) and the app's cases (the form, the consent
page, the tokens)."""

__all__ = ["APP_CONSENT", "APP_FORM", "APP_TOKENS", "BARE_VIEW", "BARE_WINDOW", "PRELUDE"]

PRELUDE = """
import json, os, sys, time
T0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --log-level=3")
if os.geteuid() == 0:
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
WAKE = sys.argv[2] == "1"

def tree_rss_mb(pid=None):
    pid = pid or os.getpid()
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            total = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                total += sum(tree_rss_mb(int(c)) * 1024 for c in f.read().split())
    except (OSError, StopIteration):
        pass
    return total / 1024

def switches():
    with open(f"/proc/self/task/{os.getpid()}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches"))

def finish(out):
    print(json.dumps(out), flush=True)
    os._exit(0)

def settle_then(out, after_ms=800):
    def idle():
        out["idle_mb"] = tree_rss_mb()
        if not WAKE:
            finish(out)
        start, began = switches(), time.monotonic()
        def count():
            out["wakeups"] = max(0, switches() - start - 1) / (time.monotonic() - began)
            finish(out)
        QTimer.singleShot(2000, count)
    QTimer.singleShot(after_ms, idle)
"""

BARE_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLineEdit()); window.show()
out = {}
def tick():
    out["ready"] = time.time() - T0
    settle_then(out)
QTimer.singleShot(0, tick)
app.exec()
"""

APP_FORM = """
from tiki_gui import startup_gc  # the launcher's path (tiki_gui.launcher.main), in order
startup_gc.pause()
from tiki_gui import platform_check
assert platform_check.problem() is None
from tiki_gui.app import _application, launch
from PySide6.QtCore import QTimer
session = launch([])
from tiki_gui.ui.terminal_signals import quit_on_terminal_signals  # as main() runs the loop
out = {}
def tick():
    out["ready"] = time.time() - T0
    settle_then(out)
QTimer.singleShot(0, tick)
with quit_on_terminal_signals(session.window):
    _application().exec()
"""

BARE_VIEW = """
url = sys.argv[3]
from PySide6.QtCore import QTimer, QUrl, Qt, QCoreApplication
from PySide6.QtWidgets import QApplication
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
app = QApplication([])
began = time.perf_counter()  # like the app's click: Qt and the QApplication are there already
from PySide6.QtWebEngineWidgets import QWebEngineView
view = QWebEngineView(); view.resize(800, 600); view.show()
def loaded(ok):
    finish({"loaded": time.perf_counter() - began, "flow_mb": tree_rss_mb(), "ok": ok})
view.loadFinished.connect(loaded)
view.load(QUrl(url))
app.exec()
"""

APP_CONSENT = """
from tiki_gui import startup_gc  # as the launcher does: the collector paused for the start
startup_gc.pause()
from tiki_gui.app import _application, launch  # first, as the launcher imports it
from PySide6.QtCore import QTimer, Qt
from tiki_gui.core.options import AuthMethod
from tiki_gui.sandbox import DEMO_BASIC_CLIENT as CLIENT
from tiki_gui.storage.profiles import Profile, ProfileWithSecret
session = launch([])
window = session.window
base = sys.argv[3]  # the bench's sandbox, in its own process like the floor's page
window.form.set_value(ProfileWithSecret(Profile(
    client_id=CLIENT.client_id, redirect_uri=CLIENT.redirect_uris[0], scopes=("offline",),
    auth_method=AuthMethod(CLIENT.token_endpoint_auth_method),
    authorization_endpoint=base + "/sc/oauth2/auth", token_endpoint=base + "/sc/oauth2/token",
    api_base=base), CLIENT.client_secret))
out = {}
def loaded(loading):
    if not loading and "page" not in out:
        out["page"] = True
        shown()
def shown():
    # The page loaded and shown to the seller: it loads during the token endpoint check, unseen.
    pane = window.consent_pane
    if "page" not in out or "loaded" in out or pane.browser is None or pane.held:
        return
    out["loaded"] = time.perf_counter() - out.pop("clicked")
    out["flow_mb"] = tree_rss_mb()
    out["url"] = pane.browser.view.url().toString()
    out["requested"] = pane.browser.view.page().requestedUrl().toString()  # before redirects
    out.pop("page")
    finish(out)
def click():
    window.consent_pane.loading_changed.connect(loaded)
    window.preflight.passed.connect(lambda _status: shown())
    out["clicked"] = time.perf_counter()
    window.form.authorize.click()
def hover():  # the pointer reaches Authorize before pressing it, as with a mouse
    from PySide6.QtTest import QTest
    QTest.mouseMove(window.form.authorize)
def field():
    from PySide6.QtWidgets import QApplication
    return QApplication.focusWidget() or window.form.client_id
def ctrl_down():  # the Ctrl of Ctrl+Return, the Authorize shortcut, in the focused field
    from PySide6.QtTest import QTest
    QTest.keyPress(field(), Qt.Key.Key_Control)
def shortcut():
    from PySide6.QtTest import QTest
    window.consent_pane.loading_changed.connect(loaded)
    window.preflight.passed.connect(lambda _status: shown())
    out["clicked"] = time.perf_counter()
    QTest.keyPress(field(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
if len(sys.argv) > 4 and sys.argv[4].startswith("key"):  # Ctrl down this many ms before Return
    QTimer.singleShot(800 - int(sys.argv[4][3:]), ctrl_down)
    QTimer.singleShot(800, shortcut)
else:
    if len(sys.argv) > 4:  # hovered this many ms before the click (the pre-warm's trigger)
        QTimer.singleShot(800 - int(sys.argv[4]), hover)
    QTimer.singleShot(800, click)
QTimer.singleShot(60000, lambda: finish({"error": "no page loaded"}))
_application().exec()
"""

APP_TOKENS = """
from tiki_gui import startup_gc  # as the launcher does: the collector paused for the start
startup_gc.pause()
from tiki_gui.app import _application, launch  # first, as the launcher imports it
from PySide6.QtCore import QEvent, QObject, QTimer
session = launch(["--sandbox"])
window = session.window
out = {}
# The redirect is caught when the page's acceptNavigationRequest refuses it: timed right there.
import tiki_gui.webengine.page as page_module  # loaded at the click anyway
_accept = page_module.ConsentPage.acceptNavigationRequest
def accept(self, url, kind, main_frame):
    verdict = _accept(self, url, kind, main_frame)
    if self.captured and "caught" not in out:
        out["caught"] = time.perf_counter()
    return verdict
page_module.ConsentPage.acceptNavigationRequest = accept
class Painted(QObject):  # the access token's field painted with the tokens in it
    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Paint and "caught" in out and "painted" not in out
                and window.token_panel.tokens is not None):
            out["painted"] = time.perf_counter()
        return False
painted = Painted()
window.token_panel.access_token.installEventFilter(painted)
def filed():  # the stored-tokens list got the seller: the token is in the keyring
    if "painted" not in out or "filed" in out or not window.stored_tokens.manager.records():
        return
    out["filed"] = time.perf_counter()
    # The token request's own duration, request sent to response read (the timeline's).
    trip = [e.elapsed for e in window.flow.timeline.entries if e.elapsed is not None][-1]
    out.update(
        total=out["painted"] - out["caught"], trip=trip,
        own=out["painted"] - out["caught"] - trip, filed_after=out["filed"] - out["caught"],
    )
    finish(out)
window.stored_tokens.changed.connect(lambda: QTimer.singleShot(0, filed))
STEP = (
    "(function(){var b=document.getElementById(%s); if(!b) return false;"
    " var u=document.getElementById('username'), p=document.getElementById('password');"
    " if(u) u.value='bench'; if(p) p.value='pw'; b.click(); return true;})()"
)
def next_step(*_):  # sign in, then allow, each once, as a person would (any password works)
    pane = window.consent_pane
    if ("caught" in out or "stepping" in out or pane.browser is None or pane.held
            or pane.browser.view.page().isLoading()):
        return
    button = "consent-allow" if "signed_in" in out else "login-submit"
    def done(clicked):
        out.pop("stepping", None)
        if clicked and button == "login-submit":
            out["signed_in"] = 1
            QTimer.singleShot(0, next_step)  # in case the consent page loaded meanwhile
    out["stepping"] = 1  # one click in flight: a second one would resend a used challenge
    pane.browser.view.page().runJavaScript(STEP % repr(button), 0, done)
def click():
    window.consent_pane.loading_changed.connect(lambda loading: loading or next_step())
    window.preflight.passed.connect(lambda _status: QTimer.singleShot(0, next_step))
    window.form.authorize.click()
QTimer.singleShot(800, click)
def stuck():
    browser = window.consent_pane.browser
    where = browser.view.url().toString().split("?")[0] if browser is not None else None
    state = window.flow.state.value
    report = window.error_panel.report
    why = f": {report.message}" if state == "failed" and report is not None else ""
    finish({"error": f"no tokens filed: {sorted(out)}, flow {state}{why}, page {where}"})
QTimer.singleShot(60000, stuck)
_application().exec()
"""
