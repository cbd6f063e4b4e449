"""The request console's core against the sandbox over real HTTP, as the app will use it.

Every preset with a fresh token; a token without the scope a preset needs; an expired token
(refreshed, then sent); a revoked token; a write refused without the switch; and answers the
sandbox does not give (a huge body, a 429, a 5xx, an echoed token) from a scripted server.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import httpx
import pytest
from core.hostile_server import HostileServer, drip, endless_chunked, silent
from scripted_server import Reply, ScriptedServer
from timeline_hooks import attach

from tiki_gui.api.console import (
    BODY_TEXT_LIMIT,
    CONSOLE_MAX_BODY,
    ApiRequest,
    ApiResult,
    WriteNotAllowedError,
    needs_refresh,
    request_url,
    send_api_request,
)
from tiki_gui.api.presets import PRESETS, preset_by_key, scope_warning
from tiki_gui.api.refusals import RefusalKind, explain_refusal
from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.errors import (
    RequestCancelledError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ValidationError,
)
from tiki_gui.core.http import make_http_client
from tiki_gui.core.timeline import Timeline
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import SandboxServer, seller_for

from .conftest import TokenMaker


def _send(
    sandbox: SandboxServer,
    http: httpx.Client,
    request: ApiRequest,
    token: str,
    *,
    allow_write: bool = False,
    required_scope: str | None = None,
) -> ApiResult:
    return send_api_request(
        http,
        sandbox.api_base,
        request,
        token,
        allow_write=allow_write,
        required_scope=required_scope,
    )


@pytest.mark.parametrize("key", [p.key for p in PRESETS if p.read_only])
def test_each_preset_with_a_fresh_token(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker, key: str
) -> None:
    preset = preset_by_key(key)
    token = new_token("offline product order", "shop-9")
    assert scope_warning(token.scope, preset) is None
    result = _send(sandbox, http, ApiRequest.from_preset(preset), token.access_token)
    assert result.ok, result.body_text
    assert result.status_code == 200
    assert result.reason == "OK"
    assert result.refusal is None
    assert result.elapsed > 0
    assert result.content_type == "application/json"
    assert result.url == sandbox.api_base + preset.path
    assert isinstance(result.json_body, dict)
    assert json.loads(result.body_text) == result.json_body
    assert result.body_size == len(result.body_text.encode("utf-8"))
    if preset.key == "sellers_me":
        assert result.json_body["id"] == seller_for("shop-9")["id"]
    else:
        assert isinstance(result.json_body["data"], list)
        assert result.json_body["data"]


def test_query_parameters_reach_tiki(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker
) -> None:
    token = new_token().access_token
    request = ApiRequest.from_preset(
        preset_by_key("products"), {"include": "inventory", "limit": "2", "active": ""}
    )
    assert request.query == (("include", "inventory"), ("limit", "2"))
    result = _send(sandbox, http, request, token)
    body = result.json_body
    assert isinstance(body, dict)
    assert len(body["data"]) == 2
    assert "inventory" in body["data"][0]
    assert body["paging"]["per_page"] == 2
    typed = ApiRequest.parse("get", "/integration/v2/orders?status=nin%7Ccanceled&limit=50")
    assert typed.query == (("status", "nin|canceled"), ("limit", "50"))
    orders = _send(sandbox, http, typed, token).json_body
    assert isinstance(orders, dict)
    assert "canceled" not in {o["status"] for o in orders["data"]}


@pytest.mark.parametrize(("key", "scope"), [("products", "product"), ("orders", "order")])
def test_a_token_without_the_scope_is_warned_then_explained(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker, key: str, scope: str
) -> None:
    preset = preset_by_key(key)
    other = {"product": "order", "order": "product"}[scope]
    token = new_token(f"offline {other}")
    warning = scope_warning(token.scope, preset)
    assert warning is not None
    assert f"'{scope}'" in warning
    result = _send(
        sandbox, http, ApiRequest.from_preset(preset), token.access_token, required_scope=scope
    )
    assert result.status_code == 403
    assert result.refusal is not None
    assert result.refusal.kind is RefusalKind.FORBIDDEN
    assert f"'{scope}' scope" in result.refusal.explanation
    assert "approved" in result.refusal.explanation
    assert not result.refusal.offer_refresh
    assert not result.refusal.may_retry
    assert result.refusal.messages  # Tiki's own words are kept


def test_an_expired_token_is_explained_then_refreshed_and_sent(
    sandbox: SandboxServer,
    http: httpx.Client,
    new_token: TokenMaker,
    token_client: TokenClient,
) -> None:
    token = new_token()
    request = ApiRequest.from_preset(preset_by_key("orders"))
    sandbox.advance_clock(3601)
    result = _send(sandbox, http, request, token.access_token)
    assert result.status_code == 401
    assert result.refusal is not None
    assert result.refusal.kind is RefusalKind.UNAUTHORIZED
    assert result.refusal.offer_refresh
    assert "expired" in result.refusal.explanation
    assert result.refusal.messages == ("access token has expired",)

    assert token.expires_at is not None
    assert needs_refresh(token, token.expires_at - timedelta(seconds=30))
    assert not needs_refresh(token, token.expires_at - timedelta(seconds=300))
    fresh = token_client.refresh(token)
    assert not needs_refresh(fresh)
    assert _send(sandbox, http, request, fresh.access_token).status_code == 200


def test_a_revoked_token_is_explained(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker, token_client: TokenClient
) -> None:
    token = new_token()
    token_client.refresh(token)  # rotation revokes the old pair
    result = _send(sandbox, http, ApiRequest(), token.access_token)
    assert result.status_code == 401
    assert result.refusal is not None
    assert result.refusal.offer_refresh
    assert "revoked" in result.refusal.explanation


def test_an_inactive_seller_is_explained(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker
) -> None:
    token = new_token(username="inactive-shop").access_token
    result = _send(sandbox, http, ApiRequest.from_preset(preset_by_key("warehouses")), token)
    assert result.refusal is not None
    assert result.refusal.kind is RefusalKind.FORBIDDEN
    assert "inactive" in result.refusal.explanation


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_is_refused_without_the_switch_and_nothing_is_sent(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker, method: str
) -> None:
    token = new_token().access_token
    before = len(sandbox.requests)
    request = ApiRequest(method, "/integration/v2/products")
    with pytest.raises(WriteNotAllowedError) as info:
        _send(sandbox, http, request, token)
    assert method in str(info.value)
    assert token not in str(info.value)
    assert len(sandbox.requests) == before
    allowed = _send(sandbox, http, request, token, allow_write=True)
    assert len(sandbox.requests) == before + 1
    assert allowed.status_code == 405
    assert allowed.refusal is not None
    assert allowed.refusal.kind is RefusalKind.METHOD_NOT_ALLOWED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "integration/v2/sellers/me"),
        ("GET", "//evil.example/x"),
        ("GET", "/integration/v2/../../x"),
        ("GET", "/a b"),
        ("GET", "/x?y=1"),
        ("TRACE", "/x"),
        ("GET", "/x\x00y"),
    ],
)
def test_unusable_requests_are_refused(method: str, path: str) -> None:
    with pytest.raises(ValidationError):
        ApiRequest(method, path)


def test_the_request_stays_under_the_api_base() -> None:
    request = ApiRequest("get", "/integration/v2/products", (("q", "a b&c"),))
    assert request_url("https://api.tiki.vn/", request) == (
        "https://api.tiki.vn/integration/v2/products?q=a+b%26c"
    )
    with pytest.raises(ValidationError):
        request_url("http://example.com", request)  # plain http only on this computer


def test_a_huge_body_is_shown_bounded_and_still_parsed(http: httpx.Client) -> None:
    huge = b'{"data": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    assert BODY_TEXT_LIMIT < len(huge) < CONSOLE_MAX_BODY
    with ScriptedServer(Reply(200, huge)) as server:
        result = send_api_request(http, server.url(), ApiRequest(), "token-123")
    assert result.body_size == len(huge)
    assert result.truncated
    assert len(result.body_text) == BODY_TEXT_LIMIT
    assert isinstance(result.json_body, dict)
    assert len(result.json_body["data"]) == 3 * 1024 * 1024


def test_an_echoed_token_is_scrubbed_and_secret_headers_masked(http: httpx.Client) -> None:
    token = "ory_at_secret-token-value.abc"
    body = json.dumps({"errors": [f"bad token {token}"], "token": token}).encode()
    headers = (("Content-Type", "application/json"), ("Set-Cookie", "session=s3cr3t-cookie"))
    with ScriptedServer(Reply(400, body, headers)) as server:
        result = send_api_request(http, server.url(), ApiRequest(), token)
        (recorded,) = server.recorded
    assert recorded.headers["authorization"] == f"Bearer {token}"
    assert recorded.headers["accept"] == "application/json"
    assert token not in result.body_text
    assert token not in json.dumps(result.json_body)
    assert token not in repr(result)
    assert "s3cr3t-cookie" not in str(result.headers)
    assert result.refusal is not None
    assert result.refusal.kind is RefusalKind.CLIENT_ERROR
    assert all(token not in m for m in result.refusal.messages)


def test_rate_limit_and_server_errors_are_explained(http: httpx.Client) -> None:
    limited = Reply(429, b'{"errors": ["slow down"]}', (("Retry-After", "2"),))
    with ScriptedServer(limited, Reply(503, b"<html>down</html>")) as server:
        first = send_api_request(http, server.url(), ApiRequest(), "t0ken")
        second = send_api_request(http, server.url(), ApiRequest(), "t0ken")
    assert first.refusal is not None
    assert first.refusal.kind is RefusalKind.RATE_LIMITED
    assert first.refusal.retry_after == 2
    assert first.refusal.may_retry
    assert "200 requests" in first.refusal.explanation
    assert second.refusal is not None
    assert second.refusal.kind is RefusalKind.SERVER_ERROR
    assert second.json_body is None
    assert second.body_text == "<html>down</html>"  # shown as text, never rendered


def test_explanations_for_other_statuses() -> None:
    assert explain_refusal(404).kind is RefusalKind.NOT_FOUND
    assert "no retry" in explain_refusal(422).explanation
    assert explain_refusal(401, ["token is not linked to a seller"]).offer_refresh
    generic = explain_refusal(403)
    assert "the scope it needs" in generic.explanation


def test_the_request_and_answer_go_to_the_timeline_with_the_token_masked(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker
) -> None:
    token = new_token().access_token
    timeline = Timeline()
    detach = attach(timeline, http)
    try:
        request = ApiRequest.from_preset(preset_by_key("products"), {"limit": "1"})
        _send(sandbox, http, request, token)
    finally:
        detach()
    text = timeline.as_text()
    assert "/integration/v2/products" in text
    assert "200" in text
    assert "«masked" in text
    assert token not in text


def test_a_pasted_url_is_accepted_only_under_the_api_base() -> None:
    base = "https://api.tiki.vn"
    pasted = ApiRequest.parse("GET", f"{base}/integration/v2/orders?page=2", api_base=base + "/")
    assert (pasted.path, pasted.query) == ("/integration/v2/orders", (("page", "2"),))
    for elsewhere in (
        "https://api.tiki.vn.evil.example/integration/v2/orders",
        "https://evil.example/integration/v2/orders",
        "http://api.tiki.vn/integration/v2/orders",
    ):
        with pytest.raises(ValidationError, match="API base"):
            ApiRequest.parse("GET", elsewhere, api_base=base)
    with pytest.raises(ValidationError):
        ApiRequest.parse("GET", f"{base}/integration/v2/orders")  # no base given: paths only


def test_a_slow_answer_times_out_without_the_token_in_the_error() -> None:
    token = "ory_at_slow-token.value"
    with (
        make_http_client(timeout=httpx.Timeout(0.5)) as quick,
        ScriptedServer(Reply(200, b"{}", held=True)) as server,
    ):
        try:
            with pytest.raises(RequestTimeoutError) as info:
                send_api_request(quick, server.url(), ApiRequest(), token)
        finally:
            server.release()
    assert token not in str(info.value)
    assert token not in repr(info.value)
    assert info.value.__cause__ is None


# -- The shared client's bounds, through the console (real misbehaving servers) ------------------


def test_an_answer_over_the_console_cap_is_refused_as_too_large(http: httpx.Client) -> None:
    endless = endless_chunked(give_up_after=20.0)
    with (
        HostileServer(endless) as server,
        pytest.raises(ResponseTooLargeError, match="sent too much"),
    ):
        send_api_request(http, server.url, ApiRequest(), "ory_at_big", max_body=256 * 1024)


def test_a_dripping_answer_ends_at_the_total_deadline(http: httpx.Client) -> None:
    with HostileServer(drip(b"x", 0.2)) as server:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            send_api_request(http, server.url, ApiRequest(), "ory_at_drip", deadline=1.0)
        took = time.monotonic() - started
    assert took < 5.0, f"a 1 s deadline held the request for {took:.2f} s"


def test_cancel_ends_a_request_under_way(http: httpx.Client) -> None:
    cancellation = Cancellation()
    with HostileServer(silent) as server:
        timer = threading.Timer(0.3, cancellation.cancel)
        timer.start()
        started = time.monotonic()
        try:
            with pytest.raises(RequestCancelledError):
                send_api_request(
                    http, server.url, ApiRequest(), "ory_at_cancel", cancellation=cancellation
                )
        finally:
            timer.cancel()
        took = time.monotonic() - started
    assert took < 5.0, f"cancel took {took:.2f} s to end the request"
