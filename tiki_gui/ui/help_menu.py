"""The Help menu: Tiki's own pages, opened in the system browser, and About with the version.

Links open through ``QDesktopServices`` (the person's default browser), never in the embedded
consent view. Every address is one Tiki publishes (open.tiki.vn's docs).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP
from tiki_gui.ui.shared.widgets import text_action

__all__ = ["HELP_LINKS", "add_help_links", "app_version"]

_DOCS = "https://open.tiki.vn/docs/docs/current/"

HELP_LINKS: tuple[tuple[str, str, str], ...] = (
    # (objectName, menu text, address)
    (
        "help_register_app",
        QT_TRANSLATE_NOOP("HelpMenu", "&Register an app (Tiki Open API console)"),
        _DOCS + "getting-started/register-an-application/",
    ),
    (
        "help_code_flow",
        QT_TRANSLATE_NOOP("HelpMenu", "The &authorization code flow"),
        _DOCS + "oauth-2-0/auth-flows/authorization-code-flow/",
    ),
    (
        "help_scopes",
        QT_TRANSLATE_NOOP("HelpMenu", "&Scopes"),
        _DOCS + "getting-started/scope-of-access/",
    ),
    (
        "help_seller_api",
        QT_TRANSLATE_NOOP("HelpMenu", "Seller &API reference"),
        _DOCS + "api-references/seller-api/",
    ),
    (
        "help_open_api",
        QT_TRANSLATE_NOOP("HelpMenu", "Tiki &Open API home"),
        "https://open.tiki.vn/",
    ),
)


def app_version() -> str:
    """The app's version (:data:`tiki_gui.__version__`)."""
    from tiki_gui import __version__

    return __version__


def add_help_links(menu: QMenu, parent: QWidget) -> list[QAction]:
    """One action per :data:`HELP_LINKS` entry in ``menu``; each opens its page outside."""
    actions = []
    for name, text, address in HELP_LINKS:
        action = text_action(QCoreApplication.translate("HelpMenu", text), parent)
        action.setObjectName(name)
        action.setToolTip(address)
        action.setStatusTip(address)
        action.triggered.connect(lambda _=False, url=address: open_outside(url))
        menu.addAction(action)
        actions.append(action)
    return actions


def open_outside(address: str) -> bool:
    """Open ``address`` in the system's browser."""
    from PySide6.QtCore import QUrl  # when a link is opened: QUrl's enums (issue 11)
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl(address))
