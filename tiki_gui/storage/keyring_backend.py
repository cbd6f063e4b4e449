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
4. on Linux with no Secret Service (no session bus address, as in a container or over SSH, or
   one that does not answer), keyring's ``fail`` backend, when nothing else could answer:
   discovery would choose it as well (its priority, 0, is the highest left). That is the case
   when keyring's ``keyring.backends`` entry points are all its own (no third-party backend
   installed, none defined in the process) and the two other Linux backends cannot load (KWallet
   needs the ``dbus`` module, libsecret the ``gi`` module; either may start a bus of its own).
   Discovery would load every backend's module: the Secret Service's pulls in ``secretstorage``
   and ``cryptography`` (about 6 MB resident), the macOS one runs ``ldconfig`` and ``gcc``;
5. otherwise keyring's full discovery.

The choice is kept with ``keyring.set_keyring``, so the rest of the process (and ``keyring``
itself) sees the same backend.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = ["FAIL_BACKEND", "SECRET_SERVICE_BACKEND", "default_backend"]

_log = logging.getLogger(__name__)
_lock = threading.Lock()

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"  # noqa: S105 (a class name)
FAIL_BACKEND = "keyring.backends.fail.Keyring"


def _secret_service_first() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "") + os.environ.get("DESKTOP_SESSION", "")
    return "kde" not in desktop.lower()  # KDE's kwallet outranks the Secret Service there


_OWN_BACKENDS = "keyring.backends."
# Modules without which keyring's other Linux backends are not viable (their priority raises).
_OTHER_LINUX_NEEDS = ("dbus", "gi")  # KWallet, libsecret


def _only_keyrings_own_backends() -> bool:
    """True if every backend discovery could find is keyring's own: its entry points (listed,
    not loaded) and the backend classes already defined in this process."""
    from keyring.backend import KeyringBackend
    from keyring.compat.py312 import metadata  # what keyring's discovery reads them with

    points = metadata.entry_points(group="keyring.backends")
    if any(not point.value.startswith(_OWN_BACKENDS) for point in points):
        return False
    defined: set[type[KeyringBackend]] = getattr(KeyringBackend, "_classes", set())
    return all(cls.__module__.startswith(_OWN_BACKENDS) for cls in defined)


def _nothing_else_could_answer() -> bool:
    """On Linux with the Secret Service found not viable: True if discovery would choose the
    ``fail`` backend (module docstring, 4.)."""
    if any(importlib.util.find_spec(name) is not None for name in _OTHER_LINUX_NEEDS):
        return False
    return _only_keyrings_own_backends()


def _chosen() -> KeyringBackend:
    import keyring.core

    backend = keyring.core.load_env() or keyring.core.load_config()
    if backend is not None:
        return backend
    if _secret_service_first():
        # Without a bus address the Secret Service cannot answer (jeepney reads only this
        # variable): its module, secretstorage and cryptography are not even loaded then.
        if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            try:
                return keyring.core.load_keyring(SECRET_SERVICE_BACKEND)  # raises if not viable
            except Exception as exc:
                _log.debug("Secret Service backend not viable (%s)", type(exc).__name__)
        if _nothing_else_could_answer():
            _log.debug("no Secret Service and no other backend: keyring's fail backend")
            return keyring.core.load_keyring(FAIL_BACKEND)
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
