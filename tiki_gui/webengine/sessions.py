"""Browser sessions of the embedded browser: fresh (off the record) or remembered per app profile.

"Fresh sign-in every time" gives each flow its own off-the-record profile (cookies in memory,
gone with the flow). "Remember my Tiki login" uses one persistent ``QWebEngineProfile`` per app
profile, stored under ``<data dir>/browser/<storage name>``
(:func:`tiki_gui.storage.paths.data_dir`), where the storage name is derived from a hash of the
app profile's name: two app profiles never share cookies, and the name itself (which may be a
shop's name) is not written into a path.

A persistent profile is made at its first use in a process and kept (parented to the
application): its pages come and go with the flows, so it outlives them (deleting a profile before
its page crashes Chromium, and releasing a profile right after clearing its cookies aborted the
process in one CI run). :func:`sign_out` therefore never deletes a live profile: it clears its
cookies, HTTP cache and visited links at once (the next flow shows Tiki's login again) and leaves a
marker; the whole storage directory (local storage and IndexedDB too, which QtWebEngine cannot
clear) is deleted before the profile is next opened, in a later run. A profile not opened in this
run is deleted at once.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineProfileBuilder

from tiki_gui.storage.paths import DATA_DIR_ENV, data_dir

__all__ = [
    "DATA_DIR_ENV",
    "data_dir",
    "persistent_profile",
    "sign_out",
    "storage_name_for",
    "storage_path",
]

_log = logging.getLogger(__name__)

_profiles: dict[Path, QWebEngineProfile] = {}

SIGNED_OUT_MARKER = "signed-out"
"""A file in a storage directory whose profile was signed out while in use: the directory is
deleted before the profile is opened again."""


def storage_name_for(profile_name: str) -> str:
    """The QtWebEngine storage name of an app profile: ``tiki-`` and 16 hex digits of SHA-256."""
    digest = hashlib.sha256(profile_name.encode("utf-8")).hexdigest()[:16]
    return f"tiki-{digest}"


def storage_path(storage_name: str) -> Path:
    """Where a persistent profile keeps cookies, local storage and its HTTP cache."""
    return data_dir() / "browser" / storage_name


def persistent_profile(storage_name: str) -> QWebEngineProfile:
    """The persistent profile for ``storage_name`` (made at the first call, then reused)."""
    path = storage_path(storage_name)
    profile = _profiles.get(path)
    if profile is not None:
        return profile
    if (path / SIGNED_OUT_MARKER).exists():
        shutil.rmtree(path, ignore_errors=True)  # signed out in an earlier run: start afresh
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
    """Forget the remembered login of ``storage_name``.

    Not opened in this run: its storage directory is deleted now. Opened (a live profile): its
    cookies, HTTP cache and visited links are cleared now, so the next flow shows the login page,
    and the directory is deleted before the profile is opened in a later run (see the module
    docstring for why a live profile is not released).
    """
    path = storage_path(storage_name)
    profile = _profiles.get(path)
    if profile is None:
        _remove_storage(path)
        return
    profile.cookieStore().deleteAllCookies()
    profile.clearHttpCache()
    profile.clearAllVisitedLinks()
    (path / SIGNED_OUT_MARKER).touch()
    _log.info("browser profile %s signed out; its folder goes at its next opening", storage_name)


def _remove_storage(path: Path) -> None:
    """Delete the storage folder of a profile that is not open in this process."""
    shutil.rmtree(path, ignore_errors=True)
    _log.info("browser storage %s deleted", path.name)
