"""The seller API calls integrators make first, each with the scope Tiki requires for it.

From Tiki's API reference (open.tiki.vn): ``/products`` needs the ``product`` scope and ``/orders``
the ``order`` scope (the deprecated ``all`` scope grants both); the reference names no scope for
``sellers/me``, ``sellers/me/warehouses`` and ``categories``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "PRESETS",
    "ApiPreset",
    "QueryHint",
    "granting_scopes",
    "missing_scope",
    "preset_by_key",
    "scope_warning",
]


@dataclass(frozen=True, slots=True)
class QueryHint:
    """A query parameter a preset accepts: its name, an example value and what it does."""

    name: str
    example: str
    description: str


@dataclass(frozen=True, slots=True)
class ApiPreset:
    """One ready-made request: ``method`` and ``path`` under the profile's API base; a write's
    path may hold a ``{placeholder}`` to replace, and ``body`` is its JSON to fill in."""

    key: str
    label: str
    method: str
    path: str
    scope: str | None
    description: str
    hints: tuple[QueryHint, ...] = ()
    body: str = ""

    @property
    def read_only(self) -> bool:
        return self.method == "GET"


_TIME = "yyyy-MM-dd HH:mm:ss"
_PAGING = (
    QueryHint("page", "1", "page number, from 1"),
    QueryHint("limit", "20", "items per page"),
)


def _since(event: str, example: str) -> QueryHint:
    """``created_from_date`` and the like: things ``event`` (created, updated) at or after."""
    return QueryHint(f"{event}_from_date", example, f"{event} at or after ({_TIME})")


def _until(event: str, example: str) -> QueryHint:
    """``created_to_date`` and the like: things ``event`` (created, updated) at or before."""
    return QueryHint(f"{event}_to_date", example, f"{event} at or before ({_TIME})")


PRESETS: tuple[ApiPreset, ...] = (
    ApiPreset(
        "sellers_me",
        "The seller (sellers/me)",
        "GET",
        "/integration/v2/sellers/me",
        None,
        "The seller the token belongs to: id, name, active, operation models.",
    ),
    ApiPreset(
        "warehouses",
        "The seller's warehouses",
        "GET",
        "/integration/v2/sellers/me/warehouses",
        None,
        "Warehouses Tiki picks up from (requisition) or returns to (withdrawal).",
        (
            QueryHint("status", "1", "1 active, 0 inactive"),
            QueryHint("type", "1", "1 requisition, 2 withdrawal"),
            *_PAGING,
        ),
    ),
    ApiPreset(
        "products",
        "Products",
        "GET",
        "/integration/v2/products",
        "product",
        "The seller's latest products; include=inventory adds stock per warehouse.",
        (
            QueryHint("active", "1", "1 active, 0 inactive"),
            QueryHint("include", "inventory", "add stock per warehouse"),
            QueryHint("category_id", "1795", "only products of this category"),
            _since("created", "2024-03-01 00:00:00"),
            _until("created", "2024-03-31 23:59:59"),
            _since("updated", "2024-04-01 00:00:00"),
            _until("updated", "2024-04-30 23:59:59"),
            *_PAGING,
        ),
    ),
    ApiPreset(
        "orders",
        "Orders",
        "GET",
        "/integration/v2/orders",
        "order",
        "The seller's orders (Order API v2), latest first.",
        (
            QueryHint("status", "queueing", "statuses, comma-separated; 'nin|a,b' excludes"),
            QueryHint("code", "100000000", "one order by its code"),
            _since("created", "2024-04-01 00:00:00"),
            _until("created", "2024-05-31 23:59:59"),
            _since("updated", "2024-04-01 00:00:00"),
            QueryHint("include", "status_histories", "add each order's status history"),
            *_PAGING,
        ),
    ),
    ApiPreset(
        "categories",
        "Categories",
        "GET",
        "/integration/v2/categories",
        None,
        "Tiki's category tree; parent=ID lists one category's children.",
        (
            QueryHint("parent", "2", "children of this category"),
            QueryHint("name", "sách", "names containing this text"),
        ),
    ),
    ApiPreset(
        "confirm_dropship",
        "Confirm a drop-ship order's stock",
        "POST",
        "/integration/v2/orders/{code}/dropship/confirm-available",
        "order",
        "A write: tells Tiki the order's items are in stock (or not) and which warehouse to "
        "pick them up from. Put the order's code in the path and a warehouse id in the body.",
        body=(
            "{\n"
            '  "confirmation_status": "seller_confirmed",\n'
            '  "seller_inventory_id": 0,\n'
            '  "expected_pickup_time": "2024-06-01 09:00:00"\n'
            "}\n"
        ),
    ),
)


def preset_by_key(key: str) -> ApiPreset:
    """The preset named ``key``; KeyError if there is none."""
    for preset in PRESETS:
        if preset.key == key:
            return preset
    raise KeyError(key)


_GRANTED_BY = {"product": ("product", "all"), "order": ("order", "all")}


def granting_scopes(required: str) -> tuple[str, ...]:
    """The scopes that satisfy ``required`` (``all``, deprecated, grants product and order)."""
    return _GRANTED_BY.get(required, (required,))


def missing_scope(granted: Iterable[str] | None, required: str | None) -> str | None:
    """The scope ``required`` if the ``granted`` scopes lack it, else None.

    None too when nothing is required or when the granted scopes are unknown (``granted`` is None:
    the token response carried no ``scope``), because then there is nothing to warn about.
    """
    if required is None or granted is None:
        return None
    if set(granting_scopes(required)).intersection(granted):
        return None
    return required


def scope_warning(granted: Iterable[str] | None, preset: ApiPreset) -> str | None:
    """A sentence to show before sending ``preset`` with a token lacking its scope, else None."""
    granted_list = None if granted is None else list(granted)
    missing = missing_scope(granted_list, preset.scope)
    if missing is None:
        return None
    shown = " ".join(granted_list or []) or "none"
    return (
        f"This token was not granted the '{missing}' scope that {preset.label} needs "
        f"(granted: {shown}): Tiki will answer 403. Authorize again with '{missing}' in the "
        "scope, if the app is approved for it in Tiki's console."
    )
