"""Profiles and stored tokens wired into the main window.

The :class:`ProfileSession` owns the profile bar (top tool bar), the token manager (a dock) and
the storage behind them: :class:`~tiki_gui.storage.ProfileStore` (settings file, written on the
GUI thread: small and local) and the keyring (:class:`~tiki_gui.storage.TokenVault`), reached
only from worker threads (:class:`StorageJobs`) for secrets, tokens and network calls: the first
keyring call can take half a second. Form edits are saved to the current profile 500 ms after the
last change, on switch and on quit; the client secret goes to the keyring only. When no keyring
is usable the keyring notice says so and nothing secret is stored anywhere. The sellers' tokens
(filing a flow's token, refresh, check, forget) are handled by
:class:`~tiki_gui.ui.seller_tokens.SellerTokens`, which the session owns.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

from tiki_gui.core.errors import TikiGuiError, ValidationError
from tiki_gui.core.options import Grant
from tiki_gui.storage import (
    SANDBOX_PROFILE_NAME,
    KeyringUnavailableError,
    ProfileExistsError,
    ProfileStore,
    SellerRecord,
    TokenVault,
)
from tiki_gui.storage.profiles import validate_profile_name
from tiki_gui.ui.background import SharedHttp
from tiki_gui.ui.client_config import ClientConfig
from tiki_gui.ui.profile_bar import ProfileBar
from tiki_gui.ui.profile_config import config_from_profile, profile_from_config
from tiki_gui.ui.refresher import AutoRefresher, RefreshPolicy
from tiki_gui.ui.seller_tokens import SellerTokens, storage_text
from tiki_gui.ui.storage_jobs import StorageJobs
from tiki_gui.ui.token_manager import TokenManager
from tiki_gui.ui.ui_state import read_last_profile, write_last_profile

if TYPE_CHECKING:
    from tiki_gui.core.tokens import TokenSet
    from tiki_gui.ui.credentials_form import CredentialsForm
    from tiki_gui.ui.flow import AuthorizationFlow, FlowState

__all__ = ["DEFAULT_PROFILE_NAME", "ProfileSession"]

_log = logging.getLogger(__name__)

DEFAULT_PROFILE_NAME = "My Tiki app"
SAVE_DELAY_MS = 500


class ProfileSession(QObject):
    """Profiles, the keyring and the token manager for one main window."""

    opened = Signal(str)  # the profile now shown in the form
    loaded = Signal()  # a profile's secret and sellers came back from the keyring
    sellers_changed = Signal()
    message = Signal(str)  # something for the status bar
    profile_job_finished = Signal(str)  # a rename/duplicate/delete/import came back (its message)

    def __init__(
        self,
        store: ProfileStore,
        form: CredentialsForm,
        flow: AuthorizationFlow,
        *,
        http: SharedHttp,
        policy: RefreshPolicy | None = None,
        parent: QMainWindow,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.vault = TokenVault(store)
        self.form = form
        self.flow = flow
        self.window = parent
        self.keyring_ok: bool | None = None  # None until the first keyring answer
        self.last_message = ""
        self._keyring = StorageJobs("keyring", threads=1, parent=self)
        self._network = StorageJobs("token_manager", threads=2, http=http, parent=self)
        self.bar = ProfileBar()
        self.manager = TokenManager()
        self.manager.set_actions_enabled(False)
        self.refresher = AutoRefresher(policy, parent=self)
        self.sellers = SellerTokens(
            vault=self.vault,
            manager=self.manager,
            refresher=self.refresher,
            keyring=self._keyring,
            network=self._network,
            profile=lambda: self._current,
            generation=lambda: self._generation,
            keyring_ok=lambda: self.keyring_ok,
            keyring_lost=lambda: self._set_keyring_ok(False),
            show_records=self._show_records,
            message=self._say,
            parent=self,
        )
        self._current = ""
        self._saved: ClientConfig | None = None
        self._saved_secret = ""
        self._generation = 0  # bumped at every profile switch: late answers are dropped
        self._flow_running = False
        self._flow_profile = ""
        self._profile_job: str | None = None  # what runs on the keyring worker, if anything
        self._closed = False
        self._save_timer = QTimer(self)
        self._save_timer.setObjectName("profile_save")
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        self._install()
        self._connect()

    # -- construction ----------------------------------------------------------------------------

    def _install(self) -> None:
        toolbar = QToolBar("Profile", self.window)
        toolbar.setObjectName("profile_toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.addWidget(self.bar)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        dock = QDockWidget("Stored tokens", self.window)
        dock.setObjectName("token_manager_dock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(self.manager)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        # A few rows by default: the form and the tokens come first; the user can drag it taller.
        self.window.resizeDocks([dock], [180], Qt.Orientation.Vertical)
        self.dock = dock

    def _connect(self) -> None:
        self.form.config_changed.connect(self._on_config_changed)
        self.flow.state_changed.connect(self._on_flow_state_changed)
        self.flow.succeeded.connect(self._on_flow_succeeded)
        self.bar.profile_selected.connect(self.switch_profile)
        self.bar.new_requested.connect(self._on_new_requested)
        self.bar.rename_requested.connect(self._guarded(self.rename_profile))
        self.bar.duplicate_requested.connect(self._guarded(self.duplicate_profile))
        self.bar.delete_requested.connect(self._on_delete_requested)
        self.bar.import_requested.connect(self._guarded(self.import_profile))
        self.bar.export_requested.connect(self._guarded(self.export_profile))
        self.manager.reauthorize_requested.connect(self._on_reauthorize_requested)
        self.sellers.changed.connect(self.sellers_changed)
        self.message.connect(self._on_message)

    def start(self) -> None:
        """Open the sandbox, the last used or a new profile; load its secrets on a worker."""
        try:
            names = self.store.names()
        except TikiGuiError as exc:
            self._say(str(exc))
            names = []
        if self.store.sandbox is not None:
            initial = SANDBOX_PROFILE_NAME
            self._keyring.submit(lambda: self.vault.forget_all(SANDBOX_PROFILE_NAME))
        else:
            last = read_last_profile(self._settings_dir)
            initial = last if last in names else (names[0] if names else DEFAULT_PROFILE_NAME)
        self._open(initial)
        self.refresher.start()

    @property
    def _settings_dir(self) -> Path:
        return self.store.path.parent

    # -- the current profile -----------------------------------------------------------------

    @property
    def current(self) -> str:
        return self._current

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
        if self._current and self._current not in names:
            names.append(self._current)  # a new profile not saved yet (no client ID yet)
        return names

    def _open(self, name: str, config: ClientConfig | None = None) -> None:
        """Show ``name`` in the form (``config`` for a new one) and load its keyring entries."""
        self._generation += 1
        self._current = name
        secret = ""
        if config is None:
            config = ClientConfig()
            if self.is_stored(name):
                profile = self.store.get(name)
                if profile.is_sandbox:
                    secret = self.store.client_secret(name) or ""  # in memory, no keyring
                config = config_from_profile(profile, secret)
        self._set_form(config)
        self._saved = self.form.config() if self.is_stored(name) else None
        self._saved_secret = secret
        self.bar.set_profiles(self._names(), name)
        self.manager.set_records([])
        self.manager.set_actions_enabled(False)
        self.manager.show_result("")
        self.refresher.reset()
        if name != SANDBOX_PROFILE_NAME and self.is_stored(name):
            write_last_profile(self._settings_dir, name)
        self.opened.emit(name)
        self._load_keyring(name)

    def _set_form(self, config: ClientConfig) -> None:
        self.form.set_config(config)

    def _load_keyring(self, name: str) -> None:
        generation = self._generation
        stored = self.is_stored(name)
        sandbox = name == SANDBOX_PROFILE_NAME

        def load() -> tuple[bool, str, list[SellerRecord]]:
            if not self.vault.secrets.available():
                return False, "", []
            secret = "" if sandbox or not stored else self.store.client_secret(name) or ""
            return True, secret, self.vault.sellers(name) if stored else []

        def done(outcome: object) -> None:
            if generation != self._generation:
                return
            if isinstance(outcome, BaseException):
                self._set_keyring_ok(isinstance(outcome, KeyringUnavailableError) is False)
                self._say(storage_text(outcome))
                self.loaded.emit()
                return
            ok, secret, records = cast(tuple[bool, str, list[SellerRecord]], outcome)
            self._set_keyring_ok(bool(ok))
            if secret and not self.form.config().client_secret:
                self._set_form(dataclasses.replace(self.form.config(), client_secret=secret))
                self._saved = self.form.config()
                self._saved_secret = secret
            self._show_records(list(records))
            self.loaded.emit()

        self._keyring.submit(load, done)

    def _set_keyring_ok(self, ok: bool) -> None:
        self.keyring_ok = ok
        if not ok:
            self.bar.notice.show_problem()
        self.manager.set_actions_enabled(ok)

    def _show_records(self, records: list[SellerRecord]) -> None:
        grant = Grant.AUTHORIZATION_CODE
        if self.is_stored():
            grant = self.store.get(self._current).grant
        self.manager.set_records(records)
        self.refresher.set_records(records, grant)
        self.sellers_changed.emit()

    # -- saving ----------------------------------------------------------------------------------

    @Slot()
    def _on_config_changed(self) -> None:
        if not self._closed:
            self._save_timer.start()

    @Slot()
    def save_now(self) -> bool:
        """Save the form to the current profile now; False if it cannot be a profile yet."""
        self._save_timer.stop()
        name = self._current
        config = self.form.config()
        if self._profile_job is not None:
            return config == self._saved  # the profile is being renamed/deleted: not now
        if not name or name == SANDBOX_PROFILE_NAME or config == self._saved:
            return config == self._saved
        try:
            profile = profile_from_config(name, config)
            self.store.save(profile)
        except (ValidationError, TikiGuiError, OSError) as exc:
            _log.debug("profile not saved yet: %s", type(exc).__name__)
            return False
        self._saved = config
        write_last_profile(self._settings_dir, name)
        if config.client_secret != self._saved_secret and self.keyring_ok is not False:
            secret = config.client_secret
            self._saved_secret = secret
            self._keyring.submit(
                lambda: self.store.set_client_secret(name, secret), self._on_secret_saved
            )
        return True

    def _on_secret_saved(self, outcome: object) -> None:
        if isinstance(outcome, KeyringUnavailableError):
            self._set_keyring_ok(False)
        if isinstance(outcome, BaseException):
            self._say(storage_text(outcome))

    # -- profile operations (also called by tests with arguments) -----------------------------

    def _guarded(self, operation: Callable[[str], None]) -> Callable[[str], None]:
        def run(value: str) -> None:
            try:
                operation(value)
            except (TikiGuiError, OSError) as exc:
                self._say(storage_text(exc))

        return run

    @Slot(str)
    def switch_profile(self, name: str) -> None:
        if name == self._current or not name:
            return
        self.save_now()
        self._open(name)

    def create_profile(self, name: str, config: ClientConfig | None = None) -> None:
        """A new profile called ``name`` (empty, or ``config``); saved once it has a client ID."""
        validate_profile_name(name)
        if name == SANDBOX_PROFILE_NAME or name in self._names():
            raise ProfileExistsError(name)
        self.save_now()
        self._open(name, config or ClientConfig())
        self.save_now()

    def rename_profile(self, new_name: str) -> None:
        """Rename the current profile; its secret and tokens move in the keyring (on a worker)."""
        self.save_now()
        old = self._current
        validate_profile_name(new_name)
        if not self.is_stored(old):
            self._current = new_name
            self.bar.set_profiles(self._names(), new_name)
            self.save_now()
            return

        def done(value: object) -> None:
            self._open(new_name)
            self._say(f"Renamed {old!r} to {new_name!r}.")

        self._run_profile_job("rename the profile", lambda: self.store.rename(old, new_name), done)

    def duplicate_profile(self, new_name: str) -> None:
        """Copy the current profile (with its client secret, without tokens) and open the copy."""
        if not self.save_now() and not self.is_stored():
            raise ValidationError("Fill in the client ID before duplicating this profile.")
        validate_profile_name(new_name)
        name = self._current

        def done(value: object) -> None:
            self._open(new_name)
            self._say(f"Duplicated {name!r} as {new_name!r} (tokens are not copied).")

        self._run_profile_job(
            "duplicate the profile", lambda: self.store.duplicate(name, new_name), done
        )

    def delete_profile(self) -> None:
        """Delete the current profile and its keyring entries, then open another one."""
        name = self._current

        def done(value: object) -> None:
            self._saved = None
            self._current = ""
            names = self._names()
            self._open(names[0] if names else DEFAULT_PROFILE_NAME)
            self._say(f"Deleted {name!r} and its keyring entries.")

        if not self.is_stored(name):
            done(None)  # never saved: nothing in the file or the keyring
            return
        self._run_profile_job("delete the profile", lambda: self.store.delete(name), done)

    def import_profile(self, path: str) -> None:
        """Add the profile exported to ``path`` and open it (enter its secret afterwards)."""
        self.save_now()

        def load() -> str:
            text = Path(path).read_text(encoding="utf-8")
            return self.store.import_json(text).name

        def done(value: object) -> None:
            name = cast(str, value)
            self._open(name)
            self._say(f"Imported {name!r}: enter its client secret.")

        self._run_profile_job("import the profile", load, done)

    @property
    def busy(self) -> bool:
        """True while a rename, duplicate, delete or import runs on the keyring worker."""
        return self._profile_job is not None

    def _run_profile_job(
        self, what: str, call: Callable[[], object], on_value: Callable[[object], None]
    ) -> None:
        """Run a profile operation that touches the keyring on the keyring worker.

        The profile bar, the form and the token manager stay disabled until it comes back; then
        ``on_value`` gets the result, or the status bar says why "Could not {what}".
        """
        if self._profile_job is not None:
            raise ValidationError("Wait until the current profile operation has finished.")
        self._save_timer.stop()
        self._profile_job = what
        self._update_busy()
        self._say(f"Working: {what}\u2026")

        def done(outcome: object) -> None:
            self._profile_job = None
            self._update_busy()
            if isinstance(outcome, KeyringUnavailableError):
                self._set_keyring_ok(False)
            if isinstance(outcome, BaseException):
                self._say(f"Could not {what}: {storage_text(outcome)}")
            else:
                try:
                    on_value(outcome)
                except (TikiGuiError, OSError) as exc:
                    self._say(f"Could not {what}: {storage_text(exc)}")
            self.profile_job_finished.emit(self.last_message)

        self._keyring.submit(call, done)

    def _update_busy(self) -> None:
        job = self._profile_job is not None
        self.bar.set_busy(job or self._flow_running)
        self.bar.export.setEnabled(not job)
        self.form.setEnabled(not job)
        self.manager.setEnabled(not job)

    def export_profile(self, path: str) -> None:
        """Write the current profile to ``path`` as JSON, without the client secret."""
        self.save_now()
        if not self.is_stored():
            raise ValidationError("Fill in the client ID before exporting this profile.")
        Path(path).write_text(self.store.export_json(self._current), encoding="utf-8")
        self._say(f"Exported {self._current!r} (without the client secret).")

    @Slot(str)
    def _on_new_requested(self, name: str) -> None:
        self._guarded(self.create_profile)(name)

    @Slot()
    def _on_delete_requested(self) -> None:
        try:
            self.delete_profile()
        except (TikiGuiError, OSError) as exc:
            self._say(storage_text(exc))

    # -- the flow ----------------------------------------------------------------------------

    @Slot(object)
    def _on_flow_state_changed(self, state: FlowState) -> None:
        running = state.running
        if running and not self._flow_running:
            self._flow_profile = self._current
            self.save_now()
        self._flow_running = running
        self._update_busy()

    @Slot(object)
    def _on_flow_succeeded(self, tokens: TokenSet) -> None:
        name = self._flow_profile or self._current
        if self.keyring_ok is False:
            self.manager.show_result("No keyring: this token was not stored (copy it now).")
            return
        self.save_now()
        if not self.is_stored(name):
            self.manager.show_result("The profile is not saved yet, so the token was not stored.")
            return
        self.sellers.file_from_flow(name, tokens)

    @Slot()
    def _on_reauthorize_requested(self) -> None:
        if self.form.authorize.isEnabled():
            self.form.authorize.click()
        else:
            self._say("Fill in the form (client secret included) to authorize again.")

    # -- messages and shutdown ---------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.emit(text)

    @Slot(str)
    def _on_message(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, 8000)

    def close(self) -> None:
        """Save the form, stop the timers, wait for keyring and network jobs, close HTTP."""
        if self._closed:
            return
        self.save_now()
        self._closed = True
        self.refresher.stop()
        self._save_timer.stop()
        self._keyring.close()
        self._network.close()
