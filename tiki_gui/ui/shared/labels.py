"""The words of the Qt-free option and status types, in the UI's language.

``tiki_gui.core.options`` and ``tiki_gui.storage.records`` keep their English labels (the
settings file and ``tiki-gui token`` use them); the UI shows them through :func:`label` and
:func:`description`, whose catalog entries are listed here for ``pyside6-lupdate``.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication

from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP

__all__ = ["SOURCES", "description", "label"]

_CONTEXT = "Labels"

# Every label and description of core.options and storage.records, for lupdate; a test checks
# that the list matches the enums.
SOURCES = (
    QT_TRANSLATE_NOOP("Labels", "Basic header"),
    QT_TRANSLATE_NOOP("Labels", "Request body"),
    QT_TRANSLATE_NOOP("Labels", "Authorization code (a seller signs in)"),
    QT_TRANSLATE_NOOP("Labels", "Client credentials (in-house app, no browser)"),
    QT_TRANSLATE_NOOP("Labels", "In this window (embedded browser)"),
    QT_TRANSLATE_NOOP("Labels", "System browser, redirect to this computer"),
    QT_TRANSLATE_NOOP("Labels", "System browser, paste the redirect URL"),
    QT_TRANSLATE_NOOP("Labels", "Fresh sign-in every time"),
    QT_TRANSLATE_NOOP("Labels", "Remember my Tiki login (this profile only)"),
    QT_TRANSLATE_NOOP("Labels", "Authorization: Basic header (client_secret_basic)"),
    QT_TRANSLATE_NOOP("Labels", "client_id and client_secret in the body (client_secret_post)"),
    QT_TRANSLATE_NOOP("Labels", "Valid"),
    QT_TRANSLATE_NOOP("Labels", "Expiring soon"),
    QT_TRANSLATE_NOOP("Labels", "Expired"),
    QT_TRANSLATE_NOOP("Labels", "Needs re-authorization"),
)


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


class _Described(Protocol):
    @property
    def description(self) -> str: ...


def label(option: _Labelled) -> str:
    """``option.label`` in the UI's language."""
    return QCoreApplication.translate(_CONTEXT, option.label)


def description(option: _Described) -> str:
    """``option.description`` in the UI's language."""
    return QCoreApplication.translate(_CONTEXT, option.description)
