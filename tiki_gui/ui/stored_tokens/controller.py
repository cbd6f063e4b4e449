"""The sellers' stored tokens of the current profile, behind the stored-tokens list.

A :class:`StoredTokensController` owns the
:class:`~tiki_gui.ui.stored_tokens.list_panel.TokenManager` widget, the
:class:`~tiki_gui.ui.stored_tokens.auto_refresh.AutoRefresher` and the token vault. It lists the
profile's sellers when the window tells it which profile is open (:meth:`show_profile`), files a
finished sign-in's tokens under the seller sellers/me names (:meth:`store_from_flow`: the flow's
result carries the profile, so nothing is looked up again), refreshes tokens by hand and when the
refresher says so (with its retry and backoff), checks them with sellers/me and forgets them.
Keyring work runs on the window's keyring :class:`~tiki_gui.ui.shared.jobs.JobRunner`, network work
on this controller's own runner; answers for a profile no longer open are dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal, Slot

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.options import Grant
from tiki_gui.core.shared_http import SharedHttp
from tiki_gui.storage import (
    SANDBOX_PROFILE_NAME,
    KeyringUnavailableError,
    Profile,
    ProfileStore,
    ReauthorizationRequiredError,
    SellerRecord,
    TokenNotSavedError,
    TokenVault,
)
from tiki_gui.ui.shared.after_paint import after_paint
from tiki_gui.ui.shared.jobs import JobRunner
from tiki_gui.ui.shared.storage_text import storage_text
from tiki_gui.ui.stored_tokens.auto_refresh import AutoRefresher, RefreshPolicy
from tiki_gui.ui.stored_tokens.list_panel import TokenManager

if TYPE_CHECKING:
    from tiki_gui.core.seller import Seller
    from tiki_gui.ui.signin.flow import FlowResult

__all__ = ["StoredTokensController"]

T = TypeVar("T")


class StoredTokensController(QObject):
    """File, list, refresh, check and forget the sellers' tokens of the current profile."""

    loaded = Signal()  # the open profile's sellers came back from the keyring
    changed = Signal()  # a seller's record changed in the list
    keyring_checked = Signal(bool)  # whether the keyring answered the last listing
    message = Signal(str)  # something for the status bar

    def __init__(
        self,
        store: ProfileStore,
        *,
        keyring: JobRunner,
        http: SharedHttp,
        policy: RefreshPolicy | None = None,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.vault = TokenVault(store)
        self.manager = TokenManager()
        self.manager.set_actions_enabled(False)
        self.refresher = AutoRefresher(policy, parent=self)
        self._keyring = keyring
        self._network = JobRunner("stored_tokens", threads=2, parent=self)
        self._http = http
        self._name = ""
        self._grant = Grant.AUTHORIZATION_CODE
        self._generation = 0  # bumped at every profile shown: late answers are dropped
        self._keyring_ok: bool | None = None
        self.manager.refresh_requested.connect(self.refresh_seller)
        self.manager.check_requested.connect(self.check_seller)
        self.manager.forget_requested.connect(self.forget_seller)
        self.manager.copied.connect(self.message)
        self.refresher.refresh_due.connect(self.refresh_seller)

    def start(self, *, sandbox: bool) -> None:
        """Start the auto-refresh timer; forget the sandbox's demo tokens of an earlier run."""
        if sandbox:
            self._keyring.submit(lambda: self.vault.forget_all(SANDBOX_PROFILE_NAME))
        self.refresher.start()

    # -- the open profile ------------------------------------------------------------------------

    @Slot(str, object)
    def show_profile(self, name: str, profile: Profile | None) -> None:
        """List the stored tokens of ``name`` (``profile`` None: not saved, so none)."""
        self._generation += 1
        generation = self._generation
        self._name = name
        self._grant = profile.grant if profile is not None else Grant.AUTHORIZATION_CODE
        self.manager.set_records([])
        self.manager.set_actions_enabled(False)
        self.manager.show_result("")
        self.refresher.reset()
        secrets = self.vault.secrets

        def load() -> list[SellerRecord] | None:
            if not secrets.available():
                return None
            return self.vault.sellers(name) if profile is not None else []

        def loaded(records: list[SellerRecord] | None) -> None:
            if generation == self._generation:
                self.set_keyring_ok(records is not None)
                self.keyring_checked.emit(records is not None)
                # A sign-in can file its token while this load waits its turn (the keyring
                # work starts after the first paint): what was filed since is newer than what
                # the load read, so it stays.
                merged = {record.seller_id: record for record in records or []}
                merged.update((r.seller_id, r) for r in self.manager.records())
                self._show_records(list(merged.values()))
                self.loaded.emit()

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._on_keyring_error(error)
                self.message.emit(storage_text(error))
                self.loaded.emit()

        self._keyring.submit(load, loaded, failed)

    @Slot(bool)
    def set_keyring_ok(self, ok: bool) -> None:
        self._keyring_ok = ok
        self.manager.set_actions_enabled(ok)

    def _on_keyring_error(self, error: Exception) -> None:
        if isinstance(error, KeyringUnavailableError):
            self.set_keyring_ok(False)
            self.keyring_checked.emit(False)

    def _show_records(self, records: list[SellerRecord]) -> None:
        self.manager.set_records(records)
        self.refresher.set_records(records, self._grant)
        lost = [r for r in records if r.needs_reauthorization and r.refresh_interrupted]
        if lost:  # found so after a crash: say why, not just "needs re-authorization"
            self.manager.show_result(self._interrupted_text(lost[0]))
        self.changed.emit()

    def _interrupted_text(self, record: SellerRecord) -> str:
        return self.tr(
            "This seller's refresh was interrupted; authorize again. A refresh of {seller} "
            "({seller_id}) was sent and its new token never stored (the app stopped or the "
            "answer was lost), so Tiki refuses the old one. Press \u201cAuthorize again\u201d."
        ).format(seller=record.seller_name, seller_id=record.seller_id)

    def _record(self, seller_id: int) -> SellerRecord | None:
        return next((r for r in self.manager.records() if r.seller_id == seller_id), None)

    # -- a sign-in's tokens ----------------------------------------------------------------------

    @Slot(object)
    def store_from_flow(self, result: FlowResult) -> None:
        """Ask sellers/me whose token the sign-in obtained and store it under its profile."""
        if self._keyring_ok is False:
            self.manager.show_result(
                self.tr("No keyring: this token was not stored (copy it now).")
            )
            return
        profile = result.profile
        if not result.stored:
            self.manager.show_result(
                self.tr("The profile is not saved yet, so the token was not stored.")
            )
            return
        self.manager.show_result(self.tr("Asking sellers/me whose token this is\u2026"))
        generation = self._generation
        tokens, http = result.tokens, self._http

        def stored(record: SellerRecord) -> None:
            if generation != self._generation:
                return
            self.manager.update_record(record)
            self.manager.select_seller(record.seller_id)
            self.refresher.update_record(record)
            self.manager.show_result(
                self.tr("Token stored for {seller} ({id}).").format(
                    seller=record.seller_name, id=record.seller_id
                )
            )
            self.changed.emit()

        def failed(error: Exception) -> None:
            self._on_keyring_error(error)
            self.manager.show_result(
                self.tr("The token was not stored: {reason}").format(reason=storage_text(error))
            )

        def file_it(stop: Cancellation) -> SellerRecord:
            return self.vault.add_from_flow(profile, tokens, http.get(), cancellation=stop)

        # After the tokens are painted: the job's Python (the sellers/me request, loading the
        # keyring) would take the GIL from the window's layout, which calls Python while it lays
        # out (issue 11, P3). One paint is a few milliseconds.
        after_paint(self, lambda: self._submit_network(file_it, stored, failed))

    # -- seller actions --------------------------------------------------------------------------

    @Slot(int)
    def refresh_seller(self, seller_id: int) -> None:
        """Refresh one seller's token on a worker (at most one at a time per seller)."""
        record = self._record(seller_id)
        if record is None or self._keyring_ok is not True:
            return
        if not self.refresher.begin(seller_id):
            return  # one refresh at a time: never queue a second
        name, generation, http = self._name, self._generation, self._http
        self.manager.set_busy(seller_id, True)

        def switched() -> bool:
            """The profile changed while the refresh ran: its outcome belongs to no one now."""
            if generation == self._generation:
                return False
            switched_away = QCoreApplication.translate("StoredTokensController", "profile switched")
            self.refresher.failed(seller_id, RuntimeError(switched_away))
            return True

        def refreshed(new: SellerRecord) -> None:
            if switched():
                return
            self.manager.set_busy(seller_id, False)
            self.refresher.succeeded(new)
            self.manager.set_note(seller_id, "")
            self.manager.update_record(new)
            self.manager.show_result(
                self.tr("Refreshed the token of {seller}.").format(seller=new.seller_name)
            )
            self.changed.emit()

        def failed(error: Exception) -> None:
            if switched():
                return
            self.manager.set_busy(seller_id, False)
            self._on_refresh_failed(record, error)
            self.changed.emit()

        self._submit_network(
            lambda stop: self.vault.refresh(
                name, seller_id, http.get(), started_from=record.token, cancellation=stop
            ),
            refreshed,
            failed,
        )

    def _on_refresh_failed(self, record: SellerRecord, error: Exception) -> None:
        seller_id = record.seller_id
        delay = self.refresher.failed(seller_id, error)
        if isinstance(error, ReauthorizationRequiredError):
            flagged = dataclasses.replace(record, needs_reauthorization=True)
            if error.interrupted and flagged.refresh_sent_at is None:
                # Interrupted in another process since the list was read: say so all the same.
                flagged = dataclasses.replace(flagged, refresh_sent_at=datetime.now(UTC))
            self.manager.update_record(flagged)
            self.refresher.update_record(flagged)
            if error.interrupted:
                self.manager.show_result(self._interrupted_text(flagged))
            else:
                self.manager.show_result(
                    self.tr("{reason} Press \u201cAuthorize again\u201d.").format(
                        reason=storage_text(error)
                    )
                )
            return
        if isinstance(error, TokenNotSavedError):
            self.manager.update_record(dataclasses.replace(record, token=error.token))
        if delay is not None:
            self.manager.set_note(
                seller_id, self.tr("retry in {seconds} s").format(seconds=QLocale().toString(delay))
            )
            self.manager.show_result(
                self.tr(
                    "Refresh failed, nothing was changed; retrying in {seconds} s. {reason}"
                ).format(seconds=QLocale().toString(delay), reason=storage_text(error))
            )
        else:
            self.manager.show_result(
                self.tr("Refresh failed: {reason}").format(reason=storage_text(error))
            )

    @Slot(int)
    def check_seller(self, seller_id: int) -> None:
        """Call sellers/me with the stored token and show what Tiki says."""
        name, http = self._name, self._http
        self.manager.set_busy(seller_id, True)

        def check(stop: Cancellation) -> tuple[Seller, SellerRecord]:
            seller = self.vault.check(name, seller_id, http.get(), cancellation=stop)
            return seller, self.vault.get(name, seller_id)

        def checked(answer: tuple[Seller, SellerRecord]) -> None:
            seller, record = answer
            self.manager.set_busy(seller_id, False)
            if name == self._name:
                self.manager.update_record(record)
            if seller.active:
                text = self.tr("sellers/me: {seller} (id {id}, active): the token works.")
            else:
                text = self.tr("sellers/me: {seller} (id {id}, inactive): the token works.")
            self.manager.show_result(text.format(seller=seller.name, id=seller.id))

        def failed(error: Exception) -> None:
            self.manager.set_busy(seller_id, False)
            self.manager.show_result(
                self.tr("Check failed: {reason}").format(reason=storage_text(error))
            )

        self._submit_network(check, checked, failed)

    @Slot(int)
    def forget_seller(self, seller_id: int) -> None:
        """Delete one seller's token from the keyring (the user confirmed already)."""
        name, generation = self._name, self._generation

        def forget() -> list[SellerRecord]:
            self.vault.forget(name, seller_id)
            return self.vault.sellers(name)

        def forgotten(records: list[SellerRecord]) -> None:
            if generation == self._generation:
                self._show_records(records)
                self.manager.show_result(
                    QCoreApplication.translate("StoredTokensController", "Token forgotten.")
                )

        def failed(error: Exception) -> None:
            self.manager.show_result(
                self.tr("Could not forget the token: {reason}").format(reason=storage_text(error))
            )

        self._keyring.submit(forget, forgotten, failed)

    def _submit_network(
        self,
        call: Callable[[Cancellation], T],
        on_value: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Run ``call`` on the network runner with its own :class:`Cancellation`: cancelling the
        job (closing the window) aborts its request at once instead of waiting for the network."""
        stop = Cancellation()
        self._network.submit(lambda: call(stop), on_value, on_error, on_cancel=stop.cancel)

    def close(self) -> None:
        """Stop the refresher and end the network jobs: each one's request in flight is
        cancelled, so this returns at once (the window closes HTTP after)."""
        self.refresher.stop()
        self._network.close()
