"""PKCE's default follows the endpoints (off for Tiki production, whose support is not
documented; on for custom endpoints) until the person ticks or unticks it themselves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.storage.profiles import Profile, ProfileWithSecret
from tiki_gui.ui.signin.credentials_form import CredentialsForm

PRODUCTION = ProfileWithSecret(
    Profile(client_id="7590139168389961", redirect_uri="https://example.com/tiki/callback"),
    "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew",
)
CUSTOM_AUTH = "https://sandbox.example/sc/oauth2/auth"
CUSTOM_TOKEN = "https://sandbox.example/sc/oauth2/token"


@pytest.fixture
def form(qtbot: QtBot) -> CredentialsForm:
    widget = CredentialsForm()
    qtbot.addWidget(widget)
    widget.set_value(PRODUCTION)
    widget.advanced_toggle.setChecked(True)
    widget.show()
    return widget


def _retype(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def _use_custom_endpoints(form: CredentialsForm) -> None:
    _retype(form.authorization_endpoint, CUSTOM_AUTH)
    _retype(form.token_endpoint, CUSTOM_TOKEN)


def _use_production(form: CredentialsForm) -> None:
    QTest.mouseClick(form.reset_endpoints, Qt.MouseButton.LeftButton)


def test_production_starts_without_pkce(form: CredentialsForm) -> None:
    assert form.profile().authorization_endpoint == TIKI_PRODUCTION.authorization_endpoint
    assert not form.use_pkce.isChecked()


def test_pkce_follows_the_endpoints_while_untouched(form: CredentialsForm) -> None:
    _use_custom_endpoints(form)
    assert form.use_pkce.isChecked()
    assert form.profile().use_pkce
    _use_production(form)
    assert form.profile().token_endpoint == TIKI_PRODUCTION.token_endpoint
    assert not form.use_pkce.isChecked()
    _use_custom_endpoints(form)
    assert form.use_pkce.isChecked()  # and again: still the person's to decide


def test_a_choice_made_on_production_is_kept_on_custom_endpoints(form: CredentialsForm) -> None:
    QTest.mouseClick(form.use_pkce, Qt.MouseButton.LeftButton)  # ticked by hand on production
    assert form.use_pkce.isChecked()
    _use_custom_endpoints(form)
    assert form.use_pkce.isChecked()
    _use_production(form)
    assert form.use_pkce.isChecked()  # not switched off: the person chose it


def test_a_choice_made_on_custom_endpoints_is_kept_on_production(form: CredentialsForm) -> None:
    _use_custom_endpoints(form)
    assert form.use_pkce.isChecked()
    QTest.mouseClick(form.use_pkce, Qt.MouseButton.LeftButton)  # unticked by hand
    assert not form.use_pkce.isChecked()
    _use_production(form)
    assert not form.use_pkce.isChecked()
    _use_custom_endpoints(form)
    assert not form.use_pkce.isChecked()  # never turned back on for them


def test_a_stored_choice_that_differs_from_the_default_is_kept(qtbot: QtBot) -> None:
    form = CredentialsForm()
    qtbot.addWidget(form)
    form.set_value(
        ProfileWithSecret(
            Profile(
                client_id=PRODUCTION.profile.client_id,
                redirect_uri=PRODUCTION.profile.redirect_uri,
                authorization_endpoint=CUSTOM_AUTH,
                token_endpoint=CUSTOM_TOKEN,
                use_pkce=False,  # saved unticked on custom endpoints: a person's choice
            ),
            PRODUCTION.secret,
        )
    )
    form.advanced_toggle.setChecked(True)
    form.show()
    _use_production(form)
    assert not form.use_pkce.isChecked()
    _use_custom_endpoints(form)
    assert not form.use_pkce.isChecked()
