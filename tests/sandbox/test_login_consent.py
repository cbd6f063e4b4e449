"""The login and consent steps: the page chain, the CSRF cookie, allow and deny."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest

from tiki_gui.sandbox import SandboxServer

from .browserless import authorize, parse_forms
from .wire import assert_app_error, assert_fallback, auth_url, query_of


def test_every_step_answers_303_and_chains_through_challenges_and_verifiers(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    first = http.get(auth_url(sandbox))
    assert first.status_code == 303
    login_url = first.headers["location"]
    assert login_url.startswith(sandbox.base_url + "/sc/oauth2/login?login_challenge=")
    page = http.get(login_url)
    form = parse_forms(page.text)[0]
    posted = http.post(
        sandbox.base_url + form.action, data={**form.fields, "username": "x", "password": "y"}
    )
    assert posted.status_code == 303
    assert "login_verifier=" in posted.headers["location"]
    assert urlsplit(posted.headers["location"]).path == "/sc/oauth2/auth"
    to_consent = http.get(posted.headers["location"])
    assert to_consent.status_code == 303
    assert "consent_challenge=" in to_consent.headers["location"]


def test_csrf_cookie_is_set_on_the_first_response_httponly_lax_root_path(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    response = http.get(auth_url(sandbox))
    cookie = response.headers["set-cookie"]
    name, _, rest = cookie.partition("=")
    assert name == "oauth2_authentication_csrf"
    attributes = {part.strip().lower() for part in rest.split(";")[1:]}
    assert attributes == {"path=/", "httponly", "samesite=lax"}


def test_pages_are_titled_tiki_sandbox_and_say_it_is_not_tiki(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    login = http.get(http.get(auth_url(sandbox)).headers["location"])
    assert login.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Tiki Sandbox</title>" in login.text
    assert "not from Tiki" in login.text
    form = parse_forms(login.text)[0]
    assert form.method == "post"
    assert {"username", "password"} <= set(form.input_names)
    assert "login-submit" in form.buttons


def test_consent_page_lists_each_scope_with_a_description(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    login = http.get(http.get(auth_url(sandbox, scope="offline inventory")).headers["location"])
    form = parse_forms(login.text)[0]
    data = {**form.fields, "username": "seller-b", "password": "pw"}
    verifier = http.post(sandbox.base_url + form.action, data=data).headers["location"]
    consent = http.get(http.get(verifier).headers["location"])
    assert consent.status_code == 200
    assert "<code>offline</code>" in consent.text
    assert "refresh token" in consent.text
    assert "<code>inventory</code>" in consent.text
    assert "read only" in consent.text
    assert "<code>order</code>" not in consent.text
    assert "seller-b" in consent.text
    buttons = parse_forms(consent.text)[0].buttons
    assert buttons["consent-allow"] == ("action", "allow")
    assert buttons["consent-deny"] == ("action", "deny")


def test_empty_password_shows_the_form_again_with_an_error(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    login = http.get(http.get(auth_url(sandbox)).headers["location"])
    form = parse_forms(login.text)[0]
    again = http.post(
        sandbox.base_url + form.action, data={**form.fields, "username": "me", "password": ""}
    )
    assert again.status_code == 200
    assert 'role="alert"' in again.text
    retry = parse_forms(again.text)[0]
    assert retry.fields["username"] == "me"
    with pytest.raises(AssertionError, match="sign-in was refused"):
        authorize(http, auth_url(sandbox), password="")


def test_deny_redirects_access_denied_with_description_hint_and_state(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    location = authorize(http, auth_url(sandbox), allow=False)
    query = assert_app_error(location, "access_denied")
    assert query["error_hint"] == "The resource owner denied the request."


def test_lost_csrf_cookie_ends_the_flow_with_request_forbidden(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    login_url = http.get(auth_url(sandbox)).headers["location"]
    http.cookies.clear()
    response = http.get(login_url)
    assert response.status_code == 303
    query = assert_app_error(response.headers["location"], "request_forbidden")
    assert query["error_hint"] == "No CSRF value available in the session cookie."
    # The flow is over: its challenge no longer works, even with a cookie.
    again = authorize(http, login_url)
    assert_fallback(sandbox, again, "invalid_request")


def test_cookie_dropped_before_the_consent_step_ends_with_request_forbidden(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    login = http.get(http.get(auth_url(sandbox)).headers["location"])
    form = parse_forms(login.text)[0]
    data = {**form.fields, "username": "seller-a", "password": "pw"}
    verifier_url = http.post(sandbox.base_url + form.action, data=data).headers["location"]
    http.cookies.clear()
    query = assert_app_error(http.get(verifier_url).headers["location"], "request_forbidden")
    assert query["error_hint"].startswith("No CSRF value available in the session cookie")


def test_a_second_flow_in_the_same_cookie_jar_breaks_the_first(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    first_login = http.get(auth_url(sandbox)).headers["location"]
    second = authorize(http, auth_url(sandbox, state="second-state-123"))
    assert "code" in query_of(second)
    response = http.get(first_login)
    query = assert_app_error(response.headers["location"], "request_forbidden")
    assert query["error_hint"].startswith("No CSRF value available in the session cookie")


def test_separate_cookie_jars_run_flows_side_by_side(
    sandbox: SandboxServer, new_http: Callable[[], httpx.Client]
) -> None:
    one, two = new_http(), new_http()
    login_one = one.get(auth_url(sandbox)).headers["location"]
    location_two = authorize(two, auth_url(sandbox))
    location_one = authorize(one, login_one)
    assert "code" in query_of(location_one)
    assert "code" in query_of(location_two)


def test_a_replayed_consent_verifier_goes_to_the_fallback_page(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    urls: list[str] = []
    http.event_hooks["request"].append(lambda request: urls.append(str(request.url)))
    authorize(http, auth_url(sandbox))
    consent_verified = next(u for u in urls if "consent_verifier=" in u)
    replay = http.get(consent_verified)
    assert_fallback(sandbox, replay.headers["location"], "invalid_request")


def test_login_request_expires_after_thirty_minutes(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    login_url = http.get(auth_url(sandbox)).headers["location"]
    sandbox.advance_clock(30 * 60 + 1)
    query = assert_app_error(http.get(login_url).headers["location"], "request_unauthorized")
    assert "expired" in query["error_hint"]


def test_no_token_request_is_made_by_the_browser_steps(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    authorize(http, auth_url(sandbox))
    assert sandbox.token_requests == []
    assert {r.path for r in sandbox.requests} == {
        "/sc/oauth2/auth",
        "/sc/oauth2/login",
        "/sc/oauth2/consent",
    }
