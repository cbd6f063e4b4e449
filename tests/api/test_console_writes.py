"""The console's writes: a JSON body checked before anything is sent, sent as the app says."""

from __future__ import annotations

import json

import httpx
import pytest

from tiki_gui.api.console import (
    REQUEST_BODY_LIMIT,
    ApiRequest,
    JsonProblem,
    json_problem,
    placeholder_in,
    send_api_request,
)
from tiki_gui.api.presets import preset_by_key
from tiki_gui.core.errors import ValidationError
from tiki_gui.sandbox import SandboxServer

from .conftest import TokenMaker, waiting_order_and_warehouse

_CONFIRM = preset_by_key("confirm_dropship")


@pytest.mark.parametrize(
    ("method", "body", "said"),
    [
        ("GET", '{"a": 1}', "A GET request carries no body"),
        ("DELETE", "[]", "A DELETE request carries no body"),
        ("POST", '{"a": 1 "b": 2}', "not valid JSON (line 1, column 9"),
        ("POST", '{"a": 1,}', "not valid JSON (line 1, column "),  # 3.13 words it its own way
        ("PUT", '{\n  "a": 1\n  "b": 2\n}', "not valid JSON (line 3, column 3"),
        ("PATCH", "x" * (REQUEST_BODY_LIMIT + 1), "larger than 1024 KB"),
    ],
)
def test_bodies_refused_before_sending(method: str, body: str, said: str) -> None:
    with pytest.raises(ValidationError) as info:
        ApiRequest(method, "/integration/v2/x", body=body)
    assert said in str(info.value)


def test_a_blank_body_is_no_body_and_any_json_value_is_a_body() -> None:
    assert ApiRequest("GET", "/x", body="  \n\t").body == ""
    assert ApiRequest("POST", "/x", body=" \n").body == ""
    for text in ('{"a": [1, 2.5, null, "\u1ea1"]}', "[]", "3", '"text"', "null"):
        assert ApiRequest("POST", "/x", body=text).body == text
    assert ApiRequest.parse("POST", "/x?y=1", body="{}").body == "{}"
    assert "{}" not in repr(ApiRequest("POST", "/x", body="{}"))  # a body stays out of logs


def test_json_problem_says_where() -> None:
    assert json_problem('{"a": 1}') is None
    assert json_problem('{"a" 1}') == JsonProblem(1, 6, "Expecting ':' delimiter")
    assert json_problem("[" * 100_000) is not None  # too deep is a problem, not a crash


def test_a_placeholder_left_in_the_path_is_refused() -> None:
    assert placeholder_in(_CONFIRM.path) == "{code}"
    assert placeholder_in("/integration/v2/orders/1") is None
    with pytest.raises(ValidationError) as info:
        ApiRequest("POST", _CONFIRM.path, body=_CONFIRM.body)
    assert "Replace {code} in the path" in str(info.value)


def test_the_write_preset_confirms_an_order_on_the_sandbox(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker
) -> None:
    token = new_token("order", "shop-writes").access_token
    code, inventory = waiting_order_and_warehouse(http, sandbox, token)
    body = json.loads(_CONFIRM.body)
    body["seller_inventory_id"] = inventory
    request = ApiRequest(
        _CONFIRM.method, _CONFIRM.path.replace("{code}", code), body=json.dumps(body)
    )
    result = send_api_request(http, sandbox.api_base, request, token, allow_write=True)
    assert result.status_code == 200, result.body_text
    assert isinstance(result.json_body, dict)
    assert result.json_body["items"][0]["confirmation"]["status"] == "seller_confirmed"
    assert result.json_body["expected_pickup_time"] == body["expected_pickup_time"]
    again = send_api_request(http, sandbox.api_base, request, token, allow_write=True)
    assert again.status_code == 409
    assert again.refusal is not None
    assert "not waiting" in " ".join(again.refusal.messages)
