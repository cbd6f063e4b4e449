"""The sandbox's seller API beyond sellers/me: warehouses, products, orders and categories.

Over real HTTP: shapes of Tiki's API reference, paging, filters, and the scopes each call needs.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer, seller_for

from .wire import obtain_tokens, refresh

API = "/integration/v2"
PAGING_KEYS = {"total", "per_page", "current_page", "last_page", "from", "to"}


def _get(
    http: httpx.Client, server: SandboxServer, token: object, path: str, **params: str
) -> httpx.Response:
    assert isinstance(token, str)
    return http.get(
        server.api_base + API + path, params=params, headers={"Authorization": f"Bearer {token}"}
    )


def _token(http: httpx.Client, server: SandboxServer, scope: str = "offline product order") -> str:
    token = obtain_tokens(http, server, scope=scope, username="shop-7")["access_token"]
    assert isinstance(token, str)
    return token


def _page(response: httpx.Response) -> tuple[list[Any], dict[str, Any]]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "paging"}
    assert set(body["paging"]) == PAGING_KEYS
    return body["data"], body["paging"]


def _page_or_object(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


def _errors(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["errors"]
    (message,) = body["errors"]
    assert isinstance(message, str)
    return message


def test_warehouses_of_the_seller(sandbox: SandboxServer, http: httpx.Client) -> None:
    token = _token(http, sandbox)
    data, paging = _page(_get(http, sandbox, token, "/sellers/me/warehouses"))
    seller_id = seller_for("shop-7")["id"]
    assert len(data) == paging["total"] == 2
    assert {w["type"] for w in data} == {"requisition", "withdrawal"}
    for warehouse in data:
        assert warehouse["seller_id"] == seller_id
        assert set(warehouse["address"]) == {"street", "ward", "district", "region", "country"}
    (withdrawal,) = _page(_get(http, sandbox, token, "/sellers/me/warehouses", type="2"))[0]
    assert withdrawal["type"] == "withdrawal"


def test_products_with_inventory_paging_and_filters(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    token = _token(http, sandbox, "product")
    everything, paging = _page(_get(http, sandbox, token, "/products", limit="100"))
    assert paging["total"] == len(everything) == 7
    assert all("inventory" not in p for p in everything)
    created = [str(p["created_at"]) for p in everything]
    assert created == sorted(created, reverse=True)  # latest first

    first, paging = _page(_get(http, sandbox, token, "/products", limit="3", page="1"))
    third, paging3 = _page(_get(http, sandbox, token, "/products", limit="3", page="3"))
    assert [p["id"] for p in first] == [p["id"] for p in everything[:3]]
    assert paging == {
        "total": 7,
        "per_page": 3,
        "current_page": 1,
        "last_page": 3,
        "from": 1,
        "to": 3,
    }
    assert len(third) == 1
    assert (paging3["from"], paging3["to"]) == (7, 7)
    beyond, paging4 = _page(_get(http, sandbox, token, "/products", limit="3", page="4"))
    assert beyond == []
    assert paging4["from"] is None

    with_stock, _ = _page(_get(http, sandbox, token, "/products", include="inventory"))
    stocks = with_stock[0]["inventory"]["warehouse_stocks"]
    assert {"warehouse_id", "quantity", "quantity_available"} <= set(stocks[0])

    inactive, _ = _page(_get(http, sandbox, token, "/products", active="0"))
    assert [p["active"] for p in inactive] == [0]
    phones, _ = _page(_get(http, sandbox, token, "/products", category_id="1795"))
    assert len(phones) == 2
    newest = created[0]
    recent, _ = _page(_get(http, sandbox, token, "/products", created_from_date=newest))
    assert [p["created_at"] for p in recent] == [newest]


def test_the_data_is_the_same_every_time_and_differs_between_sellers(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    one = _get(http, sandbox, _token(http, sandbox), "/products", include="inventory").json()
    two = _get(http, sandbox, _token(http, sandbox), "/products", include="inventory").json()
    other_token = obtain_tokens(http, sandbox, username="shop-8")["access_token"]
    other = _get(http, sandbox, other_token, "/products").json()
    assert one == two
    assert {p["id"] for p in one["data"]}.isdisjoint(p["id"] for p in other["data"])


def test_orders_across_statuses_with_filters(sandbox: SandboxServer, http: httpx.Client) -> None:
    token = _token(http, sandbox, "order")
    orders, paging = _page(_get(http, sandbox, token, "/orders"))
    assert paging["total"] == 6
    assert {o["status"] for o in orders} == {
        "queueing",
        "handover_to_partner",
        "successful_delivery",
        "complete",
        "canceled",
    }
    order = orders[0]
    for key in ("code", "fulfillment_type", "invoice", "items", "shipping", "customer"):
        assert key in order
    assert "status_histories" not in order
    queueing, _ = _page(_get(http, sandbox, token, "/orders", status="queueing"))
    assert len(queueing) == 2
    others, _ = _page(_get(http, sandbox, token, "/orders", status="nin|queueing,canceled"))
    assert len(others) == 3
    (by_code,) = _page(_get(http, sandbox, token, "/orders", code=str(order["code"])))[0]
    assert by_code["code"] == order["code"]
    with_history, _ = _page(_get(http, sandbox, token, "/orders", include="status_histories"))
    assert all(o["status_histories"] for o in with_history)
    _, paging = _page(_get(http, sandbox, token, "/orders", limit="4", page="2"))
    assert (paging["from"], paging["to"], paging["last_page"]) == (5, 6, 2)
    dated, _ = _page(
        _get(http, sandbox, token, "/orders", created_to_date=str(orders[-1]["created_at"]))
    )
    assert [o["code"] for o in dated] == [orders[-1]["code"]]


def test_categories_and_one_category(sandbox: SandboxServer, http: httpx.Client) -> None:
    token = _token(http, sandbox, "offline")
    body = _get(http, sandbox, token, "/categories").json()
    assert list(body) == ["data"]
    children = _get(http, sandbox, token, "/categories", parent="316").json()["data"]
    assert {c["name"] for c in children} == {"Sách văn học", "Sách kỹ năng sống"}
    one = _get(http, sandbox, token, "/categories/839")
    assert one.status_code == 200
    assert one.json()["parent_id"] == 316
    assert _errors(_get(http, sandbox, token, "/categories/1"), 404)


@pytest.mark.parametrize(
    ("path", "scope", "granted"),
    [
        ("/products", "product", "offline order"),
        ("/orders", "order", "offline product"),
    ],
)
def test_a_token_without_the_scope_is_403(
    sandbox: SandboxServer, http: httpx.Client, path: str, scope: str, granted: str
) -> None:
    token = _token(http, sandbox, granted)
    assert f"'{scope}'" in _errors(_get(http, sandbox, token, path), 403)


@pytest.mark.parametrize("path", ["/products", "/orders"])
def test_the_deprecated_all_scope_grants_products_and_orders(
    sandbox: SandboxServer, http: httpx.Client, path: str
) -> None:
    _page(_get(http, sandbox, _token(http, sandbox, "all"), path))


@pytest.mark.parametrize(
    "path", ["/sellers/me/warehouses", "/products", "/orders", "/categories", "/categories/839"]
)
def test_every_resource_refuses_missing_expired_and_revoked_tokens(
    sandbox: SandboxServer, http: httpx.Client, path: str
) -> None:
    response = http.get(sandbox.api_base + API + path)
    assert "missing" in _errors(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    tokens = obtain_tokens(http, sandbox)
    refreshed = refresh(http, sandbox, DEMO_BASIC_CLIENT, tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    revoked = _get(http, sandbox, tokens["access_token"], path)
    assert _errors(revoked, 401) == "access token has been revoked"
    fresh = refreshed.json()["access_token"]
    assert _page_or_object(_get(http, sandbox, fresh, path))
    sandbox.advance_clock(3601)
    assert _errors(_get(http, sandbox, fresh, path), 401) == "access token has expired"


def test_inactive_seller_is_403_everywhere(sandbox: SandboxServer, http: httpx.Client) -> None:
    token = obtain_tokens(http, sandbox, username="inactive-shop")["access_token"]
    for path in ("/sellers/me/warehouses", "/products", "/orders"):
        assert _errors(_get(http, sandbox, token, path), 403) == "seller is inactive"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/sellers/me", "/products", "/orders", "/categories"])
def test_writes_are_405(sandbox: SandboxServer, http: httpx.Client, method: str, path: str) -> None:
    token = _token(http, sandbox)
    response = http.request(
        method, sandbox.api_base + API + path, headers={"Authorization": f"Bearer {token}"}
    )
    assert _errors(response, 405)
    assert response.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/products", {"page": "zero"}),
        ("/products", {"limit": "0"}),
        ("/products", {"active": "yes"}),
        ("/products", {"created_from_date": "2024-01-01"}),
        ("/orders", {"updated_to_date": "yesterday"}),
        ("/orders", {"status": "maybe|queueing"}),
    ],
)
def test_unusable_query_values_are_400(
    sandbox: SandboxServer, http: httpx.Client, path: str, params: dict[str, str]
) -> None:
    assert _errors(_get(http, sandbox, _token(http, sandbox), path, **params), 400)
