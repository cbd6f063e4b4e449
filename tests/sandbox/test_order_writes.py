"""The sandbox's write call: confirming a drop-ship order's stock, over real HTTP.

A JSON API server's checks (media type, JSON, object, fields), the scope, the order's state, and
the confirmation showing in the order list afterwards.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tiki_gui.sandbox import SandboxServer

from .test_seller_resources import _errors, _get, _page, _token

CONFIRM = "/integration/v2/orders/{code}/dropship/confirm-available"


def _post(
    http: httpx.Client,
    server: SandboxServer,
    token: str,
    code: object,
    body: object,
    *,
    content_type: str = "application/json",
) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http.post(
        server.api_base + CONFIRM.format(code=code),
        content=content,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )


def _waiting_order_and_warehouse(
    http: httpx.Client, server: SandboxServer, token: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    orders, _ = _page(_get(http, server, token, "/orders", status="queueing"))
    order = orders[0]
    assert order["items"][0]["confirmation"]["status"] == "waiting"
    warehouses, _ = _page(_get(http, server, token, "/sellers/me/warehouses"))
    return order, warehouses[-1]


def _confirmation(
    warehouse: dict[str, Any], status: str = "seller_confirmed", pickup: str | None = None
) -> dict[str, object]:
    body: dict[str, object] = {
        "confirmation_status": status,
        "seller_inventory_id": warehouse["id"],
    }
    if pickup is not None:
        body["expected_pickup_time"] = pickup
    return body


def test_a_confirmation_is_kept_and_shown_in_the_order_list(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    token = _token(http, sandbox, "order")
    order, warehouse = _waiting_order_and_warehouse(http, sandbox, token)
    body = _confirmation(warehouse, pickup="2026-12-07 09:00:00")
    answer = _post(http, sandbox, token, order["code"], body)
    assert answer.status_code == 200, answer.text
    confirmed = answer.json()
    assert confirmed["code"] == order["code"]
    assert confirmed["items"][0]["confirmation"]["status"] == "seller_confirmed"
    assert confirmed["seller_warehouse"] == {"id": warehouse["id"], "name": warehouse["name"]}
    assert confirmed["expected_pickup_time"] == "2026-12-07 09:00:00"
    (listed,), _ = _page(_get(http, sandbox, token, "/orders", code=order["code"]))
    assert listed["items"][0]["confirmation"] == confirmed["items"][0]["confirmation"]
    again = _post(http, sandbox, token, order["code"], body)
    assert "not waiting" in _errors(again, 409)


def test_refusing_the_stock_cancels_the_order(sandbox: SandboxServer, http: httpx.Client) -> None:
    token = _token(http, sandbox, "order")
    order, warehouse = _waiting_order_and_warehouse(http, sandbox, token)
    body = _confirmation(warehouse, "seller_canceled")
    answer = _post(http, sandbox, token, order["code"], body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "canceled"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "said"),
    [
        ({"confirmation_status": "seller_confirmed"}, "text/plain", 415, "application/json"),
        (b"{not json", "application/json", 400, "not valid JSON"),
        (b"\xff\xfe", "application/json", 400, "not valid JSON"),
        ([1, 2], "application/json", 400, "JSON object"),
        ({"confirmation_status": "yes"}, "application/json", 400, "confirmation_status"),
        (
            {"confirmation_status": "seller_confirmed"},
            "application/json",
            400,
            "seller_inventory_id",
        ),
        (
            {"confirmation_status": "seller_confirmed", "seller_inventory_id": True},
            "application/json",
            400,
            "seller_inventory_id",
        ),
        (
            {"confirmation_status": "seller_confirmed", "seller_inventory_id": 1},
            "application/json",
            400,
            "not one of the seller's warehouses",
        ),
    ],
)
def test_bodies_a_json_api_refuses(
    sandbox: SandboxServer,
    http: httpx.Client,
    body: object,
    content_type: str,
    status: int,
    said: str,
) -> None:
    token = _token(http, sandbox, "order")
    order, _ = _waiting_order_and_warehouse(http, sandbox, token)
    answer = _post(http, sandbox, token, order["code"], body, content_type=content_type)
    assert said in _errors(answer, status)
    (listed,), _ = _page(_get(http, sandbox, token, "/orders", code=order["code"]))
    assert listed["items"][0]["confirmation"]["status"] == "waiting"  # nothing was changed


def test_a_bad_pickup_time_unknown_order_wrong_method_and_missing_scope(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    token = _token(http, sandbox, "order")
    order, warehouse = _waiting_order_and_warehouse(http, sandbox, token)
    body = _confirmation(warehouse, pickup="tomorrow")
    assert "expected_pickup_time" in _errors(_post(http, sandbox, token, order["code"], body), 400)
    body.pop("expected_pickup_time")
    assert "not found" in _errors(_post(http, sandbox, token, "100000001", body), 404)
    put = http.put(
        sandbox.api_base + CONFIRM.format(code=order["code"]),
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert put.headers["Allow"] == "POST"
    _errors(put, 405)
    product_only = _token(http, sandbox, "product")
    assert "'order'" in _errors(_post(http, sandbox, product_only, order["code"], body), 403)
    anonymous = http.post(sandbox.api_base + CONFIRM.format(code=order["code"]), json=body)
    assert "missing" in _errors(anonymous, 401)
