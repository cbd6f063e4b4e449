"""The app: start-up without QtWebEngine, ``main(["--sandbox"])``, --help, keys, icon, .desktop."""

from __future__ import annotations

import configparser
import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
import shiboken6
from child_processes import ROOT, run_python
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tiki_gui import app
from tiki_gui.sandbox import DEMO_BASIC_CLIENT
from tiki_gui.storage.profiles import ProfileWithSecret
from tiki_gui.ui.shared.icon import ICON_PATH, app_icon
from tiki_gui.ui.signin.flow import FlowState

_LAZY_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtWidgets import QApplication
    from tiki_gui import app
    from tiki_gui.ui.main_window import MainWindow

    HEAVY = ("PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineCore", "tiki_gui.webengine",
             "httpx")
    app.prepare_qt()
    qapp = QApplication([])
    window = MainWindow()
    window.show()
    qapp.processEvents()
    before = {name: name in sys.modules for name in HEAVY}

    from tiki_gui.sandbox import SandboxServer
    from tiki_gui.storage.profiles import Profile, ProfileWithSecret
    with SandboxServer() as server:
        window.form.set_value(ProfileWithSecret(Profile(
            client_id="tiki-demo-basic", redirect_uri="https://example.com/cb",
            authorization_endpoint=server.authorization_endpoint,
            token_endpoint=server.token_endpoint, api_base=server.api_base), "s"))
        window.form.authorize.click()
        after = {name: name in sys.modules for name in HEAVY}
        window.close()
        window.shutdown()
    print(json.dumps({"before": before, "after": after}))
    """
)


def test_the_form_appears_without_loading_webengine_or_httpx() -> None:
    # In a fresh interpreter: other tests of this session have imported everything already.
    result = run_python("-c", _LAZY_SCRIPT)
    assert result.returncode == 0, result.stderr[-2000:]
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert modules["before"] == dict.fromkeys(modules["before"], False)
    # Authorize loads QtWebEngine (the check above is not vacuous).
    assert modules["after"]["PySide6.QtWebEngineWidgets"] is True
    assert modules["after"]["tiki_gui.webengine"] is True


def _run_main_in_subprocess(
    mode: str,
) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    result = run_python(Path(__file__).with_name("main_driver.py"), mode)
    lines = result.stdout.strip().splitlines()
    seen = json.loads(lines[-1]) if lines else {}
    return result, seen


def test_main_with_sandbox_quits_cleanly_mid_consent() -> None:
    result, seen = _run_main_in_subprocess("consent")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error" not in seen, seen
    assert seen["client_id"] == DEMO_BASIC_CLIENT.client_id  # the demo client, pre-filled
    assert str(seen["base_url"]).startswith("http://127.0.0.1:")
    assert seen["state_when_closed"] == FlowState.CONSENT.value
    assert seen["sandbox_stopped"] is True  # stopped on quit
    assert "Traceback" not in result.stderr
    assert "QThread" not in result.stderr


def test_main_quits_cleanly_mid_exchange() -> None:
    result, seen = _run_main_in_subprocess("exchange")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error" not in seen, seen
    assert seen["state_when_closed"] == FlowState.EXCHANGING.value
    assert seen["token_requests"] == 1
    # main() returns once the abandoned request has ended (the fake server holds it 2 s).
    assert float(str(seen["returned_after_s"])) < 10
    assert seen["sandbox_stopped"] is True
    assert "Traceback" not in result.stderr
    assert "QThread" not in result.stderr


def test_launch_without_sandbox_opens_on_tiki_production(qtbot: QtBot) -> None:
    session = app.launch([])
    try:
        window = session.window
        qtbot.waitExposed(window)
        assert session.sandbox is None
        assert window.form.value() == ProfileWithSecret()
        assert window.form.profile().token_endpoint == "https://api.tiki.vn/sc/oauth2/token"
        # The icons are set after the first paint, before the sign-in is made.
        qtbot.waitUntil(lambda: window.sign_in_ready)
        assert not window.windowIcon().isNull()
    finally:
        session.close()


def test_help_names_the_sandbox_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        app.main(["--help"])
    assert exited.value.code == 0
    assert "--sandbox" in capsys.readouterr().out


def test_an_unknown_option_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        app.main(["--no-such-option"])
    assert exited.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_launch_returns_a_session_to_close(qtbot: QtBot) -> None:
    session = app.launch(["--sandbox"])
    try:
        qtbot.waitExposed(session.window)
        assert session.sandbox is not None
        base_url = session.sandbox.base_url
        qtbot.waitUntil(lambda: session.window.form.profile().client_id == "tiki-demo-basic")
        # The sandbox sends iss (RFC 9207) and its profile expects exactly that issuer.
        assert session.window.form.profile().issuer == session.sandbox.issuer
        # The embedded browser's remembered login (if chosen) belongs to this profile only.
        assert session.window.consent_pane.profile_name == "Sandbox"
        assert not session.window.flow_view.try_sandbox.isVisible()  # already on the sandbox
        assert session.window.sandbox_server is session.sandbox  # the button would reuse it
        assert httpx.get(base_url + "/", timeout=2).status_code < 500
    finally:
        session.close()
    assert session.sandbox is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url, timeout=2)
    assert not shiboken6.isValid(session.window)  # deleted, not left to the GC


def test_ctrl_q_closes_the_window(qtbot: QtBot) -> None:
    session = app.launch([])
    try:
        window = session.window
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
        window.form.client_id.setFocus()
        with qtbot.waitSignal(window.closing, timeout=1000):
            QTest.keyClick(window.form.client_id, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert not window.isVisible()
    finally:
        session.close()


def test_the_desktop_file_and_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "resources" / "tiki-gui.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "tiki-gui"
    assert desktop["Icon"] == "tiki-gui"
    assert ICON_PATH == ROOT / "resources" / "tiki-gui.svg"
    assert ICON_PATH.is_file()
    assert not app_icon().isNull()
    assert not app_icon().pixmap(64, 64).isNull()


def test_a_missing_icon_file_is_tolerated(tmp_path: Path) -> None:
    icon = app_icon(tmp_path / "absent.svg")  # no exception: the theme's icon, if any
    assert icon.isNull() is not QIcon.hasThemeIcon("tiki-gui")
    assert icon.cacheKey() != app_icon().cacheKey()  # not the file's icon


_READY_SCRIPT = textwrap.dedent(
    """
    import contextlib, sys
    from PySide6.QtCore import QTimer
    from tiki_gui import app
    from tiki_gui.ui import terminal_signals

    handled = terminal_signals.quit_on_terminal_signals

    @contextlib.contextmanager
    def announced(window):
        with handled(window):  # the real handlers; then say so from the running event loop
            QTimer.singleShot(0, lambda: print("ready", flush=True))
            yield

    terminal_signals.quit_on_terminal_signals = announced
    sys.exit(app.main(["--sandbox"]))
    """
)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_in_the_terminal_quits_cleanly(sig: signal.Signals) -> None:
    """``tiki-gui --sandbox`` started from a terminal: Ctrl+C closes it like the window's X."""
    with subprocess.Popen(
        [sys.executable, "-c", _READY_SCRIPT],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        ready = process.stdout.readline()  # the event loop runs, the handlers are installed
        assert ready == "ready\n", process.communicate()[1]
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr
