"""Tiki's seller API (``/integration/v2/...``): the seller, its warehouses, products, orders and
the category tree, over the data of :mod:`tiki_gui.sandbox.catalog`.

Access rules follow Tiki's documentation: every call needs ``Authorization: Bearer <token>``;
401 ``{"errors": [...]}`` for a missing, unknown, expired or revoked token and for a token linked
to no seller (client credentials); 403 for an inactive seller and for a token without the scope a
call needs (``product`` for ``/products``, ``order`` for ``/orders``; the deprecated ``all`` grants
both). ``sellers/me``, ``sellers/me/warehouses`` and ``categories`` need no particular scope (the
reference names none). These paths are read-only: any other method is 405. The one write, a
drop-ship order's stock confirmation (``POST /orders/{code}/dropship/confirm-available``, ``order``
scope), is :mod:`tiki_gui.sandbox.order_writes`. A query value that
cannot be used (a page that is not a number, a date not in ``yyyy-MM-dd HH:mm:ss``) is 400.
Unknown query parameters are ignored.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from tiki_gui.sandbox.catalog import CATEGORIES, TIME_FORMAT, Catalog, catalog_for, category_by_id
from tiki_gui.sandbox.messages import Request, Response, json_response
from tiki_gui.sandbox.order_writes import (
    CONFIRM_SUFFIX,
    ConfirmationBook,
    WriteRefusedError,
    confirmation_from,
)
from tiki_gui.sandbox.store import SandboxStore

__all__ = ["API_PREFIX", "SELLERS_ME_PATH", "SellerApi", "seller_for"]

API_PREFIX = "/integration/v2/"
SELLERS_ME_PATH = "/integration/v2/sellers/me"
_CATEGORY_PREFIX = "/integration/v2/categories/"
_ORDER_PREFIX = "/integration/v2/orders/"
_DEFAULT_LIMIT = 20
_MAX_LIMIT = 100
_SCOPE_ALIASES = {"product": ("product", "all"), "order": ("order", "all")}


def seller_for(username: str) -> dict[str, object]:
    """The seller a username signs in as: stable id and sid derived from a hash of the name."""
    digest = hashlib.sha256(username.encode("utf-8")).digest()
    seller_id = int.from_bytes(digest[:4], "big") % 9_000_000 + 1_000_000
    return {
        "id": seller_id,
        "sid": digest[4:10].hex().upper(),
        "name": username,
        "active": not username.lower().startswith("inactive"),
        "logo": None,
        "operation_models": ["dropship"],
        "can_update_product": True,
        "registration_status": "completed",
        "live_at": "2021-06-01 08:00:00",
    }


def _error(status: int, message: str) -> Response:
    headers: tuple[tuple[str, str], ...] = ()
    if status == 401:
        headers = (("WWW-Authenticate", 'Bearer realm="tiki-sandbox"'),)
    return json_response(status, {"errors": [message]}, headers=headers)


class _BadQueryError(ValueError):
    """A query parameter that cannot be used: answered 400 with the message."""


def _int_param(query: Mapping[str, str], name: str, default: int, *, lowest: int = 1) -> int:
    text = query.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < lowest:
        raise _BadQueryError(f"'{name}' must be a whole number from {lowest}")
    return int(text)


def _time_param(query: Mapping[str, str], name: str) -> str | None:
    """A ``yyyy-MM-dd HH:mm:ss`` bound, normalised so that it compares as text."""
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, TIME_FORMAT).strftime(TIME_FORMAT)
    except ValueError:
        raise _BadQueryError(f"'{name}' must be a date-time as yyyy-MM-dd HH:mm:ss") from None


def _within_dates(item: Mapping[str, object], query: Mapping[str, str]) -> bool:
    for field in ("created", "updated"):
        value = str(item[f"{field}_at"])
        low = _time_param(query, f"{field}_from_date")
        high = _time_param(query, f"{field}_to_date")
        if (low is not None and value < low) or (high is not None and value > high):
            return False
    return True


def _page(items: Sequence[dict[str, object]], query: Mapping[str, str]) -> dict[str, object]:
    """Tiki's list shape: ``{"data": [...], "paging": {total, per_page, current_page, ...}}``."""
    page = _int_param(query, "page", 1)
    limit = min(_int_param(query, "limit", _DEFAULT_LIMIT), _MAX_LIMIT)
    start = (page - 1) * limit
    chunk = list(items[start : start + limit])
    total = len(items)
    return {
        "data": chunk,
        "paging": {
            "total": total,
            "per_page": limit,
            "current_page": page,
            "last_page": max(1, math.ceil(total / limit)),
            "from": start + 1 if chunk else None,
            "to": start + len(chunk) if chunk else None,
        },
    }


def _status_filter(text: str) -> Callable[[str], bool]:
    """``status=a,b``, ``status=in|a,b`` or ``status=nin|a,b`` (as Tiki's guide writes it)."""
    mode, _, values = text.partition("|") if "|" in text else ("in", "", text)
    wanted = {v.strip() for v in values.split(",") if v.strip()}
    if mode not in ("in", "nin"):
        raise _BadQueryError("'status' must be statuses, optionally after 'in|' or 'nin|'")
    if mode == "nin":
        return lambda status: status not in wanted
    return lambda status: status in wanted


def _category_ids(product: Mapping[str, object]) -> set[object]:
    categories = product.get("categories")
    if not isinstance(categories, list):
        return set()
    return {c.get("id") for c in categories if isinstance(c, dict)}


class SellerApi:
    """The seller API resources of the sandbox."""

    def __init__(
        self, store: SandboxStore, *, clock: Callable[[], datetime] = datetime.now
    ) -> None:
        self._store = store
        self._clock = clock
        self._confirmations = ConfirmationBook()
        self._routes: dict[str, tuple[str | None, Callable[..., Response]]] = {
            SELLERS_ME_PATH: (None, self._me),
            SELLERS_ME_PATH + "/warehouses": (None, self._warehouses),
            "/integration/v2/products": ("product", self._products),
            "/integration/v2/orders": ("order", self._orders),
            "/integration/v2/categories": (None, self._categories),
        }

    def handles(self, path: str) -> bool:
        """True for the paths this API serves (the router sends them here, any method)."""
        return (
            path in self._routes
            or (path.startswith(_CATEGORY_PREFIX) and path[len(_CATEGORY_PREFIX) :].isdigit())
            or _confirmed_order_code(path) is not None
        )

    def handle(self, request: Request) -> Response:
        method = "GET"
        extra: tuple[object, ...] = ()
        if request.path in self._routes:
            scope, action = self._routes[request.path]
        elif (code := _confirmed_order_code(request.path)) is not None:
            method, scope, action, extra = "POST", "order", self._confirm, (code, request)
        elif self.handles(request.path):
            scope, action = None, self._category
            extra = (int(request.path[len(_CATEGORY_PREFIX) :]),)
        else:
            return json_response(404, {"errors": [f"no such resource: {request.path}"]})
        if request.method != method:
            return json_response(
                405, {"errors": ["method not allowed"]}, headers=(("Allow", method),)
            )
        authorization = request.header("authorization") or ""
        kind, _, token = authorization.partition(" ")
        token = token.strip()
        if kind.lower() != "bearer" or not token:
            return _error(401, "access token is missing: send 'Authorization: Bearer <token>'")
        try:
            record = self._store.check_access_token(token)
        except ValueError as exc:
            return _error(401, str(exc))
        if record.subject is None:
            return _error(401, "token is not linked to a seller")
        seller = seller_for(record.subject)
        if not seller["active"]:
            return _error(403, "seller is inactive")
        if scope is not None and not set(_SCOPE_ALIASES[scope]).intersection(record.scopes):
            return _error(
                403, f"the access token was not granted the scope this call needs: '{scope}'"
            )
        try:
            return action(seller, request.query, *extra)
        except _BadQueryError as exc:
            return _error(400, str(exc))
        except WriteRefusedError as exc:
            return _error(exc.status, str(exc))

    # -- resources ------------------------------------------------------------------------------

    @staticmethod
    def _catalog(seller: Mapping[str, object]) -> Catalog:
        return catalog_for(int(str(seller["id"])), str(seller["name"]))

    def _me(self, seller: dict[str, object], query: Mapping[str, str]) -> Response:
        return json_response(200, seller)

    def _warehouses(self, seller: dict[str, object], query: Mapping[str, str]) -> Response:
        items = list(self._catalog(seller).warehouses)
        status = query.get("status", "").strip()
        if status:
            if status not in ("0", "1"):
                raise _BadQueryError("'status' must be 1 (active) or 0 (inactive)")
            items = [w for w in items if str(w["status"]) == status]
        kind = query.get("type", "").strip()
        if kind:  # 1 requisition, 2 withdrawal (numbering assumed: not in the reference)
            names = {"1": "requisition", "2": "withdrawal"}
            if kind not in names:
                raise _BadQueryError("'type' must be 1 (requisition) or 2 (withdrawal)")
            items = [w for w in items if w["type"] == names[kind]]
        return json_response(200, _page(items, query))

    def _products(self, seller: dict[str, object], query: Mapping[str, str]) -> Response:
        catalog = self._catalog(seller)
        includes = {part.strip() for part in query.get("include", "").split(",")}
        with_inventory = "inventory" in includes
        active = query.get("active", "").strip()
        if active and active not in ("0", "1"):
            raise _BadQueryError("'active' must be 1 (active) or 0 (inactive)")
        category = _int_param(query, "category_id", 0, lowest=1) if query.get("category_id") else 0
        items: list[dict[str, object]] = []
        for index, product in enumerate(catalog.products):
            if active and str(product["active"]) != active:
                continue
            if category and category not in _category_ids(product):
                continue
            if not _within_dates(product, query):
                continue
            items.append(catalog.product_json(index, with_inventory=with_inventory))
        items.sort(key=lambda p: str(p["created_at"]), reverse=True)  # latest first, as Tiki
        return json_response(200, _page(items, query))

    def _orders(self, seller: dict[str, object], query: Mapping[str, str]) -> Response:
        seller_id = int(str(seller["id"]))
        items = [
            self._confirmations.applied(seller_id, dict(order))
            for order in self._catalog(seller).orders
        ]
        code = query.get("code", "").strip()
        if code:
            items = [o for o in items if o["code"] == code]
        status = query.get("status", "").strip()
        if status:
            keep = _status_filter(status)
            items = [o for o in items if keep(str(o["status"]))]
        fulfillment = query.get("fulfillment_type", "").strip()
        if fulfillment:
            items = [o for o in items if o["fulfillment_type"] == fulfillment]
        items = [o for o in items if _within_dates(o, query)]
        if "status_histories" not in query.get("include", ""):
            for order in items:
                order.pop("status_histories", None)
        items.sort(key=lambda o: str(o["created_at"]), reverse=True)
        return json_response(200, _page(items, query))

    def _confirm(
        self, seller: dict[str, object], query: Mapping[str, str], code: str, request: Request
    ) -> Response:
        catalog = self._catalog(seller)
        order = next((o for o in catalog.orders if o["code"] == code), None)
        if order is None:
            return _error(404, f"order {code} not found")
        warehouses = {int(str(w["id"])): str(w["name"]) for w in catalog.warehouses}
        made = confirmation_from(
            request.content_type, request.body, warehouses, self._store.clock.now()
        )
        seller_id = int(str(seller["id"]))
        self._confirmations.record(seller_id, order, made)
        return json_response(200, self._confirmations.applied(seller_id, dict(order)))

    def _categories(self, seller: dict[str, object], query: Mapping[str, str]) -> Response:
        items = [dict(c) for c in CATEGORIES]
        if query.get("parent", "").strip():
            parent = _int_param(query, "parent", 0)
            items = [c for c in items if c["parent_id"] == parent]
        name = query.get("name", "").strip().casefold()
        if name:
            items = [c for c in items if name in str(c["name"]).casefold()]
        return json_response(200, {"data": items})

    def _category(
        self, seller: dict[str, object], query: Mapping[str, str], category_id: int
    ) -> Response:
        category = category_by_id(category_id)
        if category is None:
            return _error(404, f"category {category_id} not found")
        return json_response(200, category)


def _confirmed_order_code(path: str) -> str | None:
    """``123`` for ``/integration/v2/orders/123/dropship/confirm-available``, else None."""
    if not (path.startswith(_ORDER_PREFIX) and path.endswith(CONFIRM_SUFFIX)):
        return None
    code = path[len(_ORDER_PREFIX) : -len(CONFIRM_SUFFIX)]
    return code if code.isascii() and code.isdigit() else None
