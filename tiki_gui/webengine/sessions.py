"""Browser sessions of the embedded browser: fresh (off the record) or remembered per app profile.

"Fresh sign-in every time" gives each flow its own off-the-record profile (cookies in memory,
gone with the flow). "Remember my Tiki login" uses one persistent ``QWebEngineProfile`` per app
profile, stored under ``<data dir>/browser/<storage name>``, where the storage name is derived
from a hash of the app profile's name: two app profiles never share cookies, and the name itself
(which may be a shop's name) is not written into a path.

A persistent profile is made at its first use in a process and kept (parented to the
application): its pages come and go with the flows, so it outlives them (deleting a profile before
its page crashes Chromium). :func:`sign_out` forgets everything: QtWebEngine has no call that
clears local storage, IndexedDB or service workers, so the profile is released and its whole
storage directory deleted; the next flow makes a fresh profile. Call it once no page of the profile
is left, or only pages already given to ``deleteLater`` (the release is a ``deleteLater`` too,
posted after theirs, so the order page, view, profile holds).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths, QTimer
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineProfileBuilder

__all__ = [
    "DATA_DIR_ENV",
    "data_dir",
    "persistent_profile",
    "sign_out",
    "storage_name_for",
    "storage_path",
]

_log = logging.getLogger(__name__)

DATA_DIR_ENV = "TIKI_GUI_DATA_DIR"
"""Overrides the app's data directory (tests point it at a temporary directory)."""

_profiles: dict[Path, QWebEngineProfile] = {}
_releasing: dict[Path, QWebEngineProfile] = {}
"""Profiles signed out whose deferred deletion has not run yet (their folder is deleted after)."""


def storage_name_for(profile_name: str) -> str:
    """The QtWebEngine storage name of an app profile: ``tiki-`` and 16 hex digits of SHA-256."""
    digest = hashlib.sha256(profile_name.encode("utf-8")).hexdigest()[:16]
    return f"tiki-{digest}"


def data_dir() -> Path:
    """``$TIKI_GUI_DATA_DIR`` if set, else Qt's AppDataLocation for this application."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".local" / "share" / "tiki-gui")


def storage_path(storage_name: str) -> Path:
    """Where a persistent profile keeps cookies, local storage and its HTTP cache."""
    return data_dir() / "browser" / storage_name


def persistent_profile(storage_name: str) -> QWebEngineProfile:
    """The persistent profile for ``storage_name`` (made at the first call, then reused)."""
    path = storage_path(storage_name)
    profile = _profiles.get(path)
    if profile is not None:
        return profile
    if path in _releasing:
        # Signed out a moment ago: let the old profile (and its pages, posted before it) go
        # before a new one opens the same files.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if path in _releasing:
            raise RuntimeError("The signed-out browser profile is still in use; try again.")
    path.mkdir(parents=True, exist_ok=True)
    builder = QWebEngineProfileBuilder()
    builder.setPersistentStoragePath(str(path / "storage"))
    builder.setCachePath(str(path / "cache"))
    builder.setPersistentCookiesPolicy(
        QWebEngineProfile.PersistentCookiesPolicy.AllowPersistentCookies
    )
    # Parented to the application: it outlives every page made from it in this process.
    profile = builder.createProfile(storage_name, QCoreApplication.instance())
    _profiles[path] = profile
    _log.info("persistent browser profile %s opened", storage_name)
    return profile


def sign_out(storage_name: str) -> None:
    """Forget the remembered login of ``storage_name``: cookies, cache, local storage, all of it.

    A profile alive in this process is cleared, released (``deleteLater``) and its storage
    directory deleted once it is gone; without one the directory is deleted at once. Pages of the
    profile must already be deleted or given to ``deleteLater`` (see the module docstring).
    """
    path = storage_path(storage_name)
    profile = _profiles.pop(path, None)
    if profile is None:
        _remove_storage(path)
        return
    # Cleared first, in case the process ends before the deferred deletion runs.
    profile.cookieStore().deleteAllCookies()
    profile.clearHttpCache()
    profile.clearAllVisitedLinks()
    _releasing[path] = profile
    profile.destroyed.connect(partial(_on_profile_released, path))
    profile.deleteLater()
    _log.info("browser profile %s signed out; released", storage_name)


def _on_profile_released(path: Path) -> None:
    _releasing.pop(path, None)
    _remove_storage(path)


_REMOVE_RETRIES = 15
_REMOVE_RETRY_MS = 200


def _remove_storage(path: Path, retries: int = _REMOVE_RETRIES) -> None:
    """Delete the storage folder; try again a few times while Chromium's network service may
    still be flushing a file into it (measured: a Cookies file written just after release)."""
    shutil.rmtree(path, ignore_errors=True)
    if not path.exists():
        _log.info("browser storage %s deleted", path.name)
    elif retries > 0:
        QTimer.singleShot(_REMOVE_RETRY_MS, partial(_remove_storage, path, retries - 1))
    else:
        _log.warning("browser storage %s could not be deleted", path.name)
