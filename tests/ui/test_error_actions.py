"""Errors lead to the fix (issue 12, item 4): the field at fault focused and marked, the auth
method switched when the server names it, "Start again", "Details" when no server answered, and
Chromium's net::ERR codes in words."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from storage.flows import closed_port_url
from webengine import drive

from tiki_gui.core.options import AuthMethod
from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine.net_errors import describe_net_error

from .conftest import WindowFactory
from .flow_helpers import click_authorize, sandbox_config, wait_for_state
from .sign_in_steps import sign_in


def test_the_wrong_auth_method_is_switched_in_one_click(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    window = make_window(sandbox_config(sandbox, auth_method=AuthMethod.CLIENT_SECRET_POST))
    sign_in(qtbot, window)
    wait_for_state(qtbot, window, FlowState.FAILED)
    panel = window.error_panel
    assert panel.details.title() == "What the server said"
    assert panel.switch_auth_method.isVisible()
    assert "Basic header" in panel.switch_auth_method.text()
    panel.switch_auth_method.click()
    assert window.form.profile().auth_method is AuthMethod.CLIENT_SECRET_BASIC
    assert window.flow.state is FlowState.CONSENT  # started again
    again = window.consent_pane.browser
    assert again is not None
    drive.login(qtbot, again)
    drive.allow_consent(qtbot, again)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)


def test_an_unreachable_sign_in_page_leads_to_its_field(
    qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    unreachable = closed_port_url() + "/auth"  # a port nobody listens on any more
    window = make_window(sandbox_config(sandbox, authorization_endpoint=unreachable))
    click_authorize(qtbot, window)
    wait_for_state(qtbot, window, FlowState.FAILED)
    panel = window.error_panel
    assert "nothing answers at that address and port" in panel.error_message.text()
    assert panel.details.title() == "Details"  # no server answered
    assert panel.go_to_field.isVisible()
    assert "Authorization endpoint" in panel.go_to_field.text()
    panel.go_to_field.click()
    field = window.form.authorization_endpoint
    assert window.form.advanced_section.isVisible()
    assert field.hasFocus() or window.focusWidget() is field
    assert "sign-in page could not be loaded" in field.toolTip()
    assert panel.start_again.isVisible()
    panel.start_again.click()
    assert window.flow.state in (FlowState.CONSENT, FlowState.FAILED)  # it ran again
    wait_for_state(qtbot, window, FlowState.FAILED)


@pytest.mark.parametrize(
    ("chromium", "words"),
    [
        ("net::ERR_CONNECTION_REFUSED", "nothing answers"),
        ("net::ERR_NAME_NOT_RESOLVED", "name could not be found"),
        ("net::ERR_INTERNET_DISCONNECTED", "not connected to the internet"),
        ("net::ERR_CONNECTION_TIMED_OUT", "did not answer in time"),
    ],
)
def test_chromium_error_codes_in_words(chromium: str, words: str) -> None:
    text = describe_net_error(chromium)
    assert words in text
    assert chromium in text  # the code stays, for a search


def test_unknown_error_text_is_kept() -> None:
    assert describe_net_error("net::ERR_SOMETHING_NEW") == "net::ERR_SOMETHING_NEW"
    assert describe_net_error("") == "unknown error"
