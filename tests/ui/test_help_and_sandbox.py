"""A newcomer finds the sandbox and Tiki's pages (issue 12, item 2): "Try it on the sandbox" in
the window, a Help menu whose links open in the system browser, About with the version."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import DEMO_BASIC_CLIENT
from tiki_gui.storage import SANDBOX_PROFILE_NAME
from tiki_gui.ui.help_menu import HELP_LINKS
from tiki_gui.ui.signin.flow import FlowState

from .conftest import WindowFactory
from .flow_helpers import wait_for_state
from .sign_in_steps import sign_in
from .stored_window import StoredWindowFactory, profiles_of


class _Browser(QObject):
    """Stands in for the system browser: Qt hands it every https URL QDesktopServices opens."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def system_browser() -> Iterator[_Browser]:
    browser = _Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")  # type: ignore[arg-type]  # PySide6 takes the slot name as str; its stub says bytes
    try:
        yield browser
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_help_links_open_tikis_pages_in_the_system_browser(
    make_window: WindowFactory, system_browser: _Browser
) -> None:
    window = make_window()
    assert [action.objectName() for action in window.help_links] == [
        name for name, _, _ in HELP_LINKS
    ]
    for action in window.help_links:
        action.trigger()
    assert system_browser.opened == [address for _, _, address in HELP_LINKS]
    assert all(url.startswith("https://open.tiki.vn/") for url in system_browser.opened)
    assert window.consent_pane.browser is None  # never in the embedded view


def test_about_shows_the_version(make_window: WindowFactory) -> None:
    window = make_window()
    about = window.findChild(type(window.quit_action), "about_action")
    assert about is not None
    about.trigger()
    QApplication.processEvents()
    box = window.about_box
    assert box is not None
    assert version("tiki-gui") in box.text()
    box.close()


def test_try_it_on_the_sandbox_without_a_flag(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    assert window.form.profile().client_id == ""
    assert window.flow_view.try_sandbox.isVisible()
    assert window.banner.styleSheet() == ""  # no banner, no colours worked out at start
    window.flow_view.try_sandbox.click()
    config = window.form.profile()
    assert config.client_id == DEMO_BASIC_CLIENT.client_id
    assert config.authorization_endpoint.startswith("http://127.0.0.1:")
    assert window.banner.isVisible()
    assert "sandbox_banner" in window.banner.styleSheet()  # in the notice's colours
    assert not window.flow_view.try_sandbox.isVisible()  # on the sandbox: nothing to switch to
    sign_in(qtbot, window)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)


def test_try_it_on_the_sandbox_opens_the_sandbox_profile(
    qtbot: QtBot, no_keyring: None, stored_window: StoredWindowFactory
) -> None:
    window = stored_window()
    window.sandbox_action.trigger()
    profiles = profiles_of(window)
    qtbot.waitUntil(lambda: profiles.current == SANDBOX_PROFILE_NAME)
    qtbot.waitUntil(lambda: window.form.profile().client_id == DEMO_BASIC_CLIENT.client_id)
    assert window.form.secret() == DEMO_BASIC_CLIENT.client_secret
    assert not window.flow_view.try_sandbox.isVisible()  # already on the sandbox
    profiles.create_profile("Elsewhere")
    qtbot.waitUntil(lambda: profiles.current == "Elsewhere")
    assert window.flow_view.try_sandbox.isVisible()  # back to the sandbox from here
    server = window.sandbox_server
    window.flow_view.try_sandbox.click()
    qtbot.waitUntil(lambda: profiles.current == SANDBOX_PROFILE_NAME)
    assert window.sandbox_server is server  # the same sandbox, not a second one
    assert not window.flow_view.try_sandbox.isVisible()
