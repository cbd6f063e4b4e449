"""Status-bar sentences for errors of the storage, a worker or the network, in the UI's language.

The storage's errors carry English sentences for ``tiki-gui token``; the UI picks its words by
the error's class and its fields (a profile's name), and keeps what is technical (the keyring
backend's failure, a lock's wait) verbatim after them.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from tiki_gui.core.errors import TikiGuiError
from tiki_gui.storage.errors import (
    STATUS_SENTENCE_ERRORS,
    KeyringUnavailableError,
    LockTimeoutError,
    MissingClientSecretError,
    NoTokenError,
    ProfileExistsError,
    ProfileNotFoundError,
    ReauthorizationRequiredError,
    SettingsFileError,
    TokenNotSavedError,
)
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP

__all__ = ["storage_text"]


# storage.secrets' sentence when a keyring call failed, by the action that failed.
_KEYRING_FAILURE = re.compile(
    r"^The system keyring could not (?P<action>be read|store the entry|delete the entry) "
    r"\((?P<name>\w+)\); check that it is running and unlocked\. Nothing was stored elsewhere\.$"
)
_KEYRING_FAILURES = {
    "be read": QT_TRANSLATE_NOOP(
        "StorageText",
        "The system keyring could not be read ({name}); check that it is running and unlocked. "
        "Nothing was stored elsewhere.",
    ),
    "store the entry": QT_TRANSLATE_NOOP(
        "StorageText",
        "The system keyring could not store the entry ({name}); check that it is running and "
        "unlocked. Nothing was stored elsewhere.",
    ),
    "delete the entry": QT_TRANSLATE_NOOP(
        "StorageText",
        "The system keyring could not delete the entry ({name}); check that it is running and "
        "unlocked. Nothing was stored elsewhere.",
    ),
}

# Errors told by their kind, with the storage's own sentence after it.
_DETAILED: tuple[tuple[type[TikiGuiError], str], ...] = (
    (
        ReauthorizationRequiredError,
        QT_TRANSLATE_NOOP(
            "StorageText",
            "This token can no longer be refreshed: the seller must authorize the app again. "
            "({detail})",
        ),
    ),
    (
        LockTimeoutError,
        QT_TRANSLATE_NOOP(
            "StorageText", "Another refresh of this token is still running. ({detail})"
        ),
    ),
    (
        SettingsFileError,
        QT_TRANSLATE_NOOP("StorageText", "The settings file cannot be used. ({detail})"),
    ),
    (
        MissingClientSecretError,
        QT_TRANSLATE_NOOP("StorageText", "The profile has no client secret stored. ({detail})"),
    ),
    (NoTokenError, QT_TRANSLATE_NOOP("StorageText", "No token is stored for this. ({detail})")),
)


def storage_text(error: BaseException) -> str:
    """A status-bar sentence for ``error``."""
    translated = _storage_sentence(error)
    if translated is not None:
        return translated
    if isinstance(error, STATUS_SENTENCE_ERRORS):
        return str(error)  # plain sentences from names and ids only (storage.errors)
    if isinstance(error, TikiGuiError | OSError):
        from tiki_gui.ui.shared.error_text import describe_error  # when one is shown (issue 11)

        report = describe_error(error)
        return f"{report.message} {report.advice}".strip()
    return QCoreApplication.translate("ErrorText", "Unexpected {name}.").format(
        name=type(error).__name__
    )


def _storage_sentence(error: BaseException) -> str | None:
    detail = str(error)
    if isinstance(error, ProfileNotFoundError):
        text = QCoreApplication.translate("StorageText", "There is no profile named '{name}'.")
        return text.format(name=error.name)
    if isinstance(error, ProfileExistsError):
        text = QCoreApplication.translate(
            "StorageText", "A profile named '{name}' already exists; choose another name."
        )
        return text.format(name=error.name)
    if isinstance(error, TokenNotSavedError):
        return QCoreApplication.translate(
            "StorageText",
            "The token was refreshed but the system keyring refused to store the new pair; "
            "copy it now, it cannot be recovered later.",
        )
    if isinstance(error, KeyringUnavailableError):
        if detail == KeyringUnavailableError.DEFAULT_MESSAGE:
            return QCoreApplication.translate(
                "StorageText",
                "No usable system keyring was found, so client secrets and tokens cannot be "
                "saved; install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain "
                "or Windows Credential Manager) to keep them.",
            )
        failed = _KEYRING_FAILURE.match(detail)
        if failed is None:
            return detail
        source = _KEYRING_FAILURES[failed.group("action")]
        return QCoreApplication.translate("StorageText", source).format(name=failed.group("name"))
    for kind, source in _DETAILED:
        if isinstance(error, kind):
            return QCoreApplication.translate("StorageText", source).format(detail=detail)
    return None
