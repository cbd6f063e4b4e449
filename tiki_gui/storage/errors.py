"""Errors of the storage layer. All are :class:`~tiki_gui.core.errors.TikiGuiError`.

::

    TikiGuiError
    ├── KeyringUnavailableError        no usable OS keyring (nothing is ever stored elsewhere)
    │   └── TokenNotSavedError         a refresh succeeded but the new pair could not be stored
    ├── ProfileNotFoundError (KeyError-like lookups by name)
    ├── ProfileExistsError
    ├── ReservedProfileError (also ValidationError)   the built-in "Sandbox" profile
    ├── MissingClientSecretError       no client secret stored for the profile
    ├── NoTokenError                   no token stored yet for that profile / seller
    ├── SellerAmbiguousError           several sellers match, or none was named and there are many
    ├── ReauthorizationRequiredError   refresh refused (invalid_grant) or impossible
    ├── LockTimeoutError               another process held the refresh lock for too long
    └── SettingsFileError              profiles.json cannot be read or parsed

Messages are plain sentences built from names and ids only: never a secret or a token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiki_gui.core.errors import TikiGuiError, ValidationError

if TYPE_CHECKING:
    from tiki_gui.core.errors import OAuthError
    from tiki_gui.core.tokens import TokenSet

__all__ = [
    "STATUS_SENTENCE_ERRORS",
    "KeyringUnavailableError",
    "LockTimeoutError",
    "MissingClientSecretError",
    "NoTokenError",
    "ProfileExistsError",
    "ProfileNotFoundError",
    "ReauthorizationRequiredError",
    "ReservedProfileError",
    "SellerAmbiguousError",
    "SettingsFileError",
    "TokenNotSavedError",
]


class KeyringUnavailableError(TikiGuiError):
    """The OS keyring cannot be used: none is installed, or talking to it failed.

    tiki-gui keeps client secrets and tokens only in the keyring, so nothing was stored (or read).
    """

    DEFAULT_MESSAGE = (
        "No usable system keyring was found, so client secrets and tokens cannot be saved; "
        "install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain or Windows "
        "Credential Manager) to keep them."
    )

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.DEFAULT_MESSAGE)


class TokenNotSavedError(KeyringUnavailableError):
    """A refresh succeeded but the keyring refused the new pair.

    The old refresh token is already revoked by the server, so the new pair is attached as
    ``token`` (never shown in the message) for the UI to display or copy; it is lost otherwise.
    """

    token: TokenSet

    def __init__(self, token: TokenSet, message: str | None = None) -> None:
        self.token = token
        super().__init__(
            message
            or "The token was refreshed but the system keyring refused to store the new pair; "
            "copy it now, it cannot be recovered later."
        )


class ProfileNotFoundError(TikiGuiError):
    """No profile of that name."""

    name: str

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"There is no profile named {name!r}.")


class ProfileExistsError(TikiGuiError):
    """A profile of that name already exists."""

    name: str

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"A profile named {name!r} already exists; choose another name.")


class ReservedProfileError(ValidationError):
    """The built-in sandbox profile cannot be saved, renamed or deleted."""


class MissingClientSecretError(TikiGuiError):
    """The profile has no client secret stored, so no token request can be made."""


class NoTokenError(TikiGuiError):
    """No token is stored for this profile (or for the seller asked for)."""


class SellerAmbiguousError(TikiGuiError):
    """More than one seller matches (or none was named and the profile has several)."""

    candidates: tuple[tuple[int, str], ...]

    def __init__(self, message: str, candidates: tuple[tuple[int, str], ...] = ()) -> None:
        self.candidates = candidates
        super().__init__(message)


class ReauthorizationRequiredError(TikiGuiError):
    """The token cannot be refreshed: the seller must authorize the app again.

    Raised when the server answers ``invalid_grant`` (the refresh token was revoked, expired or
    already used) or when there is no refresh token. The stored token is kept. ``oauth_error``
    is the server's answer, when there was one. ``interrupted`` is True when an earlier refresh
    of this token was sent and its result never stored (the process stopped, the answer was
    lost): the server rotated a pair the app never received.
    """

    oauth_error: OAuthError | None
    interrupted: bool

    def __init__(
        self, message: str, oauth_error: OAuthError | None = None, *, interrupted: bool = False
    ) -> None:
        self.oauth_error = oauth_error
        self.interrupted = interrupted
        super().__init__(message)


class LockTimeoutError(TikiGuiError):
    """Another process kept the refresh lock for this token longer than we were willing to wait."""


class SettingsFileError(TikiGuiError):
    """The settings file exists but cannot be read or understood."""


STATUS_SENTENCE_ERRORS: tuple[type[TikiGuiError], ...] = (
    SettingsFileError,
    ProfileNotFoundError,
    ProfileExistsError,
    KeyringUnavailableError,
    MissingClientSecretError,
    NoTokenError,
    LockTimeoutError,
)
"""The errors whose message is the whole story for a status bar (the others get advice added)."""
