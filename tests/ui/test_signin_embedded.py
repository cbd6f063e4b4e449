"""Embedded sign-in options through the main window: remembered vs fresh browser sessions,
signing out, plain-http pages refused, no web channel, and the timeline of a real flow."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from scripted_server import Reply, ScriptedServer, openssl_available
from webengine import drive

from tiki_gui.core.options import BrowserSession
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.storage.profiles import Profile, ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine import ConsentBrowser

from .conftest import WindowFactory
from .flow_helpers import (
    FLOW_TIMEOUT_MS,
    click_authorize,
    click_once_in_place,
    sandbox_config,
    wait_for_state,
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIKI_GUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _first_page(qtbot: QtBot, browser: ConsentBrowser) -> str:
    """ "login" or "consent": which sandbox page the flow shows first."""
    found: list[str] = []

    def seen() -> bool:
        for name, element in (("login", "login-submit"), ("consent", "consent-allow")):
            if drive.has_element(browser, element):
                found.append(name)
                return True
        return False

    qtbot.waitUntil(seen, timeout=FLOW_TIMEOUT_MS)
    return found[0]


def _flow(qtbot: QtBot, window: MainWindow) -> str:
    """Run one flow to tokens; return the first page it showed."""
    browser = click_authorize(qtbot, window)
    first = _first_page(qtbot, browser)
    if first == "login":
        drive.login(qtbot, browser, username="seller-remember", password="pw")
    drive.allow_consent(qtbot, browser)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    return first


def test_remembered_session_skips_login_and_sign_out_forgets_it(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer, data_dir: Path
) -> None:
    window = make_window(sandbox_config(sandbox, browser_session=BrowserSession.REMEMBER))
    window.consent_pane.profile_name = "shop A"
    assert _flow(qtbot, window) == "login"
    assert _flow(qtbot, window) == "consent"  # the Tiki login was remembered
    assert any((data_dir / "browser").iterdir())

    window.consent_pane.profile_name = "shop B"  # another app profile: its own cookies
    assert _flow(qtbot, window) == "login"

    window.consent_pane.profile_name = "shop A"
    QTest.mouseClick(window.form.sign_out_browser, Qt.MouseButton.LeftButton)
    qtbot.wait(300)  # deleteAllCookies is asynchronous
    assert _flow(qtbot, window) == "login"


def test_sign_out_clears_a_live_profile_and_its_folder_goes_before_the_next_opening(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer, data_dir: Path
) -> None:
    from tiki_gui.webengine.sessions import (
        SIGNED_OUT_MARKER,
        persistent_profile,
        storage_name_for,
        storage_path,
    )

    window = make_window(sandbox_config(sandbox, browser_session=BrowserSession.REMEMBER))
    window.consent_pane.profile_name = "shop C"
    folder = storage_path(storage_name_for("shop C"))
    assert _flow(qtbot, window) == "login"
    assert _flow(qtbot, window) == "consent"  # remembered: this profile was used in this run
    assert folder.is_dir()

    QTest.mouseClick(window.form.sign_out_browser, Qt.MouseButton.LeftButton)
    qtbot.wait(300)  # deleteAllCookies is asynchronous
    assert (folder / SIGNED_OUT_MARKER).exists()  # the whole folder goes at the next opening
    assert _flow(qtbot, window) == "login"  # cookies cleared now: the Tiki login is forgotten

    # A later run: a signed-out folder (marker, stale files) is deleted before its profile opens.
    stale_name = storage_name_for("shop from an earlier run")
    stale = storage_path(stale_name)
    (stale / "storage").mkdir(parents=True)
    (stale / "storage" / "Cookies").write_bytes(b"stale")
    (stale / SIGNED_OUT_MARKER).touch()
    persistent_profile(stale_name)
    assert not (stale / "storage" / "Cookies").exists()
    assert not (stale / SIGNED_OUT_MARKER).exists()


def test_sign_out_of_a_profile_not_opened_in_this_run_deletes_its_folder_at_once(
    qtbot: QtBot, make_window: WindowFactory, data_dir: Path
) -> None:
    from tiki_gui.webengine.sessions import storage_name_for, storage_path

    window = make_window(ProfileWithSecret(Profile(browser_session=BrowserSession.REMEMBER)))
    window.consent_pane.profile_name = "shop D"
    folder = storage_path(storage_name_for("shop D"))
    (folder / "storage").mkdir(parents=True)
    (folder / "storage" / "Cookies").write_bytes(b"from an earlier run")
    QTest.mouseClick(window.form.sign_out_browser, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5000)


def test_fresh_session_always_shows_login(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, browser_session=BrowserSession.FRESH))
    assert _flow(qtbot, window) == "login"
    assert _flow(qtbot, window) == "login"


def test_plain_http_page_elsewhere_is_refused(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = click_authorize(qtbot, window)
    assert browser.page.webChannel() is None  # the page's scripts reach nothing of the app
    drive.wait_for_element(qtbot, browser, "login-submit")
    with qtbot.waitSignal(window.flow.failed, timeout=FLOW_TIMEOUT_MS) as failed:
        drive.js(browser, "location.href = 'http://plain-http.invalid/login'; true")
    assert "plain http" in str(failed.args[0])
    assert "plain http" in window.error_panel.error_message.text() + str(window.error_panel.report)


def test_a_certificate_error_on_the_consent_page_reaches_the_error_panel(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    if not openssl_available():
        pytest.fail("openssl is needed to make a self-signed certificate (.ci/debian-packages.txt)")
    with ScriptedServer(repeat=Reply(200, b"ok", ()), tls=True) as untrusted:
        window = make_window(
            sandbox_config(sandbox, authorization_endpoint=untrusted.url("/sc/oauth2/auth"))
        )
        with qtbot.waitSignal(window.flow.failed, timeout=FLOW_TIMEOUT_MS):
            click_authorize(qtbot, window)
        assert untrusted.recorded == []  # nothing was sent over the untrusted connection
    assert window.flow.state is FlowState.FAILED
    assert window.pages.currentWidget() is window.error_panel
    message = window.error_panel.error_message.text()
    assert "certificate" in message.lower()
    assert "127.0.0.1" in message
    assert message.endswith((".", "!")) or message[-1].isalpha()  # a sentence, not a code
    assert window.consent_pane.browser is None
    assert sandbox.token_requests == []


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


def test_timeline_of_an_embedded_flow_shows_its_work_and_no_secret(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, use_pkce=True))
    codes: list[str] = []
    window.consent_pane.redirect_captured.connect(
        lambda url: codes.append(url.split("code=", 1)[1].split("&", 1)[0])
    )
    _flow(qtbot, window)
    panel = window.timeline_panel
    qtbot.waitUntil(lambda: "HTTP 200" in panel.text.toPlainText())
    text = panel.text.toPlainText()
    assert "authorization request" in text
    assert "navigation" in text
    assert "/sc/oauth2/login" in text
    assert "callback" in text
    assert "POST " + sandbox.token_endpoint in text
    click_once_in_place(qtbot, panel.copy_timeline)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("tiki-gui sign-in timeline")
    request = window.flow.request
    assert request is not None
    assert request.pkce is not None
    secrets = [
        DEMO_BASIC_CLIENT.client_secret,
        codes[0],
        request.state,
        request.pkce.verifier,
        window.token_panel.access_token.text(),
        window.token_panel.refresh_token.text(),
    ]
    for form in {form for secret in secrets for form in _forms(secret)}:
        assert form not in text
        assert form not in copied
