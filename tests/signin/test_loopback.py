"""The loopback listener on its own, driven over real HTTP (a plain client stands in for the
browser where its rendering is not the point; the real-browser flow is test_loopback_browser.py):
which redirect URIs, the redirect, and what the browser is told. Ports, timeouts, cancel and
addresses: test_loopback_listener.py.
"""

from __future__ import annotations

import threading

import httpx
import pytest

from tiki_gui.core.errors import AuthorizationDeniedError
from tiki_gui.core.redirect import IssuerMismatchError, parse_redirect
from tiki_gui.signin import (
    LoopbackError,
    LoopbackOutcome,
    LoopbackReceiver,
    is_loopback_redirect_uri,
    loopback_address,
)

from .loopback_requests import CODE, STATE, callback_url, request_for
from .ports import can_bind, is_listening

# -- which redirect URIs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "address"),
    [
        ("http://127.0.0.1:8765/callback", ("127.0.0.1", 8765)),
        ("http://127.0.0.2:8765/", ("127.0.0.2", 8765)),
        ("http://[::1]:8765/cb", ("::1", 8765)),
        ("HTTP://127.0.0.1/callback", ("127.0.0.1", 80)),
    ],
)
def test_loopback_addresses(uri: str, address: tuple[str, int]) -> None:
    assert loopback_address(uri) == address
    assert is_loopback_redirect_uri(uri)


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("https://example.com/tiki/callback", "Paste the address"),
        ("https://127.0.0.1:8765/callback", "http://"),
        ("http://localhost:8765/callback", "not localhost"),
        ("http://192.168.1.20:8765/callback", "not on this computer"),
        ("http://example.com/callback", "not on this computer"),
        ("http://127.0.0.1:99999/callback", "not a valid URL"),
        ("http://user@127.0.0.1:8765/callback", "user name"),
    ],
)
def test_other_redirect_uris_are_refused_with_a_reason(uri: str, words: str) -> None:
    assert not is_loopback_redirect_uri(uri)
    with pytest.raises(LoopbackError, match=words):
        LoopbackReceiver(uri)


# -- the flow -----------------------------------------------------------------------------------


def test_the_redirect_is_received_answered_and_the_listener_closed(
    receiver: LoopbackReceiver, browser_http: httpx.Client
) -> None:
    request = request_for(receiver.redirect_uri)
    receiver.expect(request)
    assert receiver.is_listening
    assert receiver.outcome is None
    query = f"code={CODE}&scope=offline+product&state={STATE}"
    answer = browser_http.get(f"http://127.0.0.1:{receiver.port}/callback?{query}")
    assert answer.status_code == 200
    assert "You can close this tab" in answer.text
    assert "Sign-in received" in answer.text
    # Not cached, not framed, no referrer; and never the code or the state.
    assert "no-store" in answer.headers["cache-control"]
    assert answer.headers["pragma"] == "no-cache"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert CODE not in answer.text
    assert STATE not in answer.text

    url = receiver.wait(5)
    # The full URL, rebuilt from the redirect URI's host and port and the raw path and query.
    assert url == f"http://127.0.0.1:{receiver.port}/callback?{query}"
    assert receiver.received_url == url
    assert receiver.outcome is LoopbackOutcome.RECEIVED
    assert not receiver.is_listening
    assert not is_listening("127.0.0.1", receiver.port)
    assert can_bind("127.0.0.1", receiver.port)
    response = parse_redirect(url, request)
    assert response.code == CODE
    assert response.scope == ("offline", "product")


def test_other_paths_and_methods_do_not_end_the_flow(
    receiver: LoopbackReceiver, browser_http: httpx.Client
) -> None:
    base = f"http://127.0.0.1:{receiver.port}"
    for path in ("/favicon.ico", "/", "/callback/", "/callbackx", "/other?code=x&state=y"):
        answer = browser_http.get(base + path)
        assert answer.status_code == 404, path
        assert "not part of the tiki-gui sign-in" in answer.text
    assert browser_http.post(f"{base}/callback", data={"code": CODE}).status_code == 501
    assert browser_http.head(f"{base}/callback").status_code == 501
    assert receiver.is_listening
    assert receiver.outcome is None
    assert receiver.received_url is None
    assert browser_http.get(callback_url(receiver, code=CODE, state=STATE)).status_code == 200
    assert receiver.wait(5) == callback_url(receiver, code=CODE, state=STATE)


def test_a_host_header_naming_another_site_does_not_count(
    receiver: LoopbackReceiver, browser_http: httpx.Client
) -> None:
    # A DNS-rebinding page reaches the listener under its own name: refused, flow goes on.
    url = callback_url(receiver, code=CODE, state=STATE)
    assert browser_http.get(url, headers={"Host": "evil.example"}).status_code == 404
    assert (
        browser_http.get(url, headers={"Host": f"127.0.0.1:{receiver.port + 1}"}).status_code == 404
    )
    assert receiver.is_listening
    assert browser_http.get(url).status_code == 200
    assert receiver.wait(5) == url


def test_only_the_first_redirect_counts(port: int, browser_http: httpx.Client) -> None:
    first = threading.Event()
    urls: list[str] = []

    def on_redirect(url: str) -> None:
        urls.append(url)
        first.set()

    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback", on_redirect=on_redirect):
        answer = browser_http.get(f"http://127.0.0.1:{port}/callback?code=a1&state={STATE}")
        assert answer.status_code == 200
        assert first.wait(5)
        with pytest.raises(httpx.ConnectError):  # closed: a reload cannot reach it
            browser_http.get(f"http://127.0.0.1:{port}/callback?code=b2&state={STATE}")
    assert urls == [f"http://127.0.0.1:{port}/callback?code=a1&state={STATE}"]


def test_on_redirect_is_called_once_the_listener_is_closed(
    port: int, browser_http: httpx.Client
) -> None:
    seen: list[tuple[str, bool]] = []
    done = threading.Event()

    def on_redirect(url: str) -> None:
        seen.append((url, is_listening("127.0.0.1", port)))
        done.set()

    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback", on_redirect=on_redirect)
    receiver.start()
    try:
        browser_http.get(callback_url(receiver, code=CODE, state=STATE))
        assert done.wait(5)
    finally:
        receiver.close()
    assert seen == [(callback_url(receiver, code=CODE, state=STATE), False)]


# -- what the browser is told when something is wrong -------------------------------------------


def test_a_request_with_another_state_is_refused_and_the_flow_goes_on(
    receiver: LoopbackReceiver, browser_http: httpx.Client
) -> None:
    request = request_for(receiver.redirect_uri)
    receiver.expect(request)
    other_state = "someone-elses-state-123456"
    answer = browser_http.get(callback_url(receiver, code=CODE, state=other_state))
    assert answer.status_code == 400
    assert "Not the answer tiki-gui is waiting for" in answer.text
    assert "the state of another sign-in" in answer.text
    for secret in (CODE, STATE, other_state):
        assert secret not in answer.text
    assert receiver.is_listening
    assert receiver.outcome is None
    assert receiver.refused_count == 1
    # The real redirect still arrives.
    assert browser_http.get(callback_url(receiver, code=CODE, state=STATE)).status_code == 200
    url = receiver.wait(5)
    assert url == callback_url(receiver, code=CODE, state=STATE)
    assert parse_redirect(url, request).code == CODE


# Requests any local process, or any page open in the browser, can send to the redirect URI.
_ABORT_ATTEMPTS = (
    "",  # GET /callback
    "?error=access_denied",
    "?error=access_denied&error_description=Denied",
    f"?code={CODE}",
    "?code=x&state=",
    f"?code=x&state=wrong-{STATE}",
    f"?code=x&state={STATE}&state={STATE}",  # the right state twice
    f"?error=access_denied&state={STATE[:-1]}",
    f"?state={STATE.upper()}",
)


def test_no_request_without_the_flows_state_can_end_the_sign_in(
    port: int, browser_http: httpx.Client
) -> None:
    refused: list[tuple[int, str]] = []
    received = threading.Event()
    uri = f"http://127.0.0.1:{port}/callback"
    request = request_for(uri)
    with LoopbackReceiver(
        uri,
        request=request,
        on_refused=lambda count, reason: refused.append((count, reason)),
        on_redirect=lambda url: received.set(),
    ) as receiver:
        for query in _ABORT_ATTEMPTS:
            answer = browser_http.get(f"{uri}{query}")
            assert answer.status_code == 400, query
            assert CODE not in answer.text
            assert STATE not in answer.text
            assert receiver.is_listening, query
        # A DNS-rebinding page naming another host is counted too (and told nothing).
        answer = browser_http.get(f"{uri}?code=x&state={STATE}", headers={"Host": "evil.example"})
        assert answer.status_code == 404
        assert not received.is_set()
        assert receiver.outcome is None
        attempts = len(_ABORT_ATTEMPTS) + 1
        assert receiver.refused_count == attempts, f"refused {receiver.refused_count}/{attempts}"
        assert [count for count, _ in refused] == list(range(1, attempts + 1))
        for _, reason in refused:
            assert CODE not in reason
            assert STATE not in reason
            assert "wrong-" not in reason
        # The real redirect, carrying an error with the flow's state, does end it.
        final = f"{uri}?error=access_denied&state={STATE}"
        assert browser_http.get(final).status_code == 200
        assert received.wait(5)
        assert receiver.received_url == final
        assert receiver.refused_count == attempts
    with pytest.raises(AuthorizationDeniedError):
        parse_redirect(final, request)


def test_an_error_redirect_page_says_what_went_wrong(
    receiver: LoopbackReceiver, browser_http: httpx.Client
) -> None:
    request = request_for(receiver.redirect_uri)
    receiver.expect(request)
    answer = browser_http.get(
        callback_url(
            receiver,
            error="access_denied",
            error_description="The resource owner denied the request <script>alert(1)</script>",
            state=STATE,
        )
    )
    assert "Sign-in did not complete" in answer.text
    assert "access_denied: The resource owner denied the request" in answer.text
    assert "<script>" not in answer.text
    assert "&lt;script&gt;" in answer.text
    assert STATE not in answer.text
    url = receiver.wait(5)
    assert url is not None
    with pytest.raises(AuthorizationDeniedError):
        parse_redirect(url, request)


def test_an_iss_mismatch_page(receiver: LoopbackReceiver, browser_http: httpx.Client) -> None:
    request = request_for(receiver.redirect_uri)
    receiver.expect(request, issuer="https://api.tiki.vn")
    url = callback_url(receiver, code=CODE, state=STATE, iss="https://evil.example")
    answer = browser_http.get(url)
    assert "Sign-in did not complete" in answer.text
    assert "https://evil.example" in answer.text
    assert CODE not in answer.text
    assert receiver.wait(5) == url
    with pytest.raises(IssuerMismatchError):
        parse_redirect(url, request, issuer="https://api.tiki.vn")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (f"code={CODE}&state={STATE}", "Sign-in received"),
        (f"error=invalid_scope&error_description=Bad+scope&state={STATE}", "invalid_scope"),
        (f"state={STATE}", "neither an authorization code nor an error"),
    ],
)
def test_without_a_request_the_page_follows_the_parameters(
    port: int, browser_http: httpx.Client, query: str, words: str
) -> None:
    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback") as receiver:
        answer = browser_http.get(f"http://127.0.0.1:{port}/callback?{query}")
        assert words in answer.text
        assert CODE not in answer.text
        assert STATE not in answer.text
        assert receiver.wait(5) is not None
