"""Qt-free persistence: profiles in a settings file, secrets and tokens in the OS keyring.

Used by the UI and by ``tiki-gui token``. Submodules: ``profiles`` (the :class:`Profile` model and
its JSON), ``profile_store`` (:class:`ProfileStore`), ``secrets`` (:class:`SecretStore`, keyring
only), ``records`` (:class:`SellerRecord`, :class:`TokenStatus`), ``vault`` (:class:`TokenVault`:
list, file, refresh, check, forget), ``locks`` (per-token thread + file locks), ``retry``
(:func:`backoff_delay`), ``paths`` (settings and lock locations) and ``errors``.
Nothing here imports Qt; ``httpx`` is imported only when a request is made. The keyring store,
the token vault, the records and the retry rules are loaded when first used (PEP 562): the
window's first paint needs the settings file, not them and their imports (issue 11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiki_gui.lazy_exports import lazy_exports
from tiki_gui.storage.errors import (
    KeyringUnavailableError,
    LockTimeoutError,
    MissingClientSecretError,
    NoTokenError,
    ProfileExistsError,
    ProfileNotFoundError,
    ReauthorizationRequiredError,
    ReservedProfileError,
    SellerAmbiguousError,
    SettingsFileError,
    TokenNotSavedError,
)
from tiki_gui.storage.profile_store import ProfileStore
from tiki_gui.storage.profiles import (
    SANDBOX_PROFILE_NAME,
    BrowserSession,
    Grant,
    Profile,
    SignIn,
    sandbox_profile,
)

if TYPE_CHECKING:  # loaded by __getattr__ below when first used
    from tiki_gui.storage.records import EXPIRING_WINDOW, SellerRecord, TokenStatus
    from tiki_gui.storage.retry import backoff_delay, is_retryable
    from tiki_gui.storage.secrets import KEYRING_SERVICE, SecretStore
    from tiki_gui.storage.vault import APP_SELLER_ID, APP_SELLER_NAME, TokenVault

_HOME_OF = {
    **dict.fromkeys(("EXPIRING_WINDOW", "SellerRecord", "TokenStatus"), "records"),
    **dict.fromkeys(("backoff_delay", "is_retryable"), "retry"),
    **dict.fromkeys(("KEYRING_SERVICE", "SecretStore"), "secrets"),
    **dict.fromkeys(("APP_SELLER_ID", "APP_SELLER_NAME", "TokenVault"), "vault"),
}

if not TYPE_CHECKING:  # the type checker sees the imports above, and so catches a wrong name
    __getattr__ = lazy_exports(__name__, _HOME_OF)


__all__ = [
    "APP_SELLER_ID",
    "APP_SELLER_NAME",
    "EXPIRING_WINDOW",
    "KEYRING_SERVICE",
    "SANDBOX_PROFILE_NAME",
    "BrowserSession",
    "Grant",
    "KeyringUnavailableError",
    "LockTimeoutError",
    "MissingClientSecretError",
    "NoTokenError",
    "Profile",
    "ProfileExistsError",
    "ProfileNotFoundError",
    "ProfileStore",
    "ReauthorizationRequiredError",
    "ReservedProfileError",
    "SecretStore",
    "SellerAmbiguousError",
    "SellerRecord",
    "SettingsFileError",
    "SignIn",
    "TokenNotSavedError",
    "TokenStatus",
    "TokenVault",
    "backoff_delay",
    "is_retryable",
    "sandbox_profile",
]
