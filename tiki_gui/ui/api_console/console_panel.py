"""The request console's widgets: the request form and Tiki's answer.

The panel shows; it does no work. The :class:`~tiki_gui.ui.api_console.controller.ApiConsole`
fills the seller list, reads the request from it, and hands it the answer. The body is shown as
plain text (read-only) and as a JSON tree: never rendered as a page, never executed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.api.console import METHODS, ApiResult, placeholder_in
from tiki_gui.api.presets import PRESETS, ApiPreset, preset_by_key
from tiki_gui.storage.records import SellerRecord
from tiki_gui.ui.api_console.copy_menu import CopyAsMenu
from tiki_gui.ui.api_console.json_tree import JsonTree
from tiki_gui.ui.api_console.request_body import RequestBodyEditor
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP
from tiki_gui.ui.shared.widgets import monospace_font, named
from tiki_gui.ui.shared.wrapped_label import WrappedLabel
from tiki_gui.ui.signin.timeline_panel import TimelinePanel

__all__ = ["ApiConsolePanel"]

_KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # a preset's key (the item data is its path)
_OK, _REFUSED = "#1b7f3b", "#b3261e"


# The presets' labels and descriptions (tiki_gui.api is Qt-free): marked here so that lupdate puts
# them in this class's context, where ``self.tr(item.label)`` finds them.
_PRESET_TEXTS = (
    QT_TRANSLATE_NOOP("ApiConsolePanel", "The seller (sellers/me)"),
    QT_TRANSLATE_NOOP(
        "ApiConsolePanel", "The seller the token belongs to: id, name, active, operation models."
    ),
    QT_TRANSLATE_NOOP("ApiConsolePanel", "The seller's warehouses"),
    QT_TRANSLATE_NOOP(
        "ApiConsolePanel",
        "Warehouses Tiki picks up from (requisition) or returns to (withdrawal).",
    ),
    QT_TRANSLATE_NOOP("ApiConsolePanel", "Products"),
    QT_TRANSLATE_NOOP(
        "ApiConsolePanel",
        "The seller's latest products; include=inventory adds stock per warehouse.",
    ),
    QT_TRANSLATE_NOOP("ApiConsolePanel", "Orders"),
    QT_TRANSLATE_NOOP("ApiConsolePanel", "The seller's orders (Order API v2), latest first."),
    QT_TRANSLATE_NOOP("ApiConsolePanel", "Categories"),
    QT_TRANSLATE_NOOP(
        "ApiConsolePanel", "Tiki's category tree; parent=ID lists one category's children."
    ),
    QT_TRANSLATE_NOOP("ApiConsolePanel", "Confirm a drop-ship order's stock"),
    QT_TRANSLATE_NOOP(
        "ApiConsolePanel",
        "A write: tells Tiki the order's items are in stock (or not) and which warehouse to "
        "pick them up from. Put the order's code in the path and a warehouse id in the body.",
    ),
)


class ApiConsolePanel(QWidget):
    """Seller, preset, method and path; Send and Cancel; status, time, headers and body."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("api_console")
        self.setAccessibleName(self.tr("Seller API console"))
        self.seller = named(QComboBox(), "api_seller", self.tr("Seller whose token is sent"))
        self.seller.setMinimumContentsLength(24)
        self.preset = named(QComboBox(), "api_preset", self.tr("Ready-made request"))
        self.preset.addItem(self.tr("Custom path"), "")
        for item in PRESETS:
            needs = (
                self.tr("needs scope %1").replace("%1", item.scope)
                if item.scope
                else self.tr("no scope needed")
            )
            self.preset.addItem(f"{self.tr(item.label)} \u2014 {needs}", item.path)
            self.preset.setItemData(self.preset.count() - 1, item.key, _KEY_ROLE)
            self.preset.setItemData(
                self.preset.count() - 1, self.tr(item.description), Qt.ItemDataRole.ToolTipRole
            )
        self.method = named(QComboBox(), "api_method", self.tr("HTTP method"))
        self.method.addItems(list(METHODS))
        self.allow_write = named(
            QCheckBox(self.tr("Allow writes")), "api_allow_write",
            self.tr("Allow methods other than GET"),
            self.tr("A write changes the seller's data on Tiki for real; each is confirmed"),
        )  # fmt: skip
        self.path = named(QLineEdit(), "api_path", self.tr("Path under the API base"))
        self.path.setPlaceholderText("/integration/v2/sellers/me")
        self.path.setFont(monospace_font())
        self.request_body = RequestBodyEditor()
        self.base = QLabel()
        self.base.setObjectName("api_base_label")
        self.base.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.send = named(QPushButton(self.tr("Send")), "api_send", self.tr("Send the request"))
        self.send.setDefault(True)
        self.cancel = named(
            QPushButton(self.tr("Cancel")), "api_cancel", self.tr("Cancel the request")
        )
        self.cancel.setEnabled(False)
        self.warning = WrappedLabel()
        self.warning.setObjectName("api_scope_warning")
        self.warning.setStyleSheet("QLabel#api_scope_warning { color: #a66300; }")
        self.warning.setVisible(False)

        self.status = named(QLabel(), "api_status", self.tr("HTTP status code"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel()
        self.reason.setObjectName("api_reason")
        self.elapsed = named(QLabel(), "api_time", self.tr("Time taken"))
        self.body_size = QLabel()
        self.body_size.setObjectName("api_size")
        self.explanation = named(
            WrappedLabel(), "api_explanation", self.tr("What Tiki's answer means")
        )
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_token = named(
            QPushButton(self.tr("Refresh the token")), "api_refresh_token",
            self.tr("Refresh this seller's token"),
        )  # fmt: skip
        self.refresh_token.setVisible(False)

        self.tree = JsonTree()
        self.body = named(QPlainTextEdit(), "api_body", self.tr("Response body as text"))
        self.body.setReadOnly(True)
        self.body.setFont(monospace_font())
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.headers = named(QTreeWidget(), "api_headers", self.tr("Response headers"))
        self.headers.setHeaderLabels([self.tr("Header"), self.tr("Value")])
        self.headers.setRootIsDecorated(False)
        self.headers.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline = TimelinePanel()
        self.timeline.heading.setText(
            self.tr("The console's requests and answers (secrets masked)")
        )
        self.timeline.text.setObjectName("api_timeline")
        self.timeline.text.setAccessibleName(self.tr("Console timeline"))
        self.timeline.copy_timeline.setObjectName("api_copy_timeline")
        self.tabs = named(QTabWidget(), "api_result_tabs", self.tr("Response"))
        self.tabs.addTab(self.tree, self.tr("JSON"))
        self.tabs.addTab(self.body, self.tr("Body"))
        self.tabs.addTab(self.headers, self.tr("Headers"))
        self.tabs.addTab(self.timeline, self.tr("Timeline"))

        self.copy_curl = named(
            QPushButton(self.tr("Copy as curl")), "api_copy_curl",
            self.tr("Copy the request as a curl command"),
            self.tr("The token is written as $TIKI_ACCESS_TOKEN"),
        )  # fmt: skip
        self.copy_menu = CopyAsMenu(self)
        self.copy_as = named(QToolButton(), "api_copy_as", self.tr("Copy as code"))
        self.copy_as.setText(self.tr("Copy as\u2026"))
        self.copy_as.setMenu(self.copy_menu)
        self.copy_as.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export = named(
            QPushButton(self.tr("Export token\u2026")), "api_export",
            self.tr("Export the seller's token for Postman, Insomnia or Bruno"),
        )  # fmt: skip
        self._build_layout()
        self.preset.currentIndexChanged.connect(self._on_preset_chosen)
        self.path.textEdited.connect(self._on_path_edited)
        self.method.currentTextChanged.connect(self.request_body.follow_method)
        self.request_body.follow_method(self.method.currentText())
        self.preset.setCurrentIndex(1)  # sellers/me: the first call everyone makes
        self.set_result(None)

    def _build_layout(self) -> None:
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Seller")), 0, 0)
        form.addWidget(self.seller, 0, 1, 1, 2)
        form.addWidget(QLabel(self.tr("Request")), 1, 0)
        form.addWidget(self.preset, 1, 1, 1, 2)
        form.addWidget(self.method, 2, 0)
        form.addWidget(self.path, 2, 1)
        sending = QHBoxLayout()
        sending.addWidget(self.send)
        sending.addWidget(self.cancel)
        form.addLayout(sending, 2, 2)
        form.addWidget(self.request_body, 3, 1, 1, 2)
        form.addWidget(self.allow_write, 4, 0)
        form.addWidget(self.base, 4, 1, 1, 2)
        form.setColumnStretch(1, 1)
        status = QHBoxLayout()
        status.addWidget(QLabel(self.tr("Status")))
        status.addWidget(self.status)
        status.addWidget(self.reason)
        status.addSpacing(12)
        status.addWidget(self.elapsed)
        status.addSpacing(12)
        status.addWidget(self.body_size)
        status.addStretch(1)
        status.addWidget(self.refresh_token)
        actions = QHBoxLayout()
        actions.addWidget(self.copy_curl)
        actions.addWidget(self.copy_as)
        actions.addStretch(1)
        actions.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addLayout(status)
        layout.addWidget(self.explanation)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(actions)

    # -- reading the form --------------------------------------------------------------------

    def seller_id(self) -> int | None:
        value = self.seller.currentData()
        return int(value) if value is not None else None

    def current_preset(self) -> ApiPreset | None:
        key = self.preset.currentData(_KEY_ROLE)
        return preset_by_key(str(key)) if key else None

    # -- showing -----------------------------------------------------------------------------

    def set_sellers(self, records: list[SellerRecord], selected: int | None = None) -> None:
        """List ``records``; keep ``selected`` (or the current seller) when it is still there."""
        keep = selected if selected is not None else self.seller_id()
        self.seller.blockSignals(True)
        self.seller.clear()
        for record in records:
            self.seller.addItem(f"{record.seller_name} ({record.seller_id})", record.seller_id)
        index = self.seller.findData(keep) if keep is not None else -1
        self.seller.setCurrentIndex(index if index >= 0 else (0 if records else -1))
        self.seller.blockSignals(False)
        self.seller.currentIndexChanged.emit(self.seller.currentIndex())

    def set_api_base(self, base: str) -> None:
        self.base.setText(self.tr("Sent to %1").replace("%1", base) if base else "")

    def set_warning(self, text: str | None) -> None:
        self.warning.setText(text or "")
        self.warning.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        self.send.setEnabled(not busy)
        self.cancel.setEnabled(busy)
        if busy:
            self.status.setText("\u2026")
            self.reason.setText(self.tr("sending"))
            self.explanation.clear()
            self.explanation.setVisible(False)
            self.refresh_token.setVisible(False)

    def set_result(self, result: ApiResult | None) -> None:
        """Show Tiki's answer (None: nothing yet)."""
        self.headers.clear()
        if result is None:
            self.status.clear()
            self.reason.clear()
            self.elapsed.clear()
            self.body_size.clear()
            self.explanation.clear()
            self.body.clear()
            self.tree.set_json(None)
            self.explanation.setVisible(False)
            self.refresh_token.setVisible(False)
            return
        self.status.setText(str(result.status_code))
        color = _OK if result.ok else _REFUSED
        self.status.setStyleSheet(f"QLabel#api_status {{ color: {color}; font-weight: bold; }}")
        self.reason.setText(result.reason)
        self.elapsed.setText(self.tr("%1 ms").replace("%1", f"{result.elapsed * 1000:.0f}"))
        size = self.tr("%1 bytes").replace("%1", f"{result.body_size:,}")
        if result.truncated:
            size += " " + self.tr("(text shown in part)")
        self.body_size.setText(size)
        for name, value in result.headers:
            self.headers.addTopLevelItem(QTreeWidgetItem([name, value]))
        self.body.setPlainText(result.body_text)
        self.tree.set_json(result.json_body, result.body_text)
        refusal = result.refusal
        if refusal is None:
            self.explanation.clear()
        else:
            said = " ".join(refusal.messages)
            text = self.tr(refusal.explanation)
            if said:
                text += " " + self.tr("Tiki said: %1").replace("%1", said)
            self.explanation.setText(text)
        self.explanation.setVisible(bool(self.explanation.text()))
        self.refresh_token.setVisible(refusal is not None and refusal.offer_refresh)
        self.tabs.setCurrentWidget(self.tree if result.json_body is not None else self.body)

    def show_problem(self, text: str) -> None:
        """A request that got no answer (or was not sent): no status, the reason in words."""
        self.set_result(None)
        self.explanation.setText(text)
        self.explanation.setVisible(bool(text))

    # -- slots -------------------------------------------------------------------------------

    @Slot(int)
    def _on_preset_chosen(self, index: int) -> None:
        path = self.preset.itemData(index)
        if path:
            self.path.setText(str(path))
            preset = self.current_preset()
            if preset is not None:
                self.method.setCurrentText(preset.method)
                self._offer_body(preset)
            placeholder = placeholder_in(str(path))
            if placeholder is not None:  # select it: typing the order's code replaces it
                start = str(path).index(placeholder)
                self.path.setSelection(start, len(placeholder))

    def _offer_body(self, preset: ApiPreset) -> None:
        """A write preset's body template, unless the person's own body would be lost."""
        typed = self.request_body.text()
        templates = {p.body for p in PRESETS if p.body}
        if preset.body and (not typed.strip() or typed in templates):
            self.request_body.set_text(preset.body)

    @Slot(str)
    def _on_path_edited(self, text: str) -> None:
        # Typing a path of its own leaves the preset (its scope no longer applies).
        current = str(self.preset.currentData() or "")
        if current and text.split("?", 1)[0] != current:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(0)
            self.preset.blockSignals(False)
            self.preset.currentIndexChanged.emit(0)
