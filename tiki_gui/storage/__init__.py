"""Qt-free persistence: profiles in a settings file, secrets and tokens in the OS keyring.

Used by the UI and by ``tiki-gui token``. Submodules: ``profiles`` (the :class:`Profile` model and
its JSON), ``profile_store`` (:class:`ProfileStore`), ``secrets`` (:class:`SecretStore`, keyring
only), ``records`` (:class:`SellerRecord`, :class:`TokenStatus`), ``vault`` (:class:`TokenVault`:
list, file, refresh, check, forget), ``locks`` (per-token thread + file locks), ``retry``
(:func:`backoff_delay`), ``paths`` (settings and lock locations) and ``errors``.
Nothing here imports Qt; ``httpx`` is imported only when a request is made.
"""

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
from tiki_gui.storage.records import EXPIRING_WINDOW, SellerRecord, TokenStatus
from tiki_gui.storage.retry import backoff_delay, is_retryable
from tiki_gui.storage.secrets import KEYRING_SERVICE, SecretStore
from tiki_gui.storage.vault import APP_SELLER_ID, APP_SELLER_NAME, TokenVault

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
