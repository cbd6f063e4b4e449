"""The flow timeline: what it records, that every secret is masked, that it stays out of the way.

The whole-flow tests run the real thing: the sandbox over HTTP, the core's TokenClient and
SellerApi on a shared ``httpx.Client`` with the timeline attached, and a cookie-keeping client
standing in for the browser (each page it requests is recorded as a navigation).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, quote_plus

import httpx
import pytest
from sandbox.browserless import authorize
from timeline_hooks import attach

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials, basic_authorization
from tiki_gui.core.errors import ConnectionFailedError, OAuthError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.pkce import Pkce
from tiki_gui.core.redirect import parse_redirect
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.timeline import EntryKind, Timeline, TimelineEntry, mask
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer

T0 = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
STATE = "state-0123456789abcdefghijklmnopqrstuvwxyz"
CODE = "ory_ac_c29tZUNvZGUxMjM0NTY3ODkw.c2lnbmF0dXJl"
ACCESS = "ory_at_QUNDRVNTVE9LRU4xMjM0NTY3ODkw.c2lnbmF0dXJl"
REFRESH = "ory_rt_UkVGUkVTSFRPS0VOMDk4NzY1NDMyMQ.c2lnbmF0dXJl"
CALLBACK = "https://example.com/tiki/callback"
METHODS = {
    DEMO_BASIC_CLIENT.client_id: AuthMethod.CLIENT_SECRET_BASIC,
    DEMO_POST_CLIENT.client_id: AuthMethod.CLIENT_SECRET_POST,
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timeline(clock: FakeClock) -> Timeline:
    return Timeline(clock=clock, wall_clock=lambda: T0)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client(timeout=httpx.Timeout(5.0)) as client:
        yield client


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


def _texts(timeline: Timeline) -> list[str]:
    entries = timeline.entries
    return [
        timeline.as_text(),
        repr(timeline),
        *(repr(entry) for entry in entries),
        *(entry.as_text() for entry in entries),
    ]


def _assert_no_secret(timeline: Timeline, secrets: list[str]) -> None:
    forms = {form for secret in secrets if secret for form in _forms(secret)}
    for text in _texts(timeline):
        leaked = sorted(form for form in forms if form in text)
        assert not leaked, f"secret(s) leaked into the timeline: {len(leaked)}"


def _request(*, use_pkce: bool = True, state: str | None = STATE) -> AuthorizationRequest:
    return AuthorizationRequest.create(
        "https://api.tiki.vn/sc/oauth2/auth",
        "7590139168389961",
        CALLBACK,
        "offline product",
        use_pkce=use_pkce,
        state=state,
    )


# -- what each record holds ---------------------------------------------------------------------


def test_the_authorization_request_is_recorded_with_state_and_pkce_masked(
    timeline: Timeline,
) -> None:
    request = _request()
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
    _assert_no_secret(timeline, [STATE, request.pkce.verifier, request.pkce.challenge])


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
    _assert_no_secret(timeline, [CODE, STATE])


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
    _assert_no_secret(
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
    _assert_no_secret(timeline, [ACCESS, REFRESH, "s3cr3tcookie"])


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
    _assert_no_secret(timeline, [CODE])


def test_a_body_that_is_not_json_is_shown_as_a_scrubbed_excerpt(timeline: Timeline) -> None:
    request = httpx.Request("POST", "https://api.tiki.vn/sc/oauth2/token")
    html = f"<html><body>Bad gateway\n{ACCESS}\n" + "x" * 1000 + "</body></html>"
    entry = timeline.record_response(httpx.Response(502, text=html, request=request))
    assert entry.body is not None
    assert entry.body.startswith("<html><body>Bad gateway ")
    assert len(entry.body) <= 300
    assert entry.fields == ()
    _assert_no_secret(timeline, [ACCESS])


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
    timeline.record_authorization_request(_request())
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


# -- attached to the shared client, against the sandbox -------------------------------------------


def _credentials(client: SandboxClient) -> ClientCredentials:
    return ClientCredentials(client.client_id, client.client_secret, METHODS[client.client_id])


@pytest.mark.parametrize("client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=["basic", "post"])
def test_nothing_secret_in_the_timeline_of_a_whole_flow(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    timeline = Timeline()
    detach = attach(timeline, http)

    def navigated(request: httpx.Request) -> None:
        timeline.record_navigation(str(request.url))

    with httpx.Client(
        timeout=5.0, follow_redirects=False, event_hooks={"request": [navigated]}
    ) as browser:
        request = AuthorizationRequest.create(
            sandbox.authorization_endpoint,
            client.client_id,
            "http://127.0.0.1:54321/callback",
            "offline product order",
            use_pkce=True,
        )
        assert request.pkce is not None
        timeline.record_authorization_request(request)
        location = authorize(browser, request.url)
    timeline.record_callback(location)
    response = parse_redirect(location, request)
    tokens = TokenClient(sandbox.token_endpoint, _credentials(client), http)
    token = tokens.exchange_code(response, request)  # reads the body the hook already read
    assert token.refresh_token is not None
    seller = SellerApi(sandbox.api_base, http).me(token.access_token)
    assert seller.name == "seller-a"
    refreshed = tokens.refresh(token)
    assert refreshed.refresh_token is not None
    # An error answer too: the same code sent again by another client object (invalid_grant).
    with pytest.raises(OAuthError) as info:
        TokenClient(sandbox.token_endpoint, _credentials(client), http).exchange_code(
            response, request
        )
    assert info.value.error == "invalid_grant"
    detach()

    secrets = [
        client.client_secret,
        basic_authorization(client.client_id, client.client_secret)[6:],
        response.code,
        request.state,
        request.pkce.verifier,
        request.pkce.challenge,
        token.access_token,
        token.refresh_token,
        refreshed.access_token,
        refreshed.refresh_token,
    ]
    _assert_no_secret(timeline, secrets)

    # ... and it did record the flow (the scan above is not vacuous).
    entries = timeline.entries
    kinds = [entry.kind for entry in entries]
    assert kinds[0] is EntryKind.AUTHORIZATION_REQUEST
    navigations = [e.url for e in entries if e.kind is EntryKind.NAVIGATION]
    assert f"{sandbox.base_url}/sc/oauth2/login" in navigations
    assert f"{sandbox.base_url}/sc/oauth2/consent" in navigations
    assert all(url is not None and "?" not in url for url in navigations)
    assert kinds.count(EntryKind.CALLBACK) == 1
    requests = [e for e in entries if e.kind is EntryKind.REQUEST]
    responses = [e for e in entries if e.kind is EntryKind.RESPONSE]
    assert [e.method for e in requests] == ["POST", "GET", "POST", "POST"]
    assert [e.status_code for e in responses] == [200, 200, 200, 400]
    assert all(e.elapsed is not None and e.elapsed >= 0 for e in responses)
    exchange = dict(requests[0].fields)
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code"] == mask(response.code)
    assert exchange["code_verifier"] == mask(request.pkce.verifier)
    assert exchange["redirect_uri"] == "http://127.0.0.1:54321/callback"
    if client is DEMO_POST_CLIENT:
        assert exchange["client_secret"] == mask(client.client_secret)
    else:
        assert dict(requests[0].headers)["authorization"].startswith("Basic «masked, ")
    answer = dict(responses[0].fields)
    assert answer["access_token"] == mask(token.access_token)
    assert answer["refresh_token"] == mask(token.refresh_token)
    assert answer["token_type"] == "bearer"
    assert dict(requests[1].headers)["authorization"] == f"Bearer {mask(token.access_token)}"
    assert dict(responses[3].fields)["error"] == "invalid_grant"


def test_requests_from_many_threads_are_all_recorded_and_paired(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    timeline = Timeline()
    detach = attach(timeline, http)
    tokens = TokenClient(sandbox.token_endpoint, _credentials(DEMO_POST_CLIENT), http)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                tokens.client_credentials("product")
                timeline.record_note("worker note")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    texts = [timeline.as_text() for _ in range(20)]  # reading while others write
    for thread in threads:
        thread.join()
    detach()
    assert not errors
    assert texts
    entries = timeline.entries
    assert [e.kind for e in entries].count(EntryKind.REQUEST) == 24
    responses = [e for e in entries if e.kind is EntryKind.RESPONSE]
    assert len(responses) == 24
    assert all(e.status_code == 200 and e.elapsed is not None for e in responses)
    assert [e.kind for e in entries].count(EntryKind.NOTE) == 24
    _assert_no_secret(timeline, [DEMO_POST_CLIENT.client_secret])


def test_a_failed_request_is_recorded_without_a_response(timeline: Timeline) -> None:
    with make_http_client(timeout=httpx.Timeout(2.0)) as client:
        tokens = TokenClient(
            "http://127.0.0.1:9/sc/oauth2/token",
            _credentials(DEMO_BASIC_CLIENT),
            client,
            observer=timeline,
        )
        with pytest.raises(ConnectionFailedError) as info:
            tokens.client_credentials()
        timeline.record_error(info.value)
    kinds = [e.kind for e in timeline.entries]
    assert kinds == [EntryKind.REQUEST, EntryKind.ERROR]
    assert timeline.entries[1].summary.startswith("ConnectionFailedError: Could not connect")


def test_the_basic_header_secret_is_scrubbed_elsewhere_too(timeline: Timeline) -> None:
    secret = "tfSl0c6V+Fv3:fAB/z9F%m22 IhEnmwq6ew"
    header = basic_authorization("7590139168389961", secret)
    assert base64.b64decode(header[6:]).decode().startswith("7590139168389961:")
    timeline.record_request(
        httpx.Request("POST", "https://x.example/token", headers={"Authorization": header})
    )
    note = timeline.record_note(f"echo: {secret} / {quote_plus(secret)}")
    assert secret not in note.summary
    assert quote_plus(secret) not in note.summary
    _assert_no_secret(timeline, [secret])


def test_a_secret_field_without_a_known_value_is_still_masked(timeline: Timeline) -> None:
    # A pkce value never seen before: masked by its name alone.
    pkce = Pkce.generate()
    entry = timeline.record_callback(f"{CALLBACK}?code_verifier={pkce.verifier}&x=1")
    assert dict(entry.fields) == {"code_verifier": mask(pkce.verifier), "x": "1"}
    _assert_no_secret(timeline, [pkce.verifier])
