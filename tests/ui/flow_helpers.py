"""Driving the main window through a whole flow, as a person with a keyboard and mouse would."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLineEdit
from pytestqt.qtbot import QtBot

from tiki_gui.core.options import AuthMethod
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxClient, SandboxServer
from tiki_gui.storage.profiles import Profile, ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine import ConsentBrowser

FLOW_TIMEOUT_MS = 15_000

FORM_LINE_EDITS = (  # the form's line edits, by object name
    "client_id",
    "client_secret",
    "redirect_uri",
    "scope",
    "authorization_endpoint",
    "token_endpoint",
    "api_base",
)


def type_config(qtbot: QtBot, window: MainWindow, config: ProfileWithSecret) -> None:
    """Type every field of ``config`` into the form (clearing what was there)."""
    typed = {"client_secret": config.secret, "scope": config.profile.scope}
    window.form.advanced_toggle.setChecked(True)
    for name in FORM_LINE_EDITS:
        edit = window.findChild(QLineEdit, name)
        assert edit is not None, name
        edit.setFocus()
        edit.selectAll()
        QTest.keyClick(edit, Qt.Key.Key_Delete)
        QTest.keyClicks(edit, typed[name] if name in typed else getattr(config.profile, name))
    combo = window.form.auth_method
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(config.profile.auth_method))
    window.form.use_pkce.setChecked(config.profile.use_pkce)
    assert window.form.value() == config


def click_authorize(qtbot: QtBot, window: MainWindow) -> ConsentBrowser:
    """Click Authorize and return the consent browser it opened."""
    assert window.form.authorize.isEnabled(), window.form.authorize_reason.text()
    QTest.mouseClick(window.form.authorize, Qt.MouseButton.LeftButton)
    assert window.flow.state is FlowState.CONSENT
    browser = window.consent_pane.browser
    assert browser is not None
    return browser


def click_once_in_place(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click ``button`` with the mouse once the pointer at its centre would reach it: a widget
    just shown is placed by its layout on the next event-loop turn, and a click at its old place
    would land on whatever is there (as a person sees only what is painted, where it is)."""
    window = button.window()

    def in_place() -> bool:
        centre = button.mapTo(window, button.rect().center())
        return button.isVisible() and window.childAt(centre) is button

    qtbot.waitUntil(in_place)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_for_state(qtbot: QtBot, window: MainWindow, state: FlowState) -> None:
    qtbot.waitUntil(lambda: window.flow.state is state, timeout=FLOW_TIMEOUT_MS)


def sandbox_config(
    server: SandboxServer, client: SandboxClient = DEMO_BASIC_CLIENT, **changes: Any
) -> ProfileWithSecret:
    """The form's value for ``client`` of ``server`` (first redirect URI, Tiki's scopes);
    ``changes`` to the profile's fields."""
    profile = Profile(
        client_id=client.client_id,
        redirect_uri=client.redirect_uris[0],
        scopes=("offline", "product", "order"),
        auth_method=AuthMethod(client.token_endpoint_auth_method),
        authorization_endpoint=server.authorization_endpoint,
        token_endpoint=server.token_endpoint,
        api_base=server.api_base,
    )
    return ProfileWithSecret(dataclasses.replace(profile, **changes), client.client_secret)
