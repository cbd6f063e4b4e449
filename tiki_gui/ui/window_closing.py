"""Closing the main window: tokens shown but kept nowhere are not lost without asking.

Without a system keyring the tokens of a sign-in exist only on screen until they are copied;
closing then asks first, without blocking (the box answers later), and closes once confirmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from tiki_gui.ui.shared.widgets import ask_to_confirm

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent  # none before the first paint (issue 11)

    from tiki_gui.ui.main_window import MainWindow

__all__ = ["asked_before_losing_tokens", "tokens_would_be_lost"]

_CONFIRMED = "_tiki_gui_loss_confirmed"  # a property of the window once the person said quit


def tokens_would_be_lost(window: MainWindow) -> bool:
    """Closing now loses tokens: shown, never copied, and no keyring to have stored them
    (the built-in sandbox's demo tokens are worth nothing: no warning for those)."""
    from tiki_gui.storage import SANDBOX_PROFILE_NAME

    profiles = window.profiles
    if profiles is None or profiles.keyring_ok is not False:
        return False
    if not window.flow_view.pages_ready:
        return False  # no token panel yet: no tokens on screen
    return window.token_panel.needs_keeping and profiles.current != SANDBOX_PROFILE_NAME


def asked_before_losing_tokens(window: MainWindow, event: QCloseEvent) -> bool:
    """True when ``event`` was ignored to ask first (the window closes again once confirmed)."""
    if not tokens_would_be_lost(window) or window.property(_CONFIRMED):
        return False
    from PySide6.QtWidgets import QMessageBox  # its enums, only when asked (issue 11)

    def close_anyway() -> None:
        window.setProperty(_CONFIRMED, True)
        window.close()

    event.ignore()  # ask first (without blocking): the tokens exist nowhere else
    ask_to_confirm(
        window,
        "tokens_lost_box",
        QCoreApplication.translate("MainWindow", "Quit and lose the tokens?"),
        QCoreApplication.translate(
            "MainWindow",
            "The tokens on screen were not copied, and without a system keyring they "
            "were not stored: they are gone once tiki-gui quits. Quit anyway?",
        ),
        close_anyway,
        icon=QMessageBox.Icon.Warning,
    )
    return True
