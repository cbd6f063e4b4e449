"""The seller check, against a real HTTP server answering in Tiki's shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from scripted_server import Reply, ScriptedServer

from tiki_gui.core.errors import (
    ApiError,
    ApiForbiddenError,
    ApiRateLimitedError,
    ApiUnauthorizedError,
    MalformedResponseError,
    ValidationError,
)
from tiki_gui.core.http import make_http_client
from tiki_gui.core.seller import Seller, SellerApi, parse_retry_after

TOKEN = "ory_at_0123456789abcdefghij.klmnopqrstuv"
LOGO = "http://uat.tikicdn.com/ts/seller/8e/25/1b/ac9d0bd1f30f721d198ad37a519ffb9a.png"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TIKI_EXAMPLE = {
    "id": 5678,
    "sid": "11047E39EC3D534013C587D207584D454B01C65",
    "name": "Sushi shop",
    "active": 1,
    "logo": LOGO,
    "operation_models": ["dropship", "instock"],
    "can_update_product": 1,
    "registration_status": "completed",
    "live_at": "2021-12-08 10:05:39",
}


def _json(status: int, body: object, *headers: tuple[str, str]) -> Reply:
    return Reply(
        status, json.dumps(body).encode(), (("Content-Type", "application/json"), *headers)
    )


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client(timeout=httpx.Timeout(5.0)) as client:
        yield client


def _me(http: httpx.Client, *answers: Reply) -> Seller:
    with ScriptedServer(*answers) as server:
        return SellerApi(server.url("/"), http, clock=lambda: NOW).me(TOKEN)


def test_tikis_documented_answer(http: httpx.Client) -> None:
    with ScriptedServer(_json(200, TIKI_EXAMPLE)) as server:
        seller = SellerApi(server.url(), http).me(TOKEN)
    (sent,) = server.recorded
    assert (sent.method, sent.path) == ("GET", "/integration/v2/sellers/me")
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["accept"] == "application/json"
    assert seller == Seller(
        id=5678,
        name="Sushi shop",
        active=True,
        sid="11047E39EC3D534013C587D207584D454B01C65",
        logo=LOGO,
        operation_models=("dropship", "instock"),
        can_update_product=True,
        registration_status="completed",
        live_at="2021-12-08 10:05:39",
    )


def test_minimal_seller_with_json_booleans() -> None:
    seller = Seller.from_json({"id": "12", "name": "Shop", "active": False})
    assert (seller.id, seller.active, seller.operation_models) == (12, False, ())
    assert seller.can_update_product is None
    assert seller.registration_status is None


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        ({"id": None}, "id"),
        ({"id": True}, "id"),
        ({"id": "x"}, "id"),
        ({"name": 5}, "name"),
        ({"active": None}, "active"),
        ({"active": 2}, "active"),
        ({"operation_models": "dropship"}, "operation_models"),
        ({"can_update_product": "yes"}, "can_update_product"),
        ({"sid": 1}, "sid"),
    ],
)
def test_wrong_shapes_are_malformed(damage: dict[str, object], field: str) -> None:
    with pytest.raises(MalformedResponseError, match=f"invalid '{field}'"):
        Seller.from_json({**TIKI_EXAMPLE, **damage})


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, ApiUnauthorizedError),
        (403, ApiForbiddenError),
        (404, ApiError),
        (400, ApiError),
        (500, ApiError),
        (503, ApiError),
    ],
)
def test_tiki_error_bodies_become_typed_errors(
    http: httpx.Client, status: int, cls: type[ApiError]
) -> None:
    body = {"errors": ["token is expired", {"message": "seller not linked", "code": "X1"}]}
    with pytest.raises(ApiError) as info:
        _me(http, _json(status, body))
    assert type(info.value) is cls
    assert info.value.status_code == status
    assert info.value.messages == ("token is expired", "seller not linked")
    assert f"HTTP {status}" in str(info.value)
    assert "token is expired; seller not linked" in str(info.value)


def test_unauthorized_explains_itself(http: httpx.Client) -> None:
    with pytest.raises(ApiUnauthorizedError, match="expired or not linked to a seller"):
        _me(http, _json(401, {"errors": ["Unauthorized"]}))


def test_rate_limited_with_retry_after_seconds(http: httpx.Client) -> None:
    with pytest.raises(ApiRateLimitedError) as info:
        _me(http, _json(429, {"errors": ["Too many requests"]}, ("Retry-After", "7")))
    assert info.value.retry_after == 7.0
    assert info.value.status_code == 429
    assert "retry after 7 s" in str(info.value)


def test_rate_limited_with_retry_after_date(http: httpx.Client) -> None:
    header = ("Retry-After", "Wed, 01 May 2024 12:00:30 GMT")
    with pytest.raises(ApiRateLimitedError) as info:
        _me(http, _json(429, {"message": "API rate limit exceeded"}, header))
    assert info.value.retry_after == 30.0
    assert info.value.messages == ("API rate limit exceeded",)


def test_rate_limited_without_retry_after(http: httpx.Client) -> None:
    with pytest.raises(ApiRateLimitedError) as info:
        _me(http, Reply(429, b"slow down", (("Content-Type", "text/plain"),)))
    assert info.value.retry_after is None
    assert info.value.messages == ()


def test_error_status_with_an_html_body_keeps_its_type(http: httpx.Client) -> None:
    page = Reply(502, b"<html>Bad gateway</html>", (("Content-Type", "text/html"),))
    with pytest.raises(ApiError) as info:
        _me(http, page)
    assert info.value.status_code == 502
    assert info.value.messages == ()


def test_bad_json_on_success_is_malformed(http: httpx.Client) -> None:
    with pytest.raises(MalformedResponseError, match="not JSON") as info:
        _me(http, Reply(200, b"<html>login</html>"))
    assert info.value.status_code == 200
    assert info.value.excerpt == "<html>login</html>"


def test_wrong_json_on_success_is_malformed_with_status(http: httpx.Client) -> None:
    with pytest.raises(MalformedResponseError, match="invalid 'id'") as info:
        _me(http, _json(200, {"data": TIKI_EXAMPLE}))
    assert info.value.status_code == 200
    assert info.value.excerpt == "fields: data"


def test_an_echoed_token_is_removed_from_messages(http: httpx.Client) -> None:
    with pytest.raises(ApiUnauthorizedError) as info:
        _me(http, _json(401, {"errors": [f"token {TOKEN} is expired"]}))
    assert info.value.messages == ("token [redacted] is expired",)
    assert TOKEN not in str(info.value) + repr(info.value)


@pytest.mark.parametrize("token", ["", "two words", "line\nbreak"])
def test_unusable_tokens_are_refused_before_sending(http: httpx.Client, token: str) -> None:
    with (
        ScriptedServer(_json(200, TIKI_EXAMPLE)) as server,
        pytest.raises(ValidationError, match="access token is empty or contains spaces"),
    ):
        SellerApi(server.url(), http).me(token)
    assert server.recorded == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("120", 120.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("Wed, 01 May 2024 12:01:00 GMT", 60.0),
        ("Wed, 01 May 2024 11:00:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected
