"""Browser sessions of the embedded browser: fresh (off the record) or remembered per app profile.

"Fresh sign-in every time" gives each flow its own off-the-record profile (cookies in memory,
gone with the flow). "Remember my Tiki login" uses one persistent ``QWebEngineProfile`` per app
profile, stored under ``<data dir>/browser/<storage name>``, where the storage name is derived
from a hash of the app profile's name: two app profiles never share cookies, and the name itself
(which may be a shop's name) is not written into a path.

A persistent profile is made once per process and kept (parented to the application) while the
app runs: its pages come and go with the flows, so it always outlives them (deleting a profile
before its page crashes Chromium). :func:`sign_out` clears its cookies, HTTP cache and visited
links; if no profile object for it exists in this process, the storage directory is deleted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
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
    """Forget the remembered login of ``storage_name``: cookies, HTTP cache, visited links.

    A profile alive in this process is cleared through QtWebEngine (its files stay in use);
    otherwise the whole storage directory is deleted.
    """
    path = storage_path(storage_name)
    profile = _profiles.get(path)
    if profile is None:
        shutil.rmtree(path, ignore_errors=True)
        _log.info("browser storage %s deleted", storage_name)
        return
    profile.cookieStore().deleteAllCookies()
    profile.clearHttpCache()
    profile.clearAllVisitedLinks()
    _log.info("browser profile %s signed out", storage_name)
