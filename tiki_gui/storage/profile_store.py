"""The settings file holding profiles (non-secret fields only), and the operations on profiles.

``profiles.json`` in :func:`~tiki_gui.storage.paths.config_dir`, written atomically (temporary
file in the same directory, then ``os.replace``) with mode 0600. Every operation re-reads the
file, so the app and ``tiki-gui token`` scripts see each other's changes. Client secrets and
tokens go to the :class:`~tiki_gui.storage.secrets.SecretStore` (keyring) only.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from tiki_gui.core.errors import ValidationError
from tiki_gui.storage import locks
from tiki_gui.storage.errors import (
    KeyringUnavailableError,
    ProfileExistsError,
    ProfileNotFoundError,
    ReservedProfileError,
    SettingsFileError,
)
from tiki_gui.storage.files import write_private_text
from tiki_gui.storage.paths import profiles_path
from tiki_gui.storage.profile_json import (
    export_profile_json,
    import_profile_json,
    profile_from_json_dict,
    profile_to_json_dict,
)
from tiki_gui.storage.profiles import SANDBOX_PROFILE_NAME, Profile, validate_profile_name

if TYPE_CHECKING:
    from tiki_gui.storage.secrets import SecretStore

__all__ = ["SETTINGS_FORMAT", "ProfileStore"]

SETTINGS_FORMAT = "tiki-gui-settings"
_SETTINGS_VERSION = 1

_RawProfile = dict[str, object]
_RawProfiles = list[_RawProfile]
_Profiles = list[Profile]


def _reserved(name: str) -> ReservedProfileError:
    return ReservedProfileError(
        f"{name!r} is the built-in sandbox profile; choose another name for your own profiles."
    )


class ProfileStore:
    """Profiles on disk, plus the built-in sandbox profile while one is attached.

    ``path`` defaults to :func:`~tiki_gui.storage.paths.profiles_path` (``TIKI_GUI_CONFIG_DIR``
    overrides the directory). ``secrets`` defaults to a :class:`SecretStore` on the "tiki-gui"
    keyring service; rename, duplicate and delete move, copy and delete its entries. That default
    is made at its first use: reading the settings file needs no keyring module (issue 11).
    """

    def __init__(self, path: Path | None = None, secrets: SecretStore | None = None) -> None:
        self._path = path if path is not None else profiles_path()
        self._secrets = secrets
        self._secrets_made = threading.Lock()  # the keyring worker and the GUI thread may race
        self._sandbox: Profile | None = None
        self._sandbox_secret: str | None = None

    @property
    def path(self) -> Path:
        """The settings file."""
        return self._path

    @property
    def secrets(self) -> SecretStore:
        """The keyring store used for client secrets and tokens."""
        if self._secrets is None:
            with self._secrets_made:
                if self._secrets is None:
                    from tiki_gui.storage.secrets import SecretStore

                    self._secrets = SecretStore()
        return self._secrets

    # -- the sandbox profile ---------------------------------------------------------------------

    def attach_sandbox(self, profile: Profile, client_secret: str) -> None:
        """Make the built-in sandbox profile (from :func:`sandbox_profile`) available.

        It lives in memory only (its endpoints change with the sandbox's port), and so does its
        client secret: the sandbox demo client's public secret.
        """
        if profile.name != SANDBOX_PROFILE_NAME:
            raise ValidationError(f"The sandbox profile must be named {SANDBOX_PROFILE_NAME!r}.")
        self._sandbox = profile.checked()
        self._sandbox_secret = client_secret

    def detach_sandbox(self) -> None:
        """Forget the sandbox profile (the sandbox server stopped)."""
        self._sandbox = None
        self._sandbox_secret = None

    @property
    def sandbox(self) -> Profile | None:
        """The attached sandbox profile, if any."""
        return self._sandbox

    # -- reading -------------------------------------------------------------------------------

    def _read_raw(self) -> _RawProfiles:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise SettingsFileError(
                f"The settings file {str(self._path)!r} cannot be read ({exc.strerror})."
            ) from None
        try:
            document = json.loads(text)
        except ValueError:
            raise SettingsFileError(
                f"The settings file {str(self._path)!r} is not valid JSON; fix or move it away."
            ) from None
        entries = document.get("profiles") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise SettingsFileError(
                f"The settings file {str(self._path)!r} has no list of profiles; fix or move it."
            )
        return [entry for entry in entries if isinstance(entry, dict)]

    def _parsed(self, raw: _RawProfiles) -> Iterator[Profile]:
        for entry in raw:
            # An entry this version cannot use is skipped here but kept in the file.
            with suppress(ValidationError):
                profile = profile_from_json_dict(entry)
                if profile.name != SANDBOX_PROFILE_NAME:
                    yield profile

    def list(self) -> _Profiles:
        """The sandbox profile (if attached) first, then the stored profiles in file order."""
        stored = list(self._parsed(self._read_raw()))
        return [self._sandbox, *stored] if self._sandbox is not None else stored

    def names(self) -> builtins.list[str]:
        """Names of :meth:`list`."""
        return [profile.name for profile in self.list()]

    def exists(self, name: str) -> bool:
        return any(profile.name == name for profile in self.list())

    def get(self, name: str) -> Profile:
        """The profile called ``name``; raises :class:`ProfileNotFoundError`."""
        for profile in self.list():
            if profile.name == name:
                return profile
        raise ProfileNotFoundError(name)

    # -- writing -------------------------------------------------------------------------------

    def _write_raw(self, raw: _RawProfiles) -> None:
        document = {"format": SETTINGS_FORMAT, "version": _SETTINGS_VERSION, "profiles": raw}
        write_private_text(self._path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    def _index_of(self, raw: _RawProfiles, name: str) -> int | None:
        for index, entry in enumerate(raw):
            if entry.get("name") == name:
                return index
        return None

    def save(self, profile: Profile, *, overwrite: bool = True) -> Profile:
        """Create or (if ``overwrite``) replace the profile of that name; returns it as kept
        (:meth:`Profile.checked`: ValidationError if it cannot be kept). Never writes a secret."""
        profile = profile.checked()
        if profile.name == SANDBOX_PROFILE_NAME:
            raise _reserved(profile.name)
        with locks.held(self._path.as_posix(), "settings"):
            raw = self._read_raw()
            index = self._index_of(raw, profile.name)
            entry = profile_to_json_dict(profile)
            if index is None:
                raw.append(entry)
            elif overwrite:
                raw[index] = entry
            else:
                raise ProfileExistsError(profile.name)
            self._write_raw(raw)
        return profile

    def _keyring_step(self, step: Callable[[], None]) -> None:
        """Run a keyring step; its failure is tolerated only when no keyring exists at all
        (then nothing can be stored in it); otherwise the operation stops before the file."""
        try:
            step()
        except KeyringUnavailableError:
            if self.secrets.has_backend():
                raise

    def _check_new_name(self, new_name: str) -> None:
        validate_profile_name(new_name)
        if new_name == SANDBOX_PROFILE_NAME:
            raise _reserved(new_name)
        if self.exists(new_name):
            raise ProfileExistsError(new_name)

    def rename(self, old_name: str, new_name: str) -> Profile:
        """Rename a stored profile; its client secret and tokens move with it in the keyring."""
        if old_name == SANDBOX_PROFILE_NAME:
            raise _reserved(old_name)
        profile = self.get(old_name)
        if new_name == old_name:
            return profile
        self._check_new_name(new_name)
        renamed = dataclasses.replace(profile, name=new_name)
        with locks.held(self._path.as_posix(), "settings"):
            self._keyring_step(lambda: self.secrets.move_profile(old_name, new_name))
            raw = self._read_raw()
            index = self._index_of(raw, old_name)
            if index is None:
                raise ProfileNotFoundError(old_name)
            raw[index] = profile_to_json_dict(renamed)
            self._write_raw(raw)
        return renamed

    def duplicate(self, name: str, new_name: str) -> Profile:
        """Copy a profile (the sandbox one too) under ``new_name``: secret copied, tokens not."""
        profile = self.get(name)
        self._check_new_name(new_name)
        copy = dataclasses.replace(profile, name=new_name)
        secret = self.client_secret(name) if profile.is_sandbox else None
        with locks.held(self._path.as_posix(), "settings"):
            if profile.is_sandbox:
                self._keyring_step(lambda: self.secrets.delete_profile(new_name))
                if secret:
                    self._keyring_step(lambda: self.secrets.set_client_secret(new_name, secret))
            else:
                self._keyring_step(
                    lambda: self.secrets.copy_profile(name, new_name, include_tokens=False)
                )
            raw = self._read_raw()
            raw.append(profile_to_json_dict(copy))
            self._write_raw(raw)
        return copy

    def delete(self, name: str) -> None:
        """Delete a stored profile and its keyring entries (client secret, every token)."""
        if name == SANDBOX_PROFILE_NAME:
            raise _reserved(name)
        self.get(name)
        with locks.held(self._path.as_posix(), "settings"):
            self._keyring_step(lambda: self.secrets.delete_profile(name))
            raw = self._read_raw()
            self._write_raw([entry for entry in raw if entry.get("name") != name])

    # -- import / export -----------------------------------------------------------------------

    def export_json(self, name: str) -> str:
        """The profile as a JSON document for another machine; never contains the secret."""
        return export_profile_json(self.get(name))

    def import_json(self, text: str, *, name: str | None = None) -> Profile:
        """Add the profile described by ``text`` (optionally under another ``name``).

        Raises :class:`ValidationError` for a document that is not a profile and
        :class:`ProfileExistsError` if the name is taken. Only known non-secret fields are read.
        """
        profile = import_profile_json(text)
        if name is not None:
            profile = dataclasses.replace(profile, name=name)
        self._check_new_name(profile.name)
        return self.save(profile, overwrite=False)

    # -- the client secret ---------------------------------------------------------------------

    def client_secret(self, name: str) -> str | None:
        """The profile's client secret (keyring; the sandbox's from memory), or None."""
        if self._sandbox is not None and name == SANDBOX_PROFILE_NAME:
            return self._sandbox_secret
        return self.secrets.get_client_secret(name)

    def set_client_secret(self, name: str, secret: str) -> None:
        """Store the profile's client secret in the keyring (an empty one deletes it)."""
        if name == SANDBOX_PROFILE_NAME:
            raise _reserved(name)
        self.get(name)
        self.secrets.set_client_secret(name, secret)
