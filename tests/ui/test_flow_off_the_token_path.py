"""What the window does between Authorize and the page, and between the redirect and the tokens,
is kept off those paths (issue 11, P2/P3; not timed here, the bench times them):

- the token request is sent before the window switches away from the consent page, and the
  window keeps the consent page's layout during the exchange, laying itself out again once, with
  the tokens or the error;
- a closed consent browser goes quiet and out of sight at once, and is torn down (Chromium's page
  and profile deletions) a moment later, or at once when the window is hidden or signs out.

Where the HTTP client is made and when the token endpoint is checked: test_flow_http_client.py.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from webengine import drive

from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage.profiles import ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.consent_pane import RETIRE_DELAY_MS
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine import ConsentBrowser

from .conftest import WindowFactory
from .flow_helpers import FLOW_TIMEOUT_MS, click_authorize, sandbox_config, wait_for_state


def _shown_page(qtbot: QtBot, window: MainWindow) -> ConsentBrowser:
    browser = click_authorize(qtbot, window)
    qtbot.waitUntil(lambda: not window.consent_pane.held, timeout=FLOW_TIMEOUT_MS)
    drive.wait_for_element(qtbot, browser, "login-submit")
    return browser


_Layout = tuple[FlowState, bool, bool, QWidget | None, bool]


def _layout_at_each_state(window: MainWindow) -> list[_Layout]:
    """At each state of the flow: consent mode, the form shown, the flow view's page, and
    whether the token request is on its way."""
    seen: list[_Layout] = []

    def on_state(state: FlowState) -> None:
        page = window.flow_view.pages.currentWidget()
        shown = window.form_column.isVisible()
        seen.append((state, window.consent_mode, shown, page, window.exchanger.busy))

    window.flow.state_changed.connect(on_state)
    return seen


def test_the_token_request_goes_first_and_the_consent_layout_stays_until_the_tokens(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = _shown_page(qtbot, window)
    seen = _layout_at_each_state(window)
    drive.login(qtbot, browser, username="seller-layout", password="pw")
    drive.allow_consent(qtbot, browser)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    # The request already on its way when the page's place went to the exchange; no form yet.
    assert seen[0] == (FlowState.EXCHANGING, True, False, window.exchange_page, True)
    assert [state for state, *_ in seen] == [FlowState.EXCHANGING, FlowState.SUCCEEDED]
    assert seen[1][1:3] == (False, True)  # the usual layout back with the outcome
    qtbot.waitUntil(lambda: window.flow_view.pages.currentWidget() is window.token_panel)
    assert window.token_panel.access_token.text()
    assert [r.status_code for r in sandbox.token_requests] == [200]  # sent once


def test_a_refused_exchange_shows_its_error_in_the_usual_layout(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    config = sandbox_config(sandbox)
    window = make_window(ProfileWithSecret(config.profile, "not-the-secret"))
    browser = _shown_page(qtbot, window)
    seen = _layout_at_each_state(window)
    drive.login(qtbot, browser, username="seller-layout", password="pw")
    drive.allow_consent(qtbot, browser)
    wait_for_state(qtbot, window, FlowState.FAILED)
    assert seen[0][:4] == (FlowState.EXCHANGING, True, False, window.exchange_page)
    assert seen[-1][:3] == (FlowState.FAILED, False, True)
    qtbot.waitUntil(lambda: window.flow_view.pages.currentWidget() is window.error_panel)
    assert window.form.isVisible()  # the secret can be corrected at once


def test_a_closed_browser_is_quiet_at_once_and_torn_down_a_moment_later(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = _shown_page(qtbot, window)
    page = browser.page
    window.cancel.click()
    assert window.consent_pane.browser is None
    assert browser.isHidden()
    assert page.closed  # refuses every navigation and reports nothing from now on
    assert not browser.is_shut_down  # the teardown waits, off the redirect-to-tokens path
    qtbot.waitUntil(lambda: not shiboken6.isValid(browser), timeout=RETIRE_DELAY_MS + 10_000)
    assert not shiboken6.isValid(page)


def test_a_browser_closed_while_the_window_is_hidden_is_torn_down_at_once(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = _shown_page(qtbot, window)
    window.hide()  # closing
    window.flow.cancel()
    assert browser.is_shut_down


def test_signing_out_tears_a_closed_browser_down_first(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox))
    browser = _shown_page(qtbot, window)
    window.cancel.click()
    assert not browser.is_shut_down
    window.consent_pane.sign_out_browser()
    assert browser.is_shut_down
