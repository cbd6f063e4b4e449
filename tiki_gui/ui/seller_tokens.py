"""The stored tokens of sellers, behind the token manager.

:class:`SellerTokens` files a finished flow's token under its seller
(:meth:`~tiki_gui.storage.TokenVault.add_from_flow`), refreshes tokens by hand and when the
:class:`~tiki_gui.ui.refresher.AutoRefresher` says so (with its retry and backoff), checks them
with sellers/me and forgets them. It is owned by
:class:`~tiki_gui.ui.profile_session.ProfileSession`, which passes in everything it needs: the
current profile name, the generation counter (bumped at every profile switch, so that late
answers are dropped), whether the keyring is usable, the keyring and network workers, the token
manager, the refresher and a ``message`` callback.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal, Slot

from tiki_gui.core.errors import TikiGuiError
from tiki_gui.storage import (
    KeyringUnavailableError,
    LockTimeoutError,
    MissingClientSecretError,
    NoTokenError,
    ProfileExistsError,
    ProfileNotFoundError,
    ReauthorizationRequiredError,
    SellerRecord,
    SettingsFileError,
    TokenNotSavedError,
    TokenVault,
)
from tiki_gui.ui.error_text import describe_error
from tiki_gui.ui.refresher import AutoRefresher
from tiki_gui.ui.storage_jobs import StorageJobs
from tiki_gui.ui.token_manager import TokenManager

if TYPE_CHECKING:
    from tiki_gui.core.seller import Seller
    from tiki_gui.core.tokens import TokenSet

__all__ = ["SellerTokens", "storage_text"]

_STORAGE_ERRORS = (
    KeyringUnavailableError,
    LockTimeoutError,
    MissingClientSecretError,
    NoTokenError,
    ProfileExistsError,
    ProfileNotFoundError,
    SettingsFileError,
)


def storage_text(error: BaseException) -> str:
    """A status-bar sentence for an error from the storage, a worker or the network."""
    if isinstance(error, _STORAGE_ERRORS):
        return str(error)  # plain sentences from names and ids only (storage.errors)
    if isinstance(error, TikiGuiError | OSError):
        report = describe_error(error)
        return f"{report.message} {report.advice}".strip()
    return f"Unexpected {type(error).__name__}."


class SellerTokens(QObject):
    """File, refresh, check and forget the sellers' tokens of the current profile."""

    changed = Signal()  # a seller's record changed in the token manager

    def __init__(
        self,
        *,
        vault: TokenVault,
        manager: TokenManager,
        refresher: AutoRefresher,
        keyring: StorageJobs,
        network: StorageJobs,
        profile: Callable[[], str],
        generation: Callable[[], int],
        keyring_ok: Callable[[], bool | None],
        keyring_lost: Callable[[], None],
        show_records: Callable[[list[SellerRecord]], None],
        message: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.manager = manager
        self.refresher = refresher
        self._keyring = keyring
        self._network = network
        self._profile = profile
        self._generation = generation
        self._keyring_ok = keyring_ok
        self._keyring_lost = keyring_lost
        self._show_records = show_records
        self._message = message
        manager.refresh_requested.connect(self.refresh_seller)
        manager.check_requested.connect(self.check_seller)
        manager.forget_requested.connect(self.forget_seller)
        manager.copied.connect(self._on_copied)
        refresher.refresh_due.connect(self.refresh_seller)

    @Slot(str)
    def _on_copied(self, text: str) -> None:
        self._message(text)

    def _record(self, seller_id: int) -> SellerRecord | None:
        return next((r for r in self.manager.records() if r.seller_id == seller_id), None)

    # -- a flow's token ----------------------------------------------------------------------

    def file_from_flow(self, name: str, tokens: TokenSet) -> None:
        """Ask sellers/me whose token ``tokens`` is and store it under profile ``name``."""
        self.manager.show_result("Asking sellers/me whose token this is\u2026")
        generation = self._generation()

        def done(outcome: object) -> None:
            if isinstance(outcome, KeyringUnavailableError):
                self._keyring_lost()
            if isinstance(outcome, BaseException):
                self.manager.show_result(f"The token was not stored: {storage_text(outcome)}")
                return
            if isinstance(outcome, SellerRecord) and generation == self._generation():
                self.manager.update_record(outcome)
                self.manager.select_seller(outcome.seller_id)
                self.refresher.update_record(outcome)
                self.manager.show_result(
                    f"Token stored for {outcome.seller_name} ({outcome.seller_id})."
                )
                self.changed.emit()

        self._network.submit(
            lambda: self.vault.add_from_flow(name, tokens, self._network.http()), done
        )

    # -- seller actions ----------------------------------------------------------------------

    @Slot(int)
    def refresh_seller(self, seller_id: int) -> None:
        """Refresh one seller's token on a worker (at most one at a time per seller)."""
        record = self._record(seller_id)
        if record is None or self._keyring_ok() is not True:
            return
        if not self.refresher.begin(seller_id):
            return  # one refresh at a time: never queue a second
        name, generation = self._profile(), self._generation()
        self.manager.set_busy(seller_id, True)

        def refresh() -> SellerRecord:
            return self.vault.refresh(
                name, seller_id, self._network.http(), started_from=record.token
            )

        def done(outcome: object) -> None:
            if generation != self._generation():
                self.refresher.failed(seller_id, RuntimeError("profile switched"))
                return
            self.manager.set_busy(seller_id, False)
            if isinstance(outcome, SellerRecord):
                self.refresher.succeeded(outcome)
                self.manager.set_note(seller_id, "")
                self.manager.update_record(outcome)
                self.manager.show_result(f"Refreshed the token of {outcome.seller_name}.")
            elif isinstance(outcome, BaseException):
                self._on_refresh_failed(record, outcome)
            self.changed.emit()

        self._network.submit(refresh, done)

    def _on_refresh_failed(self, record: SellerRecord, error: BaseException) -> None:
        seller_id = record.seller_id
        delay = self.refresher.failed(seller_id, error)
        if isinstance(error, ReauthorizationRequiredError):
            flagged = dataclasses.replace(record, needs_reauthorization=True)
            self.manager.update_record(flagged)
            self.refresher.update_record(flagged)
            self.manager.show_result(f"{error} Press \u201cAuthorize again\u201d.")
            return
        if isinstance(error, TokenNotSavedError):
            self.manager.update_record(dataclasses.replace(record, token=error.token))
        if delay is not None:
            self.manager.set_note(seller_id, f"retry in {delay:g} s")
            self.manager.show_result(
                f"Refresh failed, nothing was changed; retrying in {delay:g} s. "
                f"{storage_text(error)}"
            )
        else:
            self.manager.show_result(f"Refresh failed: {storage_text(error)}")

    @Slot(int)
    def check_seller(self, seller_id: int) -> None:
        """Call sellers/me with the stored token and show what Tiki says."""
        name = self._profile()
        self.manager.set_busy(seller_id, True)

        def check() -> tuple[Seller, SellerRecord]:
            seller = self.vault.check(name, seller_id, self._network.http())
            return seller, self.vault.get(name, seller_id)

        def done(outcome: object) -> None:
            self.manager.set_busy(seller_id, False)
            if isinstance(outcome, BaseException):
                self.manager.show_result(f"Check failed: {storage_text(outcome)}")
                return
            seller, record = cast("tuple[Seller, SellerRecord]", outcome)
            if name == self._profile():
                self.manager.update_record(record)
            state = "active" if seller.active else "inactive"
            self.manager.show_result(
                f"sellers/me: {seller.name} (id {seller.id}, {state}): the token works."
            )

        self._network.submit(check, done)

    @Slot(int)
    def forget_seller(self, seller_id: int) -> None:
        """Delete one seller's token from the keyring (the user confirmed already)."""
        name, generation = self._profile(), self._generation()

        def forget() -> list[SellerRecord]:
            self.vault.forget(name, seller_id)
            return self.vault.sellers(name)

        def done(outcome: object) -> None:
            if isinstance(outcome, BaseException):
                self.manager.show_result(f"Could not forget the token: {storage_text(outcome)}")
            elif generation == self._generation():
                self._show_records(cast(list[SellerRecord], outcome))
                self.manager.show_result("Token forgotten.")

        self._keyring.submit(forget, done)
