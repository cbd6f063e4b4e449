"""Where tiki-gui keeps its files, per platform: the one source of folders.

On Linux and the other XDG systems each folder comes from the XDG Base Directory spec, as
``platformdirs`` reads it (an absolute ``$XDG_CONFIG_HOME``, ``$XDG_DATA_HOME`` or
``$XDG_CACHE_HOME``, else its default under the home folder): importing ``platformdirs`` costs
~8 ms of every start (issue 11), for three lines of the spec. On Windows and macOS it comes from
``platformdirs``. Each has an environment override for tests and portable setups:

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
import sys
from pathlib import Path

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


def _uses_xdg() -> bool:
    return sys.platform not in ("win32", "darwin")  # as platformdirs chooses


_XDG_DEFAULTS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
}


def _xdg_home(variable: str) -> Path:
    """The XDG spec's per-user folder ``variable`` names: its value when that is an absolute
    path, else its default in the home folder (``$HOME`` when absolute, else the account's)."""
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return Path(value)
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        import pwd

        home = pwd.getpwuid(os.getuid()).pw_dir
    return Path(home, _XDG_DEFAULTS[variable])


def _user_folder(variable: str) -> Path:
    """tiki-gui's per-user folder of the kind the XDG ``variable`` names: read from the XDG
    spec on XDG systems, asked of platformdirs on Windows and macOS."""
    if _uses_xdg():
        return _xdg_home(variable) / APP_DIR_NAME
    import platformdirs

    # roaming: %APPDATA% for settings and data on Windows; opinion=False: no "Cache" subfolder.
    folders = platformdirs.PlatformDirs(APP_DIR_NAME, appauthor=False, roaming=True, opinion=False)
    if variable == "XDG_CONFIG_HOME":
        return folders.user_config_path
    return folders.user_data_path if variable == "XDG_DATA_HOME" else folders.user_cache_path


def config_dir() -> Path:
    """The folder holding ``profiles.json`` (not created here)."""
    return _env_path(CONFIG_DIR_ENV) or _user_folder("XDG_CONFIG_HOME")


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
    return _user_folder("XDG_CACHE_HOME")


def cache_dir() -> Path:
    """The folder for files tiki-gui can always make again (not created here)."""
    return _env_path(CACHE_DIR_ENV) or _user_folder("XDG_CACHE_HOME")


def data_dir() -> Path:
    """The folder for the embedded browser's remembered logins (not created here)."""
    return _env_path(DATA_DIR_ENV) or _user_folder("XDG_DATA_HOME")


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; the last component gets mode 0700 on POSIX."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
