"""The Authorize button and, next to it, why it is disabled or what pressing it will do.

Its own widget, so the window can keep it below the form's scroll area, always in view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from tiki_gui.core.options import Grant, SignIn
from tiki_gui.ui.shared.widgets import button, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel

__all__ = ["AUTHORIZE_SHORTCUT", "AuthorizeBar"]

AUTHORIZE_SHORTCUT = "Ctrl+Return"
"""Authorize from anywhere in the window (the window's action; Enter in a field does it too)."""


class AuthorizeBar(QWidget):
    """Authorize, enabled only when there is no reason against it (the first one shown)."""

    _shortcut_named = False  # Authorize's tooltip names its shortcut (see name_shortcut)

    def __init__(self, on_click: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("authorize_bar")
        self.authorize = button(
            self.tr("Authorize"),
            "authorize",
            self.tr("Authorize"),
            self.tr("Open Tiki's sign-in and consent page in this window"),
            on_click=on_click,
        )
        self.reason = named(
            WrappedLabel(), "authorize_reason", self.tr("Why Authorize is disabled")
        )
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        top = QVBoxLayout()  # Authorize at the top of the row (no Qt enum before the paint)
        top.addWidget(self.authorize)
        top.addStretch(1)
        row.addLayout(top)
        row.addWidget(self.reason, 1)

    def show_reasons(self, reasons: Sequence[str], grant: Grant, sign_in: SignIn) -> None:
        """Disable Authorize for ``reasons`` (all in its tooltip), or enable it and say what
        it will do for ``grant`` and ``sign_in``."""
        self.authorize.setEnabled(not reasons)
        if reasons:
            self.reason.setText(reasons[0])
            self.authorize.setToolTip("\n".join(reasons))
            self.authorize.setAccessibleDescription(reasons[0])
            return
        self.reason.setText(self._hint(grant, sign_in))
        self._describe_authorize()
        self.authorize.setAccessibleDescription(self.tr("Open Tiki's sign-in and consent page"))

    def name_shortcut(self) -> None:
        """From now on Authorize's tooltip names its shortcut, as this platform writes shortcuts:
        the window asks once it is painted (QKeySequence costs PySide6 ~2 ms, issue 11; a
        tooltip shows only after a hover)."""
        self._shortcut_named = True
        if self.authorize.isEnabled():
            self._describe_authorize()

    def _describe_authorize(self) -> None:
        if not self._shortcut_named:
            self.authorize.setToolTip(self.tr("Open Tiki's sign-in and consent page"))
            return
        from PySide6.QtGui import QKeySequence

        shortcut = QKeySequence(AUTHORIZE_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.authorize.setToolTip(
            self.tr("Open Tiki's sign-in and consent page (%1)").replace("%1", shortcut)
        )

    def _hint(self, grant: Grant, sign_in: SignIn) -> str:
        if grant is Grant.CLIENT_CREDENTIALS:
            return self.tr("Requests a token for the app itself: no browser, no refresh token.")
        if sign_in is SignIn.LOOPBACK:
            return self.tr(
                "Opens Tiki's sign-in page in your default browser; this app gets the redirect."
            )
        if sign_in is SignIn.PASTE:
            return self.tr(
                "Opens Tiki's sign-in page in your default browser; then paste where it lands."
            )
        return self.tr("Opens Tiki's sign-in page in this window.")
