"""Where tiki-gui keeps its settings file and its lock files, per platform.

Settings (non-secret profile fields) live in the platform's standard per-user config location:
``$XDG_CONFIG_HOME/tiki-gui`` (default ``~/.config/tiki-gui``) on Linux and other POSIX systems,
``~/Library/Application Support/tiki-gui`` on macOS and ``%APPDATA%\\tiki-gui`` on Windows.
``TIKI_GUI_CONFIG_DIR`` overrides it (tests, portable setups).

Lock files (one per profile and seller, so that two processes never refresh one token at once)
live in a runtime directory: ``TIKI_GUI_RUNTIME_DIR`` if set, else ``$XDG_RUNTIME_DIR/tiki-gui``,
else the per-user cache directory (``$XDG_CACHE_HOME/tiki-gui``, ``~/Library/Caches/tiki-gui``,
``%LOCALAPPDATA%\\tiki-gui``). Nothing secret is ever written to either place by this package
except the keyring, which is not a file of ours.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = [
    "APP_DIR_NAME",
    "CONFIG_DIR_ENV",
    "RUNTIME_DIR_ENV",
    "config_dir",
    "ensure_private_dir",
    "profiles_path",
    "runtime_dir",
]

APP_DIR_NAME = "tiki-gui"
CONFIG_DIR_ENV = "TIKI_GUI_CONFIG_DIR"
RUNTIME_DIR_ENV = "TIKI_GUI_RUNTIME_DIR"
PROFILES_FILE_NAME = "profiles.json"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def _xdg(name: str, default: str) -> Path:
    """An XDG base directory: absolute values of the variable only (as the spec requires)."""
    value = _env_path(name)
    if value is not None and value.is_absolute():
        return value
    return Path.home() / default


def config_dir() -> Path:
    """The directory holding ``profiles.json`` (not created here)."""
    override = _env_path(CONFIG_DIR_ENV)
    if override is not None:
        return override
    if sys.platform == "win32":
        base = _env_path("APPDATA") or Path.home() / "AppData" / "Roaming"
        return base / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_DIR_NAME


def profiles_path() -> Path:
    """The settings file: ``config_dir() / "profiles.json"``."""
    return config_dir() / PROFILES_FILE_NAME


def runtime_dir() -> Path:
    """The directory for lock files (not created here)."""
    override = _env_path(RUNTIME_DIR_ENV)
    if override is not None:
        return override
    if sys.platform == "win32":
        base = _env_path("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return base / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_DIR_NAME
    runtime = _env_path("XDG_RUNTIME_DIR")
    if runtime is not None and runtime.is_absolute() and runtime.is_dir():
        return runtime / APP_DIR_NAME
    return _xdg("XDG_CACHE_HOME", ".cache") / APP_DIR_NAME


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; the last component gets mode 0700 on POSIX."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
