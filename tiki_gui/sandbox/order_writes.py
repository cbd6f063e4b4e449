"""The sandbox's one write call: a seller confirms (or refuses) a drop-ship order's stock.

``POST /integration/v2/orders/{code}/dropship/confirm-available`` with a JSON object body:
``confirmation_status`` (``seller_confirmed`` or ``seller_canceled``), ``seller_inventory_id``
(one of the seller's warehouses) and, optionally, ``expected_pickup_time``
(``yyyy-MM-dd HH:mm:ss``). Tiki's guide names the call "Confirm enough DS stock" and these fields;
the path and the answer's shape follow open-source Tiki clients and are realistic, not verified:
the answer here is the order as ``GET /orders?code=`` then shows it.

What a JSON API server checks, each with Tiki's ``{"errors": [...]}`` shape: the body must be
declared ``application/json`` (else 415), be UTF-8 JSON (400) holding an object (400) with the
fields above, valid (400); the order must be the seller's (404) and still waiting for
confirmation (409 once confirmed or refused). A confirmation is remembered for the life of the
sandbox, per seller, so the order lists show it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from tiki_gui.sandbox.catalog import TIME_FORMAT

__all__ = [
    "CONFIRM_SUFFIX",
    "Confirmation",
    "ConfirmationBook",
    "WriteRefusedError",
    "confirmation_from",
]

CONFIRM_SUFFIX = "/dropship/confirm-available"
_STATUSES = ("seller_confirmed", "seller_canceled")


class WriteRefusedError(ValueError):
    """A write the sandbox refuses: ``status`` and the message for ``{"errors": [...]}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Confirmation:
    status: str
    seller_inventory_id: int
    seller_inventory_name: str
    expected_pickup_time: str | None
    confirmed_at: str


def confirmation_from(
    content_type: str, body: bytes, warehouses: Mapping[int, str], now: datetime
) -> Confirmation:
    """The confirmation a request body asks for, or :class:`WriteRefusedError`."""
    if content_type != "application/json":
        raise WriteRefusedError(
            415, "the body must be JSON, sent as Content-Type: application/json"
        )
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WriteRefusedError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise WriteRefusedError(400, "the body must be a JSON object")
    status = data.get("confirmation_status")
    if status not in _STATUSES:
        raise WriteRefusedError(
            400, "'confirmation_status' must be 'seller_confirmed' or 'seller_canceled'"
        )
    inventory = data.get("seller_inventory_id")
    if isinstance(inventory, bool) or not isinstance(inventory, int):
        raise WriteRefusedError(
            400, "'seller_inventory_id' must be a number: one of your warehouses' ids"
        )
    if inventory not in warehouses:
        raise WriteRefusedError(
            400, f"seller inventory {inventory} is not one of the seller's warehouses"
        )
    pickup = data.get("expected_pickup_time")
    if pickup is not None:
        try:
            pickup = datetime.strptime(str(pickup), TIME_FORMAT).strftime(TIME_FORMAT)
        except ValueError:
            raise WriteRefusedError(
                400, "'expected_pickup_time' must be a date-time as yyyy-MM-dd HH:mm:ss"
            ) from None
    return Confirmation(
        str(status), inventory, warehouses[inventory], pickup, now.strftime(TIME_FORMAT)
    )


class ConfirmationBook:
    """The confirmations made so far, per seller and order code (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._made: dict[tuple[int, str], Confirmation] = {}

    def record(self, seller_id: int, order: Mapping[str, object], made: Confirmation) -> None:
        """Keep ``made`` for ``order``; :class:`WriteRefusedError` (409) if it is not waiting."""
        code = str(order["code"])
        with self._lock:
            if (seller_id, code) in self._made or not _waiting(order):
                raise WriteRefusedError(409, f"order {code} is not waiting for a confirmation")
            self._made[(seller_id, code)] = made

    def applied(self, seller_id: int, order: dict[str, object]) -> dict[str, object]:
        """``order`` as it stands after the seller's confirmation, if one was made."""
        with self._lock:
            made = self._made.get((seller_id, str(order["code"])))
        if made is None:
            return order
        order = dict(order)
        items = order.get("items")
        if isinstance(items, list):
            order["items"] = [_confirmed_item(item, made) for item in items]
        if made.status == "seller_canceled":
            order["status"] = "canceled"
        order["seller_warehouse"] = {
            "id": made.seller_inventory_id,
            "name": made.seller_inventory_name,
        }
        if made.expected_pickup_time is not None:
            order["expected_pickup_time"] = made.expected_pickup_time
        return order


def _waiting(order: Mapping[str, object]) -> bool:
    items = order.get("items")
    return isinstance(items, list) and any(
        isinstance(item, dict)
        and isinstance(item.get("confirmation"), dict)
        and item["confirmation"].get("status") == "waiting"
        for item in items
    )


def _confirmed_item(item: object, made: Confirmation) -> object:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    item["confirmation"] = {"status": made.status, "confirmed_at": made.confirmed_at}
    return item
