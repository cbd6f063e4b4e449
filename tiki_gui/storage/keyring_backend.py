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

Before any of this, :func:`keyring_absent` tells, without importing keyring, the case of 4. seen
from outside: nothing configured, no keyringrc.cfg, no session bus address, neither ``dbus`` nor
``gi``, and no installed distribution but keyring itself declaring ``keyring.backends`` entry
points (read from the ``entry_points.txt`` files on ``sys.path``). There keyring could only
answer with its ``fail`` backend, and :class:`~tiki_gui.storage.secrets.SecretStore` says "no
keyring" without loading it: ``import keyring`` alone costs about 10 MB resident and 100 ms of
CPU (``importlib_metadata``, and ``jaraco.context``'s ``urllib.request`` with ssl, http.client
and email). Anything it cannot read that way (a zipped or egg path entry, another finder of
distributions) leaves the question to keyring.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = [
    "FAIL_BACKEND",
    "FAIL_BACKEND_NAME",
    "SECRET_SERVICE_BACKEND",
    "default_backend",
    "keyring_absent",
]

_log = logging.getLogger(__name__)
_lock = threading.Lock()

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"  # noqa: S105 (a class name)
FAIL_BACKEND = "keyring.backends.fail.Keyring"
FAIL_BACKEND_NAME = "fail Keyring"  # its ``name``, for :func:`keyring_absent`'s callers


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


def _config_file() -> Path:
    """keyring's config file on Linux (``keyring.util.platform_.config_root``)."""
    root = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(root, "python_keyring", "keyringrc.cfg")


def _entry_points_only_keyrings_own() -> bool:
    """True if no distribution on ``sys.path`` but keyring declares ``keyring.backends`` entry
    points, read from the files as importlib.metadata's path finder would find them; False when
    that cannot be told without it (a zipped or egg path entry, another finder)."""
    finders = [finder for finder in sys.meta_path if hasattr(finder, "find_distributions")]
    if finders != [importlib.machinery.PathFinder]:
        return False
    for entry in dict.fromkeys(sys.path):
        folder = Path(entry or ".")
        if folder.suffix == ".egg" or folder.is_file():
            return False
        try:
            names = [name for name in os.listdir(folder) if name.endswith(_DIST_SUFFIXES)]
        except OSError:
            continue  # not there: nothing found in it
        for name in names:
            try:
                text = (folder / name / "entry_points.txt").read_text("utf-8")
            except OSError:
                continue
            if any(not value.startswith(_OWN_BACKENDS) for value in _backend_points(text)):
                return False
    return True


_DIST_SUFFIXES = (".dist-info", ".egg-info")


def _backend_points(text: str) -> list[str]:
    """The values of the ``[keyring.backends]`` section of an ``entry_points.txt``."""
    values, inside = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            inside = line == "[keyring.backends]"
        elif inside and "=" in line and not line.startswith(("#", ";")):
            values.append(line.partition("=")[2].strip())
    return values


def keyring_absent() -> bool:
    """True if keyring, once loaded, could only choose its ``fail`` backend here; decided
    without importing it (module docstring). False means "ask keyring" (:func:`default_backend`)."""
    if "keyring.backend" in sys.modules:
        return False  # loaded already (a backend set, or defined in this process): ask it
    if os.environ.get("PYTHON_KEYRING_BACKEND") or os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    if not _secret_service_first() or _config_file().exists():
        return False
    if any(importlib.util.find_spec(name) is not None for name in _OTHER_LINUX_NEEDS):
        return False
    return _entry_points_only_keyrings_own()


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
