"""The flow timeline of whole flows, run for real: the sandbox over HTTP, the core's TokenClient
and SellerApi on a shared ``httpx.Client`` with the timeline attached, and a cookie-keeping
client standing in for the browser (each page it requests is recorded as a navigation); and
what it records of failed requests and of secrets it has not been told about.
"""

from __future__ import annotations

import base64
import threading
from urllib.parse import quote_plus

import app_http
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
from tiki_gui.core.timeline import EntryKind, Timeline, mask
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer

from . import timeline_checks
from .timeline_checks import CALLBACK, assert_no_secret

METHODS = {
    DEMO_BASIC_CLIENT.client_id: AuthMethod.CLIENT_SECRET_BASIC,
    DEMO_POST_CLIENT.client_id: AuthMethod.CLIENT_SECRET_POST,
}

clock = timeline_checks.clock  # the fixtures
timeline = timeline_checks.timeline
http = app_http.http


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
    assert_no_secret(timeline, secrets)

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
    assert_no_secret(timeline, [DEMO_POST_CLIENT.client_secret])


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
    assert_no_secret(timeline, [secret])


def test_a_secret_field_without_a_known_value_is_still_masked(timeline: Timeline) -> None:
    # A pkce value never seen before: masked by its name alone.
    pkce = Pkce.generate()
    entry = timeline.record_callback(f"{CALLBACK}?code_verifier={pkce.verifier}&x=1")
    assert dict(entry.fields) == {"code_verifier": mask(pkce.verifier), "x": "1"}
    assert_no_secret(timeline, [pkce.verifier])
