"""The token manager: every seller with a stored token under the current profile.

A table (seller, scopes, expiry countdown, last refresh, status) refreshed every second, and
Copy / Refresh / Check / Forget for the selected seller. The widget only shows records and says
what the user asked for (signals); the profile session does the work on worker threads. A seller
whose refresh token was refused gets a "Authorize again" button.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import QBrush, QGuiApplication, QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.storage.records import SellerRecord, TokenStatus
from tiki_gui.ui.shared.colors import Tone, tone_color
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP, format_date_time
from tiki_gui.ui.shared.labels import label
from tiki_gui.ui.shared.widgets import ask_to_confirm, button, button_row, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel
from tiki_gui.ui.signin.obtained_tokens_panel import format_countdown

__all__ = ["COLUMNS", "TokenManager"]

COLUMNS = (
    QT_TRANSLATE_NOOP("TokenManager", "Seller"),
    QT_TRANSLATE_NOOP("TokenManager", "Scopes"),
    QT_TRANSLATE_NOOP("TokenManager", "Expires"),
    QT_TRANSLATE_NOOP("TokenManager", "Last refresh"),
    QT_TRANSLATE_NOOP("TokenManager", "Status"),
)
_SELLER, _SCOPES, _EXPIRES, _REFRESHED, _STATUS = range(len(COLUMNS))
_ID_ROLE = Qt.ItemDataRole.UserRole


def _when(moment: datetime | None) -> str:
    if moment is None:
        return QCoreApplication.translate("TokenManager", "never")
    return format_date_time(moment)


class TokenManager(QWidget):
    """Sellers and their tokens; actions on the selected one are emitted as seller ids."""

    refresh_requested = Signal(int)
    check_requested = Signal(int)
    forget_requested = Signal(int)  # after the user confirmed
    reauthorize_requested = Signal()
    copied = Signal(str)  # what was copied, in words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("token_manager")
        self.setAccessibleName(self.tr("Token manager"))
        self._records: dict[int, SellerRecord] = {}
        self._busy: set[int] = set()
        self._notes: dict[int, str] = {}
        self._enabled = True

        self.sellers = named(QTreeWidget(), "sellers", self.tr("Sellers with a stored token"))
        self.sellers.setColumnCount(len(COLUMNS))
        self.sellers.setHeaderLabels([self.tr(column) for column in COLUMNS])
        self.sellers.setRootIsDecorated(False)
        self.sellers.setUniformRowHeights(True)
        self.sellers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.sellers.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.sellers.itemSelectionChanged.connect(self._on_selection_changed)

        self.copy = button(
            self.tr("Copy"), "seller_copy", self.tr("Copy the seller's access token"),
            on_click=self._on_copy,
        )  # fmt: skip
        self.refresh = button(
            self.tr("Refresh"), "seller_refresh", self.tr("Refresh the token now"),
            on_click=self._on_refresh,
        )  # fmt: skip
        self.check = button(
            self.tr("Check"), "seller_check", self.tr("Check the token with sellers/me"),
            on_click=self._on_check,
        )  # fmt: skip
        self.forget = button(
            self.tr("Forget\u2026"), "seller_forget", self.tr("Forget the token"),
            on_click=self._on_forget,
        )  # fmt: skip
        self.reauthorize = button(
            self.tr("Authorize again"), "seller_reauthorize",
            self.tr("Run the authorization again for this profile"),
            on_click=self.reauthorize_requested,
        )  # fmt: skip
        self.reauthorize.setVisible(False)
        self.result = named(
            WrappedLabel(), "seller_result", self.tr("Result of the last token action")
        )
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel(
            self.tr("No stored tokens for this profile yet: authorize to add a seller.")
        )
        self.empty.setObjectName("sellers_empty")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.sellers, 1)
        layout.addLayout(
            button_row(self.copy, self.refresh, self.check, self.forget, self.reauthorize)
        )
        layout.addWidget(self.result)

        self._timer = QTimer(self)
        self._timer.setObjectName("token_manager_tick")
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_tick)  # only while shown with rows: _sync_timer
        self._update_buttons()
        self._update_empty()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() is QEvent.Type.LanguageChange:
            self._refresh_rows()  # statuses, countdowns and dates are composed per row
        super().changeEvent(event)

    # -- public ------------------------------------------------------------------------------

    def records(self) -> list[SellerRecord]:
        return list(self._records.values())

    def set_records(self, records: Iterable[SellerRecord]) -> None:
        """Show ``records`` (replacing the rows; the selection is kept by seller id)."""
        selected = self.selected_seller()
        self._records = {record.seller_id: record for record in records}
        self._notes = {k: v for k, v in self._notes.items() if k in self._records}
        self.sellers.clear()
        for record in self._records.values():
            item = QTreeWidgetItem()
            item.setData(_SELLER, _ID_ROLE, record.seller_id)
            self.sellers.addTopLevelItem(item)
            self._fill(item, record)
            if record.seller_id == selected:
                item.setSelected(True)
        items = self._items()
        if self.selected_seller() is None and items:
            items[0].setSelected(True)
        self._update_empty()
        self._update_buttons()
        self._sync_timer()

    def _sync_timer(self) -> None:
        """The countdowns tick once a second while they are on screen, never otherwise."""
        if self.isVisible() and self._records:
            if not self._timer.isActive():
                self._on_tick()
                self._timer.start()
        else:
            self._timer.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._sync_timer()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._sync_timer()

    def update_record(self, record: SellerRecord) -> None:
        """Replace (or add) one seller's row."""
        records = dict(self._records)
        records[record.seller_id] = record
        self.set_records(records.values())

    def set_busy(self, seller_id: int, busy: bool, note: str = "") -> None:
        """Mark a seller as having a request in flight (its buttons are disabled meanwhile)."""
        if busy:
            self._busy.add(seller_id)
        else:
            self._busy.discard(seller_id)
        if note:
            self._notes[seller_id] = note
        self._refresh_rows()
        self._update_buttons()

    def set_note(self, seller_id: int, note: str) -> None:
        """A short word after the status (e.g. "retry in 4 s"); empty removes it."""
        if note:
            self._notes[seller_id] = note
        else:
            self._notes.pop(seller_id, None)
        self._refresh_rows()

    def show_result(self, text: str) -> None:
        self.result.setText(text)

    def set_actions_enabled(self, enabled: bool) -> None:
        """False when nothing can be stored (no keyring) or while the profile loads."""
        self._enabled = enabled
        self._update_buttons()

    def _items(self) -> list[QTreeWidgetItem]:
        found = []
        for index in range(self.sellers.topLevelItemCount()):
            item = self.sellers.topLevelItem(index)
            if item is not None:
                found.append(item)
        return found

    def select_seller(self, seller_id: int) -> None:
        for item in self._items():
            item.setSelected(item.data(_SELLER, _ID_ROLE) == seller_id)

    def selected_seller(self) -> int | None:
        items = self.sellers.selectedItems()
        if not items:
            return None
        value = items[0].data(_SELLER, _ID_ROLE)
        return int(value) if value is not None else None

    def row_texts(self, seller_id: int) -> tuple[str, ...]:
        """The texts shown for one seller (for tests and accessibility checks)."""
        for item in self._items():
            if item.data(_SELLER, _ID_ROLE) == seller_id:
                return tuple(item.text(column) for column in range(len(COLUMNS)))
        raise KeyError(seller_id)

    # -- drawing -----------------------------------------------------------------------------

    def _fill(self, item: QTreeWidgetItem, record: SellerRecord) -> None:
        now = datetime.now(UTC)
        item.setText(_SELLER, f"{record.seller_name} ({record.seller_id})")
        item.setText(_SCOPES, " ".join(record.token.scope or ()) or "\u2014")
        left = record.token.expires_in(now)
        item.setText(
            _EXPIRES, self.tr("no expiry given") if left is None else format_countdown(left)
        )
        item.setText(_REFRESHED, _when(record.last_refresh))
        status = record.status(now)
        text = label(status)
        if record.seller_id in self._busy:
            text = self.tr("{status} \u2014 working\u2026").format(status=text)
        elif record.seller_id in self._notes:
            text += f" \u2014 {self._notes[record.seller_id]}"
        elif record.needs_reauthorization and record.refresh_interrupted:
            text += " \u2014 " + self.tr("refresh interrupted")
        item.setText(_STATUS, text)
        tone = {
            TokenStatus.VALID: Tone.GOOD,
            TokenStatus.EXPIRING: Tone.WARNING,
            TokenStatus.EXPIRED: Tone.ERROR,
            TokenStatus.NEEDS_REAUTHORIZATION: Tone.ERROR,
        }[status]
        # On the list's background, from its palette: readable in a dark scheme too (redrawn
        # every second, so a scheme change shows within a second).
        color = tone_color(tone, self.sellers.palette(), QPalette.ColorRole.Base)
        item.setForeground(_STATUS, QBrush(color))

    def _refresh_rows(self) -> None:
        for item in self._items():
            record = self._records.get(int(item.data(_SELLER, _ID_ROLE)))
            if record is not None:
                self._fill(item, record)
        needs = any(r.needs_reauthorization for r in self._records.values())
        self.reauthorize.setVisible(needs)

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._records)
        self._refresh_rows()

    def _update_buttons(self) -> None:
        seller = self.selected_seller()
        ready = self._enabled and seller is not None
        idle = ready and seller not in self._busy
        self.copy.setEnabled(ready)
        self.refresh.setEnabled(idle)
        self.check.setEnabled(idle)
        self.forget.setEnabled(idle)

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def _on_tick(self) -> None:
        self._refresh_rows()

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_buttons()

    def _selected_record(self) -> SellerRecord | None:
        seller = self.selected_seller()
        return self._records.get(seller) if seller is not None else None

    @Slot()
    def _on_copy(self) -> None:
        record = self._selected_record()
        if record is None:
            return
        QGuiApplication.clipboard().setText(record.token.access_token)
        self.copied.emit(self.tr("Access token of {seller}").format(seller=record.seller_name))

    @Slot()
    def _on_refresh(self) -> None:
        self._request_for_selected(self.refresh_requested)

    @Slot()
    def _on_check(self) -> None:
        self._request_for_selected(self.check_requested)

    def _request_for_selected(self, requested: SignalInstance) -> None:
        """Emit ``requested(seller_id)`` for the selected seller unless it is busy already."""
        seller = self.selected_seller()
        if seller is not None and seller not in self._busy:
            requested.emit(seller)

    @Slot()
    def _on_forget(self) -> None:
        record = self._selected_record()
        if record is None:
            return
        seller_id = record.seller_id
        ask_to_confirm(
            self,
            "forget_confirm",
            self.tr("Forget token"),
            self.tr(
                "Forget the token of {seller} ({id})? It is deleted from the system keyring; the "
                "seller must authorize the app again to get a new one."
            ).format(seller=record.seller_name, id=record.seller_id),
            lambda: self.forget_requested.emit(seller_id),
        )
