"""The profiles: which one the form shows, saving it, and rename/duplicate/delete/import/export.

A :class:`ProfilesController` owns the profile bar and the state of the current profile: its name
(the form edits every other field), the :class:`~tiki_gui.storage.Profile` last saved (None until
it can be kept), and whether the keyring answers. The settings file is written on the GUI thread
(small and local); the keyring only on the window's keyring
:class:`~tiki_gui.ui.shared.jobs.JobRunner`, one operation at a time (:class:`ProfileJobs`). Form
edits are saved 500 ms after the last change, on switch, before a sign-in and on quit; the client
secret goes to the keyring only (with no usable keyring, nowhere: the bar's notice says so). It
tells the window what happened (``opened``, ``keyring_changed``, ``busy_changed``, ``message``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tiki_gui.core.errors import TikiGuiError, ValidationError
from tiki_gui.storage import (
    SANDBOX_PROFILE_NAME,
    KeyringUnavailableError,
    Profile,
    ProfileExistsError,
    ProfileStore,
)
from tiki_gui.storage.drafts import DraftStore
from tiki_gui.storage.profiles import ProfileWithSecret, validate_profile_name
from tiki_gui.ui.profiles.form_draft import FormDrafts
from tiki_gui.ui.profiles.profile_bar import ProfileBar
from tiki_gui.ui.profiles.profile_jobs import ProfileJobs
from tiki_gui.ui.profiles.ui_state import read_last_profile, write_last_profile
from tiki_gui.ui.shared.jobs import JobRunner
from tiki_gui.ui.shared.storage_text import storage_text

if TYPE_CHECKING:
    from tiki_gui.ui.signin.credentials_form import CredentialsForm

__all__ = ["DEFAULT_PROFILE_NAME", "ProfilesController"]

_log = logging.getLogger(__name__)

DEFAULT_PROFILE_NAME = "My Tiki app"
SAVE_DELAY_MS = 500


class ProfilesController(QObject):
    """The current profile of one window, kept in step with the form; see the module."""

    opened = Signal(str, object)  # name, the saved Profile or None (a new profile)
    keyring_changed = Signal(bool)  # whether the keyring answers
    busy_changed = Signal(bool)  # a rename/duplicate/delete/import runs on the keyring worker
    message = Signal(str)  # something for the status bar
    profile_job_finished = Signal(str)  # a rename/duplicate/delete/import came back (its message)

    def __init__(
        self, store: ProfileStore, form: CredentialsForm, keyring: JobRunner, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.form = form
        self.bar = ProfileBar()
        self.keyring_ok: bool | None = None  # None until the first keyring answer
        self.last_message = ""
        self._keyring = keyring
        self._current = ""
        self._profile: Profile | None = None  # as last saved or loaded (checked)
        self._saved: Profile | None = None  # the form's profile as last saved or loaded
        self._saved_secret = ""  # the client secret as last saved or loaded
        self._generation = 0  # bumped at every switch: late keyring answers are dropped
        self._flow_running = False
        self._closed = False
        self.drafts = FormDrafts(DraftStore(self._settings_dir))
        self.jobs = ProfileJobs(keyring, self)
        self.jobs.message.connect(self._say)
        self.jobs.keyring_gone.connect(lambda: self.set_keyring_ok(False))
        self.jobs.busy_changed.connect(self._on_jobs_busy)
        self.jobs.finished.connect(lambda: self.profile_job_finished.emit(self.last_message))
        self._save_timer = QTimer(self)
        self._save_timer.setObjectName("profile_save")
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        form.config_changed.connect(self._on_config_changed)
        self.bar.profile_selected.connect(self.switch_profile)
        self.bar.new_requested.connect(self._guarded(self.create_profile))
        self.bar.rename_requested.connect(self._guarded(self.rename_profile))
        self.bar.duplicate_requested.connect(self._guarded(self.duplicate_profile))
        self.bar.delete_requested.connect(self._guarded(self.delete_profile))
        self.bar.import_requested.connect(self._guarded(self.import_profile))
        self.bar.export_requested.connect(self._guarded(self.export_profile))

    def start(self) -> None:
        """Open the sandbox, the last used or a new profile; load its secret on the worker."""
        try:
            names = self.store.names()
        except TikiGuiError as exc:
            self._say(str(exc))
            names = []
        if self.store.sandbox is not None:
            initial = SANDBOX_PROFILE_NAME
        else:
            last = read_last_profile(self._settings_dir)
            names += self.drafts.unsaved_names(names)
            initial = last if last in names else (names[0] if names else DEFAULT_PROFILE_NAME)
        self._open(initial)

    @property
    def _settings_dir(self) -> Path:
        return self.store.path.parent

    # -- the current profile ---------------------------------------------------------------------

    @property
    def current(self) -> str:
        return self._current

    @property
    def profile(self) -> Profile | None:
        """The current profile as saved (None while it cannot be one yet)."""
        return self._profile

    def is_stored(self, name: str | None = None) -> bool:
        try:
            return self.store.exists(name or self._current)
        except TikiGuiError:
            return False

    def _names(self) -> list[str]:
        try:
            names = self.store.names()
        except TikiGuiError:
            names = []
        names += self.drafts.unsaved_names(names)  # not saved yet, but typed in before
        if self._current and self._current not in names:
            names.append(self._current)  # a new profile not saved yet (no client ID yet)
        return names

    def _open(self, name: str, new: ProfileWithSecret | None = None) -> None:
        """Show ``name`` in the form (``new``'s fields for a new one) and load its secret."""
        self._generation += 1
        self._current = name
        profile = self.store.get(name) if new is None and self.is_stored(name) else None
        shown, secret = new or ProfileWithSecret(), ""
        if profile is not None:
            if profile.is_sandbox:
                secret = self.store.client_secret(name) or ""  # in memory, no keyring
            shown = ProfileWithSecret(profile, secret)
        self._profile = profile
        self.form.set_value(shown)
        self._saved = self.form.profile() if profile is not None else None
        self._saved_secret = secret
        drafted = None if new is not None else self.drafts.restore(name, self.form.profile())
        if drafted is not None:  # typed before the app stopped: back in the form, saved soon
            self.form.set_value(ProfileWithSecret(drafted, self.form.secret()))
        self.bar.set_profiles(self._names(), name)
        if profile is not None and not profile.is_sandbox:
            write_last_profile(self._settings_dir, name)
        self._load_secret(name, stored=profile is not None)
        self.opened.emit(name, profile)

    def _load_secret(self, name: str, *, stored: bool) -> None:
        generation = self._generation
        sandbox = name == SANDBOX_PROFILE_NAME
        store = self.store

        def load() -> tuple[bool, str]:
            # The keyring store is made here, on the worker, after the first paint (issue 11).
            if not store.secrets.available():
                return False, ""
            return True, "" if sandbox or not stored else self.store.client_secret(name) or ""

        def loaded(answer: tuple[bool, str]) -> None:
            ok, secret = answer
            if generation != self._generation:
                return
            self.set_keyring_ok(ok)
            if secret and not self.form.secret():
                self.form.set_secret(secret)
                self._saved_secret = secret

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.set_keyring_ok(not isinstance(error, KeyringUnavailableError))
                self._say(storage_text(error))

        self._keyring.submit(load, loaded, failed)

    @Slot(bool)
    def set_keyring_ok(self, ok: bool) -> None:
        """Whether the keyring answers (False also when another part found it gone)."""
        if not ok:
            self.bar.notice.show_problem()
        if ok != self.keyring_ok:
            self.keyring_ok = ok
            self.keyring_changed.emit(ok)

    # -- saving ----------------------------------------------------------------------------------

    @Slot()
    def _on_config_changed(self) -> None:
        if not self._closed:
            self._save_timer.start()

    @Slot()
    def save_now(self) -> bool:
        """Save the form to the current profile now; False if it cannot be a profile yet.
        What is not saved in the profile stays in the profile's draft (secret excepted)."""
        saved = self._save_profile()
        if not self.jobs.busy:
            self.drafts.keep(self._current, self.form.profile(), self._saved)
        return saved

    def _save_profile(self) -> bool:
        self._save_timer.stop()
        name, profile, secret = self._current, self.form.profile(), self.form.secret()
        unchanged = profile == self._saved and secret == self._saved_secret
        if self.jobs.busy:
            return unchanged  # the profile is being renamed/deleted: not now
        if not name or name == SANDBOX_PROFILE_NAME or unchanged:
            return unchanged
        if profile != self._saved:
            try:
                self._profile = self.store.save(dataclasses.replace(profile, name=name))
            except (ValidationError, TikiGuiError, OSError) as exc:
                _log.debug("profile not saved yet: %s", type(exc).__name__)
                return False
            self._saved = profile
            write_last_profile(self._settings_dir, name)
        if secret != self._saved_secret and self.keyring_ok is not False:
            self._saved_secret = secret
            self._keyring.submit(
                lambda: self.store.set_client_secret(name, secret), None, self._on_keyring_error
            )
        return True

    def sign_in_value(self) -> tuple[ProfileWithSecret, bool]:
        """Save the form now; its value as the current profile (named), and whether that profile
        is stored (its tokens can be filed under it)."""
        self.save_now()
        value = self.form.value()
        named = dataclasses.replace(value.profile, name=self._current)
        return dataclasses.replace(value, profile=named), self._profile is not None

    def _on_keyring_error(self, error: Exception) -> None:
        if isinstance(error, KeyringUnavailableError):
            self.set_keyring_ok(False)
        self._say(storage_text(error))

    def set_flow_running(self, running: bool) -> None:
        """A sign-in started or ended: the bar cannot switch profiles meanwhile."""
        self._flow_running = running
        self.bar.set_busy(running or self.busy)

    # -- profile operations (also called by tests with arguments) --------------------------------

    def _guarded(self, operation: Callable[..., None]) -> Callable[..., None]:
        """``operation`` for a signal of the bar: a refusal is said in the status bar."""

        def run(*values: str) -> None:
            try:
                operation(*values)
            except (TikiGuiError, OSError) as exc:
                self._say(storage_text(exc))

        return run

    @Slot(str)
    def switch_profile(self, name: str) -> None:
        if name == self._current or not name:
            return
        self.save_now()
        self._open(name)

    def create_profile(self, name: str, value: ProfileWithSecret | None = None) -> None:
        """A new profile called ``name`` (empty, or ``value``'s fields and secret); saved once it
        can be kept (a client ID, usable URLs)."""
        validate_profile_name(name)
        if name == SANDBOX_PROFILE_NAME or name in self._names():
            raise ProfileExistsError(name)
        self.save_now()
        self._open(name, value or ProfileWithSecret())
        self.save_now()

    def rename_profile(self, new_name: str) -> None:
        """Rename the current profile; its secret and tokens move in the keyring (on a worker)."""
        self.save_now()
        old = self._current
        validate_profile_name(new_name)
        if not self.is_stored(old):
            self.drafts.store.rename(old, new_name)
            self._current = new_name
            self.bar.set_profiles(self._names(), new_name)
            self.save_now()
            return

        def done(_: Profile) -> None:
            self.drafts.store.rename(old, new_name)
            self._open(new_name)
            self._say(self.tr("Renamed '{old}' to '{new}'.").format(old=old, new=new_name))

        self.jobs.run(self.tr("rename the profile"), lambda: self.store.rename(old, new_name), done)

    def duplicate_profile(self, new_name: str) -> None:
        """Copy the current profile (with its client secret, without tokens) and open the copy."""
        if not self.save_now() and not self.is_stored():
            raise ValidationError(self.tr("Fill in the client ID before duplicating this profile."))
        validate_profile_name(new_name)
        name = self._current

        def done(_: Profile) -> None:
            self._open(new_name)
            self._say(
                self.tr("Duplicated '{name}' as '{new}' (tokens are not copied).").format(
                    name=name, new=new_name
                )
            )

        self.jobs.run(
            self.tr("duplicate the profile"), lambda: self.store.duplicate(name, new_name), done
        )

    def delete_profile(self) -> None:
        """Delete the current profile and its keyring entries, then open another one."""
        name = self._current

        def done(_: None) -> None:
            self.drafts.store.discard(name)
            self._saved = None
            self._current = ""
            names = self._names()
            self._open(names[0] if names else DEFAULT_PROFILE_NAME)
            self._say(self.tr("Deleted '{name}' and its keyring entries.").format(name=name))

        if not self.is_stored(name):
            done(None)  # never saved: nothing in the file or the keyring
            return
        self.jobs.run(self.tr("delete the profile"), lambda: self.store.delete(name), done)

    def import_profile(self, path: str) -> None:
        """Add the profile exported to ``path`` and open it (enter its secret afterwards)."""
        self.save_now()

        def load() -> str:
            return self.store.import_json(Path(path).read_text(encoding="utf-8")).name

        def done(name: str) -> None:
            self._open(name)
            self._say(self.tr("Imported '{name}': enter its client secret.").format(name=name))

        self.jobs.run(self.tr("import the profile"), load, done)

    def export_profile(self, path: str) -> None:
        """Write the current profile to ``path`` as JSON, without the client secret."""
        self.save_now()
        if not self.is_stored():
            raise ValidationError(self.tr("Fill in the client ID before exporting this profile."))
        Path(path).write_text(self.store.export_json(self._current), encoding="utf-8")
        self._say(
            self.tr("Exported '{name}' (without the client secret).").format(name=self._current)
        )

    @property
    def busy(self) -> bool:
        """True while a rename, duplicate, delete or import runs on the keyring worker."""
        return self.jobs.busy

    @Slot(bool)
    def _on_jobs_busy(self, busy: bool) -> None:
        # The window disables the form and the stored tokens meanwhile (``busy_changed``).
        if busy:
            self._save_timer.stop()
        self.bar.set_busy(busy or self._flow_running)
        self.bar.export.setEnabled(not busy)
        self.busy_changed.emit(busy)

    # -- messages and shutdown -------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    def close(self) -> None:
        """Save the form and stop saving (the window closes the keyring worker after)."""
        if self._closed:
            return
        self.save_now()
        self._closed = True
        self._save_timer.stop()
