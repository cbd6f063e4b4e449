"""The flow timeline: what each record holds, that every secret in it is masked, and that it
stays out of the way (its listeners). The timeline of whole flows against the sandbox:
test_timeline_sandbox.py.
"""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from tiki_gui.core.client_auth import basic_authorization
from tiki_gui.core.errors import OAuthError
from tiki_gui.core.timeline import EntryKind, Timeline, TimelineEntry, mask
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT

from . import timeline_checks
from .timeline_checks import CALLBACK, STATE, T0, FakeClock, assert_no_secret, auth_request

CODE = "ory_ac_c29tZUNvZGUxMjM0NTY3ODkw.c2lnbmF0dXJl"
ACCESS = "ory_at_QUNDRVNTVE9LRU4xMjM0NTY3ODkw.c2lnbmF0dXJl"
REFRESH = "ory_rt_UkVGUkVTSFRPS0VOMDk4NzY1NDMyMQ.c2lnbmF0dXJl"

clock = timeline_checks.clock  # the fixtures
timeline = timeline_checks.timeline


# -- what each record holds ---------------------------------------------------------------------


def test_the_authorization_request_is_recorded_with_state_and_pkce_masked(
    timeline: Timeline,
) -> None:
    request = auth_request()
    assert request.pkce is not None
    entry = timeline.record_authorization_request(request)
    assert entry.kind is EntryKind.AUTHORIZATION_REQUEST
    assert entry.method == "GET"
    assert entry.url is not None
    assert entry.url.startswith("https://api.tiki.vn/sc/oauth2/auth?response_type=code&")
    fields = dict(entry.fields)
    assert fields["client_id"] == "7590139168389961"
    assert fields["redirect_uri"] == CALLBACK
    assert fields["scope"] == "offline product"
    assert fields["code_challenge_method"] == "S256"
    assert fields["state"] == mask(STATE) == f"«masked, {len(STATE)} chars»"
    assert fields["code_challenge"] == "«masked, 43 chars»"
    assert f"state={mask(STATE)}" in entry.url
    assert_no_secret(timeline, [STATE, request.pkce.verifier, request.pkce.challenge])


def test_a_navigation_keeps_only_scheme_host_and_path(timeline: Timeline) -> None:
    entry = timeline.record_navigation(
        "https://user:pw@Login.Tiki.vn:8443/sc/oauth2/login?login_challenge=abc123def456#frag"
    )
    assert entry.kind is EntryKind.NAVIGATION
    assert entry.url == entry.summary == "https://login.tiki.vn:8443/sc/oauth2/login"
    assert timeline.record_navigation("http://[::1]:8765/callback?code=x").url == (
        "http://[::1]:8765/callback"
    )
    assert timeline.record_navigation("http://host:99999/x").url == "(unreadable URL)"


def test_the_callback_masks_code_and_state_and_keeps_the_rest(timeline: Timeline) -> None:
    url = (
        f"{CALLBACK}?code={CODE}&scope=offline+product&state={STATE}&iss=https%3A%2F%2Fapi.tiki.vn"
    )
    entry = timeline.record_callback(url)
    assert entry.kind is EntryKind.CALLBACK
    assert dict(entry.fields) == {
        "code": mask(CODE),
        "scope": "offline product",
        "state": mask(STATE),
        "iss": "https://api.tiki.vn",
    }
    assert entry.url == (
        f"{CALLBACK}?code={mask(CODE)}&scope=offline+product&state={mask(STATE)}"
        "&iss=https%3A%2F%2Fapi.tiki.vn"
    )
    # Once seen, the code is scrubbed from everything recorded later, whatever field holds it.
    later = timeline.record_note(f"the server said: code {CODE} is unknown")
    assert CODE not in later.summary
    assert_no_secret(timeline, [CODE, STATE])


def test_an_error_callback_keeps_the_error(timeline: Timeline) -> None:
    entry = timeline.record_callback(
        f"{CALLBACK}?error=access_denied&error_description=The+resource+owner+denied&state={STATE}"
    )
    fields = dict(entry.fields)
    assert fields["error"] == "access_denied"
    assert fields["error_description"] == "The resource owner denied"
    assert fields["state"] == mask(STATE)


def test_a_token_request_masks_secret_fields_and_the_authorization_header(
    timeline: Timeline,
) -> None:
    auth = basic_authorization(DEMO_BASIC_CLIENT.client_id, DEMO_BASIC_CLIENT.client_secret)
    request = httpx.Request(
        "POST",
        "https://api.tiki.vn/sc/oauth2/token",
        headers={"Authorization": auth, "Accept": "application/json", "Cookie": "sid=abcdef"},
        data={
            "grant_type": "authorization_code",
            "code": CODE,
            "redirect_uri": CALLBACK,
            "code_verifier": "v" * 43,
            "client_secret": DEMO_POST_CLIENT.client_secret,
        },
    )
    entry = timeline.record_request(request)
    assert entry.kind is EntryKind.REQUEST
    assert entry.summary == "POST https://api.tiki.vn/sc/oauth2/token"
    headers = dict(entry.headers)
    assert headers["authorization"] == f"Basic {mask(auth[6:])}"
    assert headers["cookie"] == mask("sid=abcdef")
    assert headers["accept"] == "application/json"
    assert dict(entry.fields) == {
        "grant_type": "authorization_code",
        "code": mask(CODE),
        "redirect_uri": CALLBACK,
        "code_verifier": "«masked, 43 chars»",
        "client_secret": mask(DEMO_POST_CLIENT.client_secret),
    }
    assert_no_secret(
        timeline,
        [CODE, "v" * 43, DEMO_POST_CLIENT.client_secret, DEMO_BASIC_CLIENT.client_secret],
    )


def test_a_token_response_masks_tokens_and_keeps_the_rest(
    timeline: Timeline, clock: FakeClock
) -> None:
    request = httpx.Request("POST", "https://api.tiki.vn/sc/oauth2/token")
    timeline.record_request(request)
    clock.now += 0.25
    body = {
        "access_token": ACCESS,
        "expires_in": 3599,
        "refresh_token": REFRESH,
        "id_token": "eyJhbGciOi.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln",
        "scope": "offline product",
        "token_type": "bearer",
        "nested": {"access_token": ACCESS, "list": [{"refresh_token": REFRESH}]},
    }
    response = httpx.Response(
        200, json=body, headers={"Set-Cookie": "sid=s3cr3tcookie"}, request=request
    )
    entry = timeline.record_response(response)
    assert entry.kind is EntryKind.RESPONSE
    assert entry.status_code == 200
    assert entry.elapsed == pytest.approx(0.25)
    assert entry.summary == ("HTTP 200 OK in 0.250 s from POST https://api.tiki.vn/sc/oauth2/token")
    fields = dict(entry.fields)
    assert fields["access_token"] == mask(ACCESS)
    assert fields["refresh_token"] == mask(REFRESH)
    assert fields["id_token"].startswith("«masked, ")
    assert (fields["expires_in"], fields["scope"], fields["token_type"]) == (
        "3599",
        "offline product",
        "bearer",
    )
    assert json.loads(fields["nested"]) == {
        "access_token": mask(ACCESS),
        "list": [{"refresh_token": mask(REFRESH)}],
    }
    assert dict(entry.headers)["set-cookie"] == mask("sid=s3cr3tcookie")
    assert_no_secret(timeline, [ACCESS, REFRESH, "s3cr3tcookie"])


def test_an_error_body_is_kept_but_scrubbed(timeline: Timeline) -> None:
    timeline.add_secrets(CODE)
    request = httpx.Request("POST", "https://api.tiki.vn/sc/oauth2/token")
    body = {
        "error": "invalid_grant",
        "error_description": f"The authorization code {CODE} has already been used.",
        "status_code": 400,
    }
    entry = timeline.record_response(httpx.Response(400, json=body, request=request))
    fields = dict(entry.fields)
    assert fields["error"] == "invalid_grant"
    assert fields["error_description"].startswith("The authorization code ")
    assert fields["error_description"].endswith(" has already been used.")
    assert fields["status_code"] == "400"
    assert entry.elapsed is None  # its request was not recorded
    assert_no_secret(timeline, [CODE])


def test_a_body_that_is_not_json_is_shown_as_a_scrubbed_excerpt(timeline: Timeline) -> None:
    request = httpx.Request("POST", "https://api.tiki.vn/sc/oauth2/token")
    html = f"<html><body>Bad gateway\n{ACCESS}\n" + "x" * 1000 + "</body></html>"
    entry = timeline.record_response(httpx.Response(502, text=html, request=request))
    assert entry.body is not None
    assert entry.body.startswith("<html><body>Bad gateway ")
    assert len(entry.body) <= 300
    assert entry.fields == ()
    assert_no_secret(timeline, [ACCESS])


def test_offsets_and_wall_clock_times(timeline: Timeline, clock: FakeClock) -> None:
    assert timeline.started_at == T0
    first = timeline.record_note("Opened the system browser")
    clock.now += 2.5
    second = timeline.record_error(OAuthError("access_denied", "The resource owner denied"))
    assert (first.offset, second.offset) == (0.0, 2.5)
    assert second.at == T0 + timedelta(seconds=2.5)
    assert second.kind is EntryKind.ERROR
    assert second.summary == "OAuthError: access_denied: The resource owner denied"
    assert timeline.entries == (first, second)


def test_as_text_is_a_heading_and_one_line_per_event(timeline: Timeline, clock: FakeClock) -> None:
    timeline.record_authorization_request(auth_request())
    clock.now += 1.234
    timeline.record_navigation("https://api.tiki.vn/sc/oauth2/login?login_challenge=x")
    request = httpx.Request("POST", "https://api.tiki.vn/sc/oauth2/token", data={"a": "b"})
    timeline.record_request(request)
    body = {"error": "invalid_request", "error_description": "two\nlines"}
    timeline.record_response(httpx.Response(400, json=body, request=request))
    text = timeline.as_text()
    lines = text.splitlines()
    assert text.endswith("\n")
    assert lines[0] == (
        "tiki-gui sign-in timeline, started 2024-05-01T08:30:00.000+00:00 "
        "(offsets in seconds; secrets masked)"
    )
    assert len(lines) == 1 + len(timeline.entries) == 5
    assert lines[1].startswith("+0.000 s  authorization request  GET https://api.tiki.vn/")
    assert lines[2] == "+1.234 s  navigation  https://api.tiki.vn/sc/oauth2/login"
    assert lines[3].startswith("+1.234 s  request  POST https://api.tiki.vn/sc/oauth2/token  ")
    assert "fields: a=b" in lines[3]
    assert lines[4].startswith("+1.234 s  response  HTTP 400 Bad Request in 0.000 s from POST")
    assert "error_description=two lines" in lines[4]


def test_entries_are_frozen(timeline: Timeline) -> None:
    entry = timeline.record_note("x")
    assert isinstance(entry, TimelineEntry)
    with pytest.raises(AttributeError):
        entry.summary = "y"  # type: ignore[misc]  # frozen: the point of the test


def test_listeners_hear_each_entry_and_can_unsubscribe(timeline: Timeline) -> None:
    heard: list[TimelineEntry] = []
    unsubscribe = timeline.subscribe(heard.append)
    first = timeline.record_note("one")
    unsubscribe()
    unsubscribe()  # harmless twice
    timeline.record_note("two")
    assert heard == [first]


def test_a_failing_listener_does_not_break_recording(timeline: Timeline) -> None:
    def broken(entry: TimelineEntry) -> None:
        raise RuntimeError("panel gone")

    timeline.subscribe(broken)
    entry = timeline.record_note("still recorded")
    assert timeline.entries == (entry,)
