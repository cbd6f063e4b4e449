"""A JSON body as a tree: collapsible, searchable, with "Copy value" and "Copy body".

The body is data: it is parsed by :mod:`json` (never evaluated) and shown as text in a
``QTreeView`` over a ``QStandardItemModel``. A huge body is shown in part (at most
:data:`MAX_NODES` rows, long strings cut for display; "Copy value" copies the whole value).
"""

from __future__ import annotations

import json

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tiki_gui.ui.shared.widgets import button, button_row, named

__all__ = ["MAX_NODES", "JsonTree"]

MAX_NODES = 20_000
"""Rows built at most; the rest of a huge body is left out of the tree (the raw text has it)."""
_SHOWN_CHARS = 300
_PATH_ROLE = Qt.ItemDataRole.UserRole + 1  # the node's path in the body (JSON), for copying


def _scalar_text(value: object) -> tuple[str, str]:
    """(shown text, type name) of a JSON scalar."""
    if value is None:
        return "null", "null"
    if isinstance(value, bool):
        return ("true" if value else "false"), "boolean"
    if isinstance(value, int | float):
        return json.dumps(value), "number"
    text = str(value)
    shown = text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "\u2026"
    return shown.replace("\n", "\u23ce"), "string"


class JsonTree(QWidget):
    """The tree of a JSON value, a search box above it and the copy buttons below."""

    copied = Signal(str)  # what was copied, in words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._body: object | None = None
        self._built = 0
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Value"), self.tr("Type")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # key, value or type
        self.search = named(
            QLineEdit(), "api_json_search", self.tr("Search the response"),
            self.tr("Show only the keys and values containing this text"),
        )  # fmt: skip
        self.search.setPlaceholderText(self.tr("Search keys and values"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.view = named(QTreeView(), "api_json_tree", self.tr("Response body as a tree"))
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        header = self.view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setColumnWidth(0, 240)
        self.copy_value = button(
            self.tr("Copy value"), "api_copy_value", self.tr("Copy the selected value"),
            on_click=self._on_copy_value,
        )  # fmt: skip
        self.copy_body = button(
            self.tr("Copy body"), "api_copy_body", self.tr("Copy the whole response body"),
            on_click=self._on_copy_body,
        )  # fmt: skip
        self.expand = button(
            self.tr("Expand all"), "api_json_expand", self.tr("Expand every node"),
            on_click=self.view.expandAll,
        )  # fmt: skip
        self.collapse = button(
            self.tr("Collapse all"), "api_json_collapse", self.tr("Collapse every node"),
            on_click=self.view.collapseAll,
        )  # fmt: skip
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addLayout(button_row(self.copy_value, self.copy_body, self.expand, self.collapse))
        self._body_text = ""
        self._update_buttons()

    # -- public ------------------------------------------------------------------------------

    @property
    def truncated(self) -> bool:
        """True when the body had more nodes than the tree shows."""
        return self._built >= MAX_NODES

    def set_json(self, body: object | None, text: str = "") -> None:
        """Show ``body`` (a parsed JSON value; None: nothing to show). ``text`` is the raw body
        that "Copy body" copies."""
        self._body, self._body_text, self._built = body, text, 0
        self.model.removeRows(0, self.model.rowCount())
        if body is not None:
            root = self.model.invisibleRootItem()
            self._add_children(root, body, [])
            if self.truncated:
                note = QStandardItem(self.tr("\u2026 more not shown: see the raw body"))
                root.appendRow([note, QStandardItem(""), QStandardItem("")])
        self.view.expandToDepth(0)
        self._update_buttons()

    def row_count(self) -> int:
        """Rows shown at the top level (after the search filter)."""
        return self.proxy.rowCount()

    def find_value(self, key: str) -> str | None:
        """The JSON text of the first shown node named ``key`` (for tests and automation)."""
        matches = self.proxy.match(
            self.proxy.index(0, 0), Qt.ItemDataRole.DisplayRole, key, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        return self._value_text(matches[0]) if matches else None

    def select_key(self, key: str) -> bool:
        """Select the first shown node named ``key``; False if there is none."""
        matches = self.proxy.match(
            self.proxy.index(0, 0), Qt.ItemDataRole.DisplayRole, key, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        if not matches:
            return False
        self.view.setCurrentIndex(matches[0])
        self.view.scrollTo(matches[0])
        return True

    # -- building ----------------------------------------------------------------------------

    def _add_children(self, parent: QStandardItem, value: object, path: list[str | int]) -> None:
        if isinstance(value, dict):
            pairs: list[tuple[str, str | int, object]] = [(str(k), k, v) for k, v in value.items()]
        elif isinstance(value, list):
            pairs = [(f"[{i}]", i, v) for i, v in enumerate(value)]
        else:
            pairs = [("", -1, value)]
        for key, step, child in pairs:
            if self._built >= MAX_NODES:
                return
            self._built += 1
            key_item = QStandardItem(key)
            if isinstance(child, dict | list):
                kind = "object" if isinstance(child, dict) else "array"
                summary = self.tr("{%1 keys}") if isinstance(child, dict) else self.tr("[%1 items]")
                value_item = QStandardItem(summary.replace("%1", str(len(child))))
                type_item = QStandardItem(kind)
                self._add_children(key_item, child, [*path, step])
            else:
                shown, kind = _scalar_text(child)
                value_item, type_item = QStandardItem(shown), QStandardItem(kind)
            for item in (key_item, value_item, type_item):
                item.setEditable(False)
            key_item.setData(json.dumps([*path, step] if step != -1 else path), _PATH_ROLE)
            parent.appendRow([key_item, value_item, type_item])

    def _value_text(self, index: QModelIndex) -> str | None:
        """The value at ``index`` as copied: a string as itself, anything else as JSON."""
        path = index.siblingAtColumn(0).data(_PATH_ROLE)
        if path is None:
            return None
        value = self._body
        for step in json.loads(str(path)):
            if isinstance(value, dict):
                value = value[step]
            elif isinstance(value, list):
                value = value[int(step)]
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    # -- slots -------------------------------------------------------------------------------

    @Slot(str)
    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()
        else:
            self.view.expandToDepth(0)

    def _selected_key_index(self) -> QModelIndex | None:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return None
        return indexes[0].siblingAtColumn(0)

    @Slot()
    def _update_buttons(self) -> None:
        self.copy_value.setEnabled(self._selected_key_index() is not None)
        self.copy_body.setEnabled(bool(self._body_text))

    @Slot()
    def _on_copy_value(self) -> None:
        index = self._selected_key_index()
        if index is None:
            return
        text = self._value_text(index)
        if text is None:
            return
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(self.tr("The value of %1").replace("%1", str(index.data())))

    @Slot()
    def _on_copy_body(self) -> None:
        if self._body_text:
            QGuiApplication.clipboard().setText(self._body_text)
            self.copied.emit(self.tr("The response body"))
