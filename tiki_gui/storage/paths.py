"""Where tiki-gui keeps its files, per platform: the one source of folders.

Every folder comes from ``platformdirs`` (the maintained answer to "where does an app keep its
settings on this OS"), with an environment override for tests and portable setups:

- settings (``profiles.json``, ``ui-state.json``, ``form-drafts.json``; non-secret): the
  per-user config folder, ``~/.config/tiki-gui`` on Linux,
  ``~/Library/Application Support/tiki-gui`` on macOS, ``%APPDATA%\\tiki-gui`` on Windows;
  ``TIKI_GUI_CONFIG_DIR`` overrides it.
- lock files (one per profile and seller, so that two processes never refresh one token at once):
  ``TIKI_GUI_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/tiki-gui`` when that folder exists, else the
  per-user cache folder (``~/.cache/tiki-gui``, ``~/Library/Caches/tiki-gui``,
  ``%LOCALAPPDATA%\\tiki-gui``).
- what tiki-gui can always make again (shiboken6's support code, compiled once:
  :mod:`tiki_gui.ui.shiboken_support`): the per-user cache folder; ``TIKI_GUI_CACHE_DIR``
  overrides it.
- the embedded browser's remembered logins: the per-user data folder (``~/.local/share/tiki-gui``,
  ``~/Library/Application Support/tiki-gui``, ``%APPDATA%\\tiki-gui``, where Qt's
  ``AppDataLocation`` put them before); ``TIKI_GUI_DATA_DIR`` overrides it.

Nothing secret is ever written to these places: secrets live in the keyring.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = [
    "APP_DIR_NAME",
    "CACHE_DIR_ENV",
    "CONFIG_DIR_ENV",
    "DATA_DIR_ENV",
    "RUNTIME_DIR_ENV",
    "cache_dir",
    "config_dir",
    "data_dir",
    "ensure_private_dir",
    "profiles_path",
    "runtime_dir",
]

APP_DIR_NAME = "tiki-gui"
CONFIG_DIR_ENV = "TIKI_GUI_CONFIG_DIR"
RUNTIME_DIR_ENV = "TIKI_GUI_RUNTIME_DIR"
DATA_DIR_ENV = "TIKI_GUI_DATA_DIR"
CACHE_DIR_ENV = "TIKI_GUI_CACHE_DIR"
PROFILES_FILE_NAME = "profiles.json"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def config_dir() -> Path:
    """The folder holding ``profiles.json`` (not created here)."""
    return _env_path(CONFIG_DIR_ENV) or platformdirs.user_config_path(
        APP_DIR_NAME, appauthor=False, roaming=True
    )


def profiles_path() -> Path:
    """The settings file: ``config_dir() / "profiles.json"``."""
    return config_dir() / PROFILES_FILE_NAME


def runtime_dir() -> Path:
    """The folder for lock files (not created here)."""
    override = _env_path(RUNTIME_DIR_ENV)
    if override is not None:
        return override
    runtime = _env_path("XDG_RUNTIME_DIR")
    if runtime is not None and runtime.is_absolute() and runtime.is_dir():
        return runtime / APP_DIR_NAME
    return _user_cache_path()


def cache_dir() -> Path:
    """The folder for files tiki-gui can always make again (not created here)."""
    return _env_path(CACHE_DIR_ENV) or _user_cache_path()


def _user_cache_path() -> Path:
    return platformdirs.user_cache_path(APP_DIR_NAME, appauthor=False, opinion=False)


def data_dir() -> Path:
    """The folder for the embedded browser's remembered logins (not created here)."""
    return _env_path(DATA_DIR_ENV) or platformdirs.user_data_path(
        APP_DIR_NAME, appauthor=False, roaming=True
    )


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; the last component gets mode 0700 on POSIX."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
