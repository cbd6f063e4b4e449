"""The console's observer: the request and answer in a timeline, token masked, big bodies cut."""

from __future__ import annotations

import json

import httpx
from scripted_server import Reply, ScriptedServer

from tiki_gui.api.console import ApiRequest, send_api_request
from tiki_gui.api.traffic import TIMELINE_BODY_LIMIT, ConsoleTraffic
from tiki_gui.core.timeline import EntryKind, Timeline

TOKEN = "ory_at_traffic-token.value"


def test_a_small_answer_is_recorded_field_by_field_with_the_token_masked(
    http: httpx.Client,
) -> None:
    timeline = Timeline()
    body = json.dumps({"id": 7, "echo": TOKEN}).encode()
    with ScriptedServer(Reply(200, body)) as server:
        result = send_api_request(
            http, server.url(), ApiRequest(), TOKEN, observer=ConsoleTraffic(timeline, TOKEN)
        )
    request, response = timeline.entries
    assert request.kind is EntryKind.REQUEST
    assert ("authorization", f"Bearer «masked, {len(TOKEN)} chars»") in request.headers
    assert response.kind is EntryKind.RESPONSE
    assert response.status_code == 200
    assert ("id", "7") in response.fields
    assert TOKEN not in timeline.as_text()
    assert TOKEN not in result.body_text


def test_a_large_answer_is_recorded_as_an_excerpt_and_reaches_the_caller_whole(
    http: httpx.Client,
) -> None:
    timeline = Timeline()
    body = json.dumps({"data": ["x" * 100] * 1000}).encode()
    assert len(body) > TIMELINE_BODY_LIMIT
    with ScriptedServer(Reply(200, body)) as server:
        result = send_api_request(
            http, server.url(), ApiRequest(), TOKEN, observer=ConsoleTraffic(timeline, TOKEN)
        )
    assert result.body_size == len(body)
    assert result.json_body == json.loads(body)
    _, response = timeline.entries
    assert response.fields == ()
    assert response.body is not None
    assert len(response.body) < 1000
    assert response.elapsed is not None
