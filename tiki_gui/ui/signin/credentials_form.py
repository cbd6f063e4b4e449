"""The credentials form: the app's registration, the scopes, and where Tiki lives.

The form's value is a :class:`~tiki_gui.storage.profiles.Profile` with the client secret beside it
(:class:`~tiki_gui.storage.profiles.ProfileWithSecret`). Every field is checked as it is typed
(:func:`~tiki_gui.ui.signin.form_problems.form_problems`); a field holding an unusable value shows
a warning icon with the reason (:class:`~tiki_gui.ui.signin.field_warnings.FieldWarnings`), and
the Authorize button stays disabled with the first reason written next to it (all reasons in its
tooltip). Enter anywhere in the form authorizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.storage.profiles import FieldProblem, Profile, ProfileWithSecret
from tiki_gui.ui.shared.enum_free import TOOLTIP_ROLE, set_keys
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP, language_switcher
from tiki_gui.ui.shared.labels import description
from tiki_gui.ui.shared.widgets import button, named
from tiki_gui.ui.signin.authorize_bar import AUTHORIZE_SHORTCUT, AuthorizeBar
from tiki_gui.ui.signin.field_warnings import FieldWarnings
from tiki_gui.ui.signin.form_layout import lay_out, set_tab_order
from tiki_gui.ui.signin.form_problems import form_problems
from tiki_gui.ui.signin.option_combo import fill, option_combo
from tiki_gui.ui.signin.scope_picker import ScopePicker

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon, QKeyEvent  # QKeyEvent: its QEvent, after the first paint

__all__ = ["AUTHORIZE_SHORTCUT", "CredentialsForm"]

_BUSY_REASON = QT_TRANSLATE_NOOP(
    "CredentialsForm", "A sign-in is in progress: finish or cancel it first"
)
_ADVANCED_FIELDS = ("authorization_endpoint", "token_endpoint", "api_base", "issuer")


def is_production(profile: Profile) -> bool:
    """True if ``profile`` points at Tiki's production endpoints."""
    return (
        profile.authorization_endpoint.strip() == TIKI_PRODUCTION.authorization_endpoint
        and profile.token_endpoint.strip() == TIKI_PRODUCTION.token_endpoint
    )


class CredentialsForm(QWidget):
    """Client ID, secret, redirect URI, scopes, auth method, endpoints, and the Authorize button."""

    authorize_requested = Signal()
    config_changed = Signal()
    sign_out_browser_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The reasons next to Authorize are composed, not fixed texts: redone on a switch (a
        # signal, not changeEvent: no Python event handler before the first paint, see
        # MainWindow._on_loop_turn).
        language_switcher().language_changed.connect(self._revalidate)
        self._busy = False
        self._loading = False
        self._problems: tuple[FieldProblem, ...] = ()
        self._pkce_touched = False
        self._auto_pkce = False

        self.client_id = named(QLineEdit(), "client_id", self.tr("Client ID"))
        self.client_id.setPlaceholderText(self.tr("From Tiki's app console, e.g. 7590139168389961"))
        self.client_secret = named(QLineEdit(), "client_secret", self.tr("Client secret"))
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setPlaceholderText(self.tr("From Tiki's app console"))
        self.show_secret = named(
            QPushButton(self.tr("Show")),
            "show_secret",
            self.tr("Show client secret"),
            self.tr("Show or hide the secret"),
        )
        self.show_secret.setCheckable(True)
        self.show_secret.toggled.connect(self._on_show_secret_toggled)
        self.redirect_uri = named(QLineEdit(), "redirect_uri", self.tr("Redirect URI"))
        self.redirect_uri.setPlaceholderText("https://example.com/tiki/callback")
        self.redirect_uri.setToolTip(
            self.tr(
                "Exactly as registered in Tiki's console. The redirect is caught in this window: "
                "the code never reaches this address."
            )
        )
        self.scopes = ScopePicker()
        self.auth_method = named(
            QComboBox(),
            "auth_method",
            self.tr("Token endpoint auth method"),
            self.tr("How the client secret is sent to the token endpoint"),
        )
        fill(self.auth_method, AuthMethod)
        for index, method in enumerate(AuthMethod):
            self.auth_method.setItemData(index, description(method), TOOLTIP_ROLE)
        self.auth_method.setToolTip(
            self.tr("The method chosen when the app was registered in Tiki's console")
        )

        self.grant = option_combo(
            "grant", self.tr("Grant"), self.tr("Authorization code, or client credentials"), Grant
        )
        self.sign_in = option_combo(
            "sign_in", self.tr("Sign in with"), self.tr("Where the seller signs in"), SignIn
        )
        self.sign_in.setToolTip(
            self.tr(
                "Embedded: Tiki's page opens in this window. Loopback: your default browser, and "
                "this app listens on the 127.0.0.1 redirect URI while you sign in. Paste: your "
                "default browser, then paste the address it ends on (works with any redirect URI)."
            )
        )
        self.browser_session = option_combo(
            "browser_session",
            self.tr("Embedded browser session"),
            self.tr("Fresh or remembered Tiki login"),
            BrowserSession,
        )
        self.sign_out_browser = button(
            self.tr("Sign out"),
            "sign_out_browser",
            self.tr("Sign out of the embedded browser"),
            self.tr("Delete this profile's remembered Tiki login (cookies and storage)"),
            on_click=self.sign_out_browser_requested,
        )
        self.issuer = named(QLineEdit(), "issuer", self.tr("Expected issuer"))
        self.issuer.setPlaceholderText(self.tr("e.g. https://api.tiki.vn/ (empty: not checked)"))
        self.issuer.setToolTip(
            self.tr(
                "RFC 9207: if the redirect carries iss, it must equal this, else the sign-in is "
                "refused"
            )
        )

        self.advanced_toggle = named(
            QToolButton(),
            "advanced_toggle",
            self.tr("Advanced settings"),
            self.tr("Show or hide the endpoints"),
        )
        self.advanced_toggle.setText(self.tr("Advanced"))
        self.advanced_toggle.setCheckable(True)
        set_keys(self.advanced_toggle, arrowType="RightArrow", focusPolicy="StrongFocus")
        set_keys(self.advanced_toggle, toolButtonStyle="ToolButtonTextBesideIcon")
        self.advanced_toggle.toggled.connect(self._on_advanced_toggled)
        self.authorization_endpoint = named(
            QLineEdit(), "authorization_endpoint", self.tr("Authorization endpoint")
        )
        self.token_endpoint = named(QLineEdit(), "token_endpoint", self.tr("Token endpoint"))
        self.api_base = named(QLineEdit(), "api_base", self.tr("API base URL"))
        self.use_pkce = named(
            QCheckBox(self.tr("Use PKCE (S256)")),
            "use_pkce",
            self.tr("Use PKCE"),
            self.tr("Send a PKCE code challenge; whether Tiki requires it is not documented"),
        )
        self.reset_endpoints = button(
            self.tr("Use Tiki production"),
            "reset_endpoints",
            self.tr("Use Tiki production endpoints"),
            on_click=self._on_reset_endpoints,
        )

        self.authorize_bar = AuthorizeBar(self._on_authorize_clicked)
        self.authorize, self.authorize_reason = (
            self.authorize_bar.authorize,
            self.authorize_bar.reason,
        )

        self._line_edits: dict[str, QLineEdit] = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uri": self.redirect_uri,
            "scope": self.scopes.line_edit,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint,
            "api_base": self.api_base,
            "issuer": self.issuer,
        }
        self._warnings = FieldWarnings(self._line_edits, self._warning_icon)
        for edit in self._line_edits.values():
            edit.textChanged.connect(self._on_field_changed)
        self.auth_method.currentIndexChanged.connect(self._on_field_changed)
        self.use_pkce.toggled.connect(self._on_pkce_toggled)
        for combo in (self.grant, self.sign_in, self.browser_session):
            combo.currentIndexChanged.connect(self._on_field_changed)

        self.advanced_section = lay_out(self)
        set_tab_order(self)
        self.set_value(ProfileWithSecret())

    # -- the value ---------------------------------------------------------------------------

    def profile(self) -> Profile:
        """The profile shown, as typed (not necessarily usable: see :meth:`problems`). Its name
        is the profile bar's business: always empty here."""
        return Profile(
            client_id=self.client_id.text().strip(),
            redirect_uri=self.redirect_uri.text().strip(),
            scopes=tuple(self.scopes.scope().split()),
            auth_method=AuthMethod(self.auth_method.currentData()),
            authorization_endpoint=self.authorization_endpoint.text().strip(),
            token_endpoint=self.token_endpoint.text().strip(),
            api_base=self.api_base.text().strip(),
            use_pkce=self.use_pkce.isChecked(),
            grant=self._grant(),
            sign_in=self._sign_in(),
            browser_session=BrowserSession(self.browser_session.currentData()),
            issuer=self.issuer.text().strip(),
        )

    def secret(self) -> str:
        """The client secret as typed (never stripped)."""
        return self.client_secret.text()

    def value(self) -> ProfileWithSecret:
        """The profile shown with the client secret typed: what Authorize signs in with."""
        return ProfileWithSecret(self.profile(), self.secret())

    def _warning_icon(self) -> QIcon:
        from PySide6.QtWidgets import QStyle  # at the first warning, not at start (issue 11)

        return self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

    def set_value(self, value: ProfileWithSecret) -> None:
        """Show ``value``'s profile (all but its name) and secret (checked once, at the end)."""
        profile = value.profile
        self._loading = True
        try:
            self.client_id.setText(profile.client_id)
            self.client_secret.setText(value.secret)
            self.redirect_uri.setText(profile.redirect_uri)
            self.scopes.set_scope(profile.scope)
            self.auth_method.setCurrentIndex(
                max(0, self.auth_method.findData(profile.auth_method.value))
            )
            self.authorization_endpoint.setText(profile.authorization_endpoint)
            self.token_endpoint.setText(profile.token_endpoint)
            self.api_base.setText(profile.api_base)
            self.use_pkce.setChecked(profile.use_pkce)
            self.grant.setCurrentIndex(max(0, self.grant.findData(profile.grant.value)))
            self.sign_in.setCurrentIndex(max(0, self.sign_in.findData(profile.sign_in.value)))
            self.browser_session.setCurrentIndex(
                max(0, self.browser_session.findData(profile.browser_session.value))
            )
            self.issuer.setText(profile.issuer)
            # A stored choice that differs from the endpoints' default was made by a person.
            self._pkce_touched = profile.use_pkce != (not is_production(profile))
            for edit in self._line_edits.values():
                edit.setCursorPosition(0)  # show the start of long values
        finally:
            self._loading = False
        self._update_mode_widgets()
        self._revalidate()
        if any(problem.field in _ADVANCED_FIELDS for problem in self._problems):
            self.advanced_toggle.setChecked(True)  # an unusable endpoint must not stay hidden
        self.config_changed.emit()

    def set_secret(self, secret: str) -> None:
        """Show ``secret`` (e.g. loaded from the keyring) with the profile shown."""
        self.set_value(ProfileWithSecret(self.profile(), secret))

    def show_field_at_fault(self, name: str, reason: str) -> QWidget | None:
        """Focus the field ``name`` (opening Advanced if it is there) and mark it with a warning
        saying ``reason`` until it is edited. Returns the field, or None if there is none."""
        widget: QWidget | None = self._line_edits.get(name)
        if widget is None and name == "auth_method":
            widget = self.auth_method
        if widget is None:
            return None
        if name in _ADVANCED_FIELDS:
            self.advanced_toggle.setChecked(True)
        self._warnings.mark(name, reason)
        widget.setToolTip(reason)
        widget.setAccessibleDescription(reason)
        widget.setFocus()  # Qt's OtherFocusReason
        if isinstance(widget, QLineEdit):
            widget.selectAll()
        return widget

    def problems(self) -> tuple[FieldProblem, ...]:
        return self._problems

    def set_busy(self, busy: bool) -> None:
        """While a flow runs the form is read-only and Authorize is disabled."""
        self._busy = busy
        for widget in (
            *self._line_edits.values(),
            *self.scopes.boxes.values(),
            self.auth_method,
            self.use_pkce,
            self.reset_endpoints,
            self.grant,
            self.sign_in,
            self.browser_session,
            self.sign_out_browser,
        ):
            widget.setEnabled(not busy)
        self._update_mode_widgets()
        self._update_authorize()

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def _on_field_changed(self) -> None:
        if self._loading:
            return
        if not self._pkce_touched:
            # Off for Tiki production (support unknown), on for custom endpoints.
            wanted = not is_production(self.profile())
            if self.use_pkce.isChecked() != wanted:
                self._auto_pkce = True
                try:
                    self.use_pkce.setChecked(wanted)  # re-enters this slot once
                finally:
                    self._auto_pkce = False
                return
        self._update_mode_widgets()
        self._revalidate()
        self.config_changed.emit()

    @Slot(bool)
    def _on_pkce_toggled(self, _checked: bool) -> None:
        if not self._loading and not self._auto_pkce:
            self._pkce_touched = True  # the person chose: never changed for them again
        self._on_field_changed()

    def _grant(self) -> Grant:
        return Grant(self.grant.currentData())

    def _sign_in(self) -> SignIn:
        return SignIn(self.sign_in.currentData())

    def _update_mode_widgets(self) -> None:
        code_grant = self._grant() is Grant.AUTHORIZATION_CODE
        self.sign_in.setVisible(code_grant)
        embedded = code_grant and self._sign_in() is SignIn.EMBEDDED
        self.browser_session.setEnabled(embedded and not self._busy)
        self.redirect_uri.setEnabled(code_grant and not self._busy)

    @Slot(bool)
    def _on_show_secret_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.client_secret.setEchoMode(mode)
        self.show_secret.setText(self.tr("Hide") if shown else self.tr("Show"))

    @Slot(bool)
    def _on_advanced_toggled(self, shown: bool) -> None:
        self.advanced_section.setVisible(shown)
        set_keys(self.advanced_toggle, arrowType="DownArrow" if shown else "RightArrow")

    @Slot()
    def _on_reset_endpoints(self) -> None:
        self.authorization_endpoint.setText(TIKI_PRODUCTION.authorization_endpoint)
        self.token_endpoint.setText(TIKI_PRODUCTION.token_endpoint)
        self.api_base.setText(TIKI_PRODUCTION.api_base)

    @Slot()
    def _on_authorize_clicked(self) -> None:
        if self.authorize.isEnabled():
            self.authorize_requested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt  # a key pressed: after the first paint (see enum_free)

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self._on_authorize_clicked()
            return
        super().keyPressEvent(event)

    # -- validation display ------------------------------------------------------------------

    def _revalidate(self) -> None:
        self._problems = form_problems(self.value())
        self._warnings.show(self._problems)
        self._update_authorize()

    def _update_authorize(self) -> None:
        if self._busy:
            reasons: tuple[str, ...] = (self.tr(_BUSY_REASON),)
        else:
            reasons = tuple(problem.message for problem in self._problems)
        self.authorize_bar.show_reasons(reasons, self._grant(), self._sign_in())
