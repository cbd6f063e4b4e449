"""keyring's backend, chosen without keyring's full discovery when a cheaper answer exists.

``keyring.get_keyring()`` discovers backends the first time it is called in a process: it loads
every backend's entry point and asks each for its priority, and the macOS backend looks for the
Security framework with ``ctypes.util.find_library`` (on Linux that runs ``ldconfig`` and
``gcc``): about 120 ms of CPU in every ``tiki-gui token`` and at every start of the window. The
choice here, in keyring's own order:

1. a backend set in this process (``keyring.set_keyring``) is used as is;
2. ``PYTHON_KEYRING_BACKEND``, then keyring's config file (``keyringrc.cfg``, ``[backend]
   default-keyring``): keyring's own :func:`keyring.core.load_env` / :func:`load_config`;
3. on Linux outside KDE, the Secret Service backend directly, if it is viable (its priority
   check connects to the session bus; keyring's discovery would pick it there as well);
4. otherwise keyring's full discovery.

The choice is kept with ``keyring.set_keyring``, so the rest of the process (and ``keyring``
itself) sees the same backend.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = ["SECRET_SERVICE_BACKEND", "default_backend"]

_log = logging.getLogger(__name__)
_lock = threading.Lock()

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"  # noqa: S105 (a class name)


def _secret_service_first() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "") + os.environ.get("DESKTOP_SESSION", "")
    return "kde" not in desktop.lower()  # KDE's kwallet outranks the Secret Service there


def _chosen() -> KeyringBackend:
    import keyring.core

    backend = keyring.core.load_env() or keyring.core.load_config()
    if backend is not None:
        return backend
    if _secret_service_first():
        try:
            return keyring.core.load_keyring(SECRET_SERVICE_BACKEND)  # raises if it is not viable
        except Exception as exc:
            _log.debug("Secret Service backend not viable (%s): discovering", type(exc).__name__)
    keyring.core.init_backend()
    return keyring.core.get_keyring()


def default_backend() -> KeyringBackend:
    """The backend keyring uses in this process, chosen as the module docstring says."""
    import keyring.core

    with _lock:
        current = getattr(keyring.core, "_keyring_backend", None)
        if current is not None:
            return current  # type: ignore[no-any-return]
        backend = _chosen()
        keyring.core.set_keyring(backend)
        return backend
