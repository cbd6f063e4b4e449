"""How the credentials form's fields are arranged and in which order Tab visits them."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from tiki_gui.ui.signin.credentials_form import CredentialsForm

__all__ = ["lay_out", "set_tab_order"]


def lay_out(form: CredentialsForm) -> QWidget:
    """Arrange the form's fields; returns the advanced section (hidden at first)."""
    secret_row = QHBoxLayout()
    secret_row.setContentsMargins(0, 0, 0, 0)
    secret_row.addWidget(form.client_secret, 1)
    secret_row.addWidget(form.show_secret)

    fields = QFormLayout()
    fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    _add_row(fields, QCoreApplication.translate("FormLayout", "Client &ID"), form.client_id)
    _add_row(
        fields,
        QCoreApplication.translate("FormLayout", "Client &secret"),
        form.client_secret,
        secret_row,
    )
    _add_row(fields, QCoreApplication.translate("FormLayout", "&Redirect URI"), form.redirect_uri)
    _add_row(
        fields,
        QCoreApplication.translate("FormLayout", "S&copes"),
        form.scopes.line_edit,
        form.scopes,
    )
    _add_row(fields, QCoreApplication.translate("FormLayout", "Auth &method"), form.auth_method)
    _add_row(fields, QCoreApplication.translate("FormLayout", "&Grant"), form.grant)
    _add_row(fields, QCoreApplication.translate("FormLayout", "Sig&n in with"), form.sign_in)
    session_row = QHBoxLayout()
    session_row.setContentsMargins(0, 0, 0, 0)
    session_row.addWidget(form.browser_session, 1)
    session_row.addWidget(form.sign_out_browser)
    _add_row(
        fields,
        QCoreApplication.translate("FormLayout", "Browser sessio&n"),
        form.browser_session,
        session_row,
    )

    advanced_section = QWidget()
    advanced_section.setObjectName("advanced_section")
    advanced = QFormLayout(advanced_section)
    advanced.setContentsMargins(0, 0, 0, 0)
    advanced.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    _add_row(
        advanced,
        QCoreApplication.translate("FormLayout", "Authori&zation endpoint"),
        form.authorization_endpoint,
    )
    _add_row(
        advanced, QCoreApplication.translate("FormLayout", "&Token endpoint"), form.token_endpoint
    )
    _add_row(advanced, QCoreApplication.translate("FormLayout", "API &base"), form.api_base)
    _add_row(advanced, QCoreApplication.translate("FormLayout", "Expected &issuer"), form.issuer)
    extras = QHBoxLayout()
    extras.addWidget(form.use_pkce)
    extras.addStretch(1)
    extras.addWidget(form.reset_endpoints)
    advanced.addRow(extras)
    advanced_section.setVisible(False)

    layout = QVBoxLayout(form)
    layout.setContentsMargins(0, 8, 0, 0)
    heading = QLabel(QCoreApplication.translate("FormLayout", "<b>Your Tiki app</b>"))
    layout.addWidget(heading)
    layout.addLayout(fields)
    layout.addWidget(form.advanced_toggle)
    layout.addWidget(advanced_section)
    layout.addSpacing(8)
    layout.addWidget(form.authorize_bar)
    layout.addStretch(1)
    return advanced_section


def _add_row(
    form: QFormLayout, text: str, buddy: QWidget, field: QWidget | QHBoxLayout | None = None
) -> None:
    label = QLabel(text)
    label.setBuddy(buddy)
    if isinstance(field, QHBoxLayout):
        form.addRow(label, field)
    else:
        form.addRow(label, field if field is not None else buddy)


def set_tab_order(form: CredentialsForm) -> None:
    """Tab goes down the form, through the advanced fields, to Authorize."""
    chain: list[QWidget] = [
        form.client_id,
        form.client_secret,
        form.show_secret,
        form.redirect_uri,
        *form.scopes.boxes.values(),
        form.scopes.line_edit,
        form.auth_method,
        form.grant,
        form.sign_in,
        form.browser_session,
        form.sign_out_browser,
        form.advanced_toggle,
        form.authorization_endpoint,
        form.token_endpoint,
        form.api_base,
        form.issuer,
        form.use_pkce,
        form.reset_endpoints,
        form.authorize,
    ]
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)
