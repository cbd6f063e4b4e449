"""The credentials form: typing, validation as you type, scopes both ways, names for automation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tiki_gui.storage.profiles import Profile, ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow

from .conftest import WindowFactory
from .flow_helpers import FORM_LINE_EDITS

COMPLETE = ProfileWithSecret(
    Profile(client_id="7590139168389961", redirect_uri="https://example.com/tiki/callback"),
    "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew",
)


def _edit(window: MainWindow, name: str) -> QLineEdit:
    widget = window.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def _button(window: MainWindow, name: str) -> QAbstractButton:
    widget = window.findChild(QAbstractButton, name)
    assert widget is not None, name
    return widget


def _retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def test_an_empty_form_says_why_authorize_is_disabled(make_window: WindowFactory) -> None:
    window = make_window()
    authorize = _button(window, "authorize")
    assert not authorize.isEnabled()
    assert window.form.authorize_reason.text() == "Client ID is required"
    assert "Client secret is required" in authorize.toolTip()
    assert "Redirect URI is required" in authorize.toolTip()
    assert _edit(window, "authorization_endpoint").text() == "https://api.tiki.vn/sc/oauth2/auth"
    assert _edit(window, "token_endpoint").text() == "https://api.tiki.vn/sc/oauth2/token"
    assert _edit(window, "api_base").text() == "https://api.tiki.vn"


def test_typing_the_credentials_enables_authorize(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    QTest.keyClicks(_edit(window, "client_id"), COMPLETE.profile.client_id)
    assert window.form.authorize_reason.text() == "Client secret is required"
    QTest.keyClicks(_edit(window, "client_secret"), COMPLETE.secret)
    QTest.keyClicks(_edit(window, "redirect_uri"), COMPLETE.profile.redirect_uri)
    assert _button(window, "authorize").isEnabled()
    assert window.form.value() == COMPLETE


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("client_id", "", "Client ID is required"),
        ("client_id", "abc def", "must not contain spaces"),
        ("client_secret", "", "Client secret is required"),
        ("redirect_uri", "example.com/callback", "absolute"),
        ("redirect_uri", "http://example.com/callback", "https://"),
        ("scope", "offline,product", "commas"),
        ("scope", "", "at least one scope"),
        ("authorization_endpoint", "http://api.tiki.vn/sc/oauth2/auth", "https://"),
        ("token_endpoint", "api.tiki.vn/token", "Token endpoint"),
        ("api_base", "", "API base URL is required"),
    ],
)
def test_each_invalid_field_disables_authorize_with_the_reason(
    qtbot: QtBot, make_window: WindowFactory, field: str, text: str, reason: str
) -> None:
    window = make_window(COMPLETE)
    window.form.advanced_toggle.setChecked(True)
    authorize = _button(window, "authorize")
    assert authorize.isEnabled()
    edit = _edit(window, field)
    _retype(qtbot, edit, text)
    assert not authorize.isEnabled()
    assert reason in window.form.authorize_reason.text()
    assert reason in authorize.toolTip()
    assert reason in edit.accessibleDescription()
    # A warning icon on a field typed in (made at the first warning), the reason in its tooltip.
    warned = any(a.isVisible() and reason in a.toolTip() for a in edit.actions())
    assert warned == bool(text.strip())
    typed = {"client_secret": COMPLETE.secret, "scope": "offline"}
    _retype(qtbot, edit, typed[field] if field in typed else getattr(COMPLETE.profile, field))
    assert authorize.isEnabled()
    assert not any(a.isVisible() and a.toolTip() for a in edit.actions())


def test_http_redirect_on_loopback_is_accepted(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(COMPLETE)
    _retype(qtbot, _edit(window, "redirect_uri"), "http://127.0.0.1:8765/callback")
    assert _button(window, "authorize").isEnabled()


def test_secret_is_hidden_until_shown(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(COMPLETE)
    secret = _edit(window, "client_secret")
    assert secret.echoMode() is QLineEdit.EchoMode.Password
    QTest.mouseClick(_button(window, "show_secret"), Qt.MouseButton.LeftButton)
    assert secret.echoMode() is QLineEdit.EchoMode.Normal
    QTest.mouseClick(_button(window, "show_secret"), Qt.MouseButton.LeftButton)
    assert secret.echoMode() is QLineEdit.EchoMode.Password


def test_scope_checkboxes_and_text_stay_in_sync(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(COMPLETE)
    scope = _edit(window, "scope")
    boxes = window.form.scopes.boxes
    assert list(boxes) == ["offline", "product", "order", "inventory", "multichannel", "all"]
    assert boxes["all"].text() == "all (deprecated)"
    assert scope.text() == "offline product order"
    assert [name for name, box in boxes.items() if box.isChecked()] == [
        "offline",
        "product",
        "order",
    ]
    QTest.mouseClick(boxes["inventory"], Qt.MouseButton.LeftButton)
    assert scope.text() == "offline product order inventory"
    QTest.mouseClick(boxes["product"], Qt.MouseButton.LeftButton)
    assert scope.text() == "offline order inventory"
    _retype(qtbot, scope, "multichannel fulfillment")
    assert [name for name, box in boxes.items() if box.isChecked()] == ["multichannel"]
    QTest.mouseClick(boxes["offline"], Qt.MouseButton.LeftButton)
    assert scope.text() == "multichannel fulfillment offline"
    assert window.form.profile().scopes == ("multichannel", "fulfillment", "offline")


def test_auth_method_items_carry_the_rfc_names(make_window: WindowFactory) -> None:
    window = make_window(COMPLETE)
    combo = window.findChild(QComboBox, "auth_method")
    assert combo is not None
    items = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    assert items == [
        ("Basic header", "client_secret_basic"),
        ("Request body", "client_secret_post"),
    ]
    combo.setCurrentIndex(1)
    assert window.form.profile().auth_method == "client_secret_post"


def test_enter_in_the_form_authorizes_only_when_enabled(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    client_id = _edit(window, "client_id")
    with qtbot.assertNotEmitted(window.form.authorize_requested):
        QTest.keyClick(client_id, Qt.Key.Key_Return)
    window.form.set_value(COMPLETE)
    window.form.authorize_requested.disconnect()  # no consent page: only the request is checked
    with qtbot.waitSignal(window.form.authorize_requested, timeout=1000):
        QTest.keyClick(_edit(window, "redirect_uri"), Qt.Key.Key_Enter)


def test_advanced_section_folds(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(COMPLETE)
    endpoint = _edit(window, "token_endpoint")
    assert not endpoint.isVisible()
    QTest.mouseClick(window.form.advanced_toggle, Qt.MouseButton.LeftButton)
    assert endpoint.isVisible()
    _retype(qtbot, endpoint, "https://sandbox.example/token")
    QTest.mouseClick(_button(window, "reset_endpoints"), Qt.MouseButton.LeftButton)
    assert endpoint.text() == "https://api.tiki.vn/sc/oauth2/token"


def test_a_profile_with_a_bad_endpoint_opens_advanced(make_window: WindowFactory) -> None:
    window = make_window(ProfileWithSecret(Profile(token_endpoint="http://api.tiki.vn/token")))
    assert window.form.advanced_section.isVisible()


def test_every_interactive_widget_has_an_object_and_accessible_name(
    make_window: WindowFactory,
) -> None:
    window = make_window(COMPLETE)
    window.flow_view.build_pages()  # the flow's pages are made after the first paint (issue 11)
    interactive = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QLineEdit | QAbstractButton | QComboBox)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not type(w).__name__.startswith("QLineEditIcon")
        and w.parent() is not None
        and not w.objectName().startswith("qt_")
    ]
    assert len(interactive) > 20
    unnamed = [w for w in interactive if not w.objectName() or not w.accessibleName()]
    assert unnamed == []
    expected = {
        QLineEdit: [*FORM_LINE_EDITS, "access_token", "refresh_token"],
        QComboBox: ["auth_method"],
        QPushButton: [
            "authorize",
            "cancel",
            "show_secret",
            "copy_access_token",
            "copy_refresh_token",
            "copy_access_header",
        ],
        QLabel: ["error_message"],
        QCheckBox: ["scope_offline", "scope_all", "use_pkce"],
    }
    for cls, names in expected.items():
        for name in names:
            assert window.findChild(cls, name) is not None, name


def _takes_tab_focus(widget: QWidget) -> bool:
    tab = Qt.FocusPolicy.TabFocus
    return widget.focusPolicy() & tab == tab and widget.isVisible() and widget.isEnabled()


def test_tab_order_follows_the_form(make_window: WindowFactory) -> None:
    window = make_window(COMPLETE)
    window.form.advanced_toggle.setChecked(True)
    order = []
    widget: QWidget | None = _edit(window, "client_id")
    for _ in range(30):
        assert widget is not None
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while widget is not None and not _takes_tab_focus(widget):
            widget = widget.nextInFocusChain()
    assert order[:5] == [
        "client_id",
        "client_secret",
        "show_secret",
        "redirect_uri",
        "scope_offline",
    ]
    start = order.index("scope")
    assert order[start : start + 9] == [
        "scope",
        "auth_method",
        "grant",
        "sign_in",
        "browser_session",
        "sign_out_browser",
        "advanced_toggle",
        "authorization_endpoint",
        "token_endpoint",
    ]
    assert order.index("authorize") > order.index("reset_endpoints")
