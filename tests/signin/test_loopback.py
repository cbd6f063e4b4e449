"""The loopback listener on its own, driven over real HTTP (a plain client stands in for the
browser where its rendering is not the point; the real-browser flow is test_loopback_browser.py).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import httpx
import pytest

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    TikiGuiError,
)
from tiki_gui.core.redirect import IssuerMismatchError, parse_redirect
from tiki_gui.signin import (
    LoopbackError,
    LoopbackOutcome,
    LoopbackReceiver,
    PortInUseError,
    is_loopback_redirect_uri,
    loopback_address,
)

from .ports import can_bind, free_port, is_listening

STATE = "state-0123456789abcdefghij"
CODE = "ory_ac_c29tZUNvZGUxMjM0NTY3ODkw.c2lnbmF0dXJl"
AUTH = "https://api.tiki.vn/sc/oauth2/auth"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def receiver(port: int) -> Iterator[LoopbackReceiver]:
    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback") as started:
        yield started


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0, follow_redirects=False, trust_env=False) as http:
        yield http


def _request(redirect_uri: str) -> AuthorizationRequest:
    return AuthorizationRequest.create(AUTH, "client-1", redirect_uri, "offline", state=STATE)


def _callback(receiver: LoopbackReceiver, **params: str) -> str:
    return f"http://127.0.0.1:{receiver.port}/callback?{urlencode(params)}"


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
    receiver: LoopbackReceiver, client: httpx.Client
) -> None:
    request = _request(receiver.redirect_uri)
    receiver.expect(request)
    assert receiver.is_listening
    assert receiver.outcome is None
    query = f"code={CODE}&scope=offline+product&state={STATE}"
    answer = client.get(f"http://127.0.0.1:{receiver.port}/callback?{query}")
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
    receiver: LoopbackReceiver, client: httpx.Client
) -> None:
    base = f"http://127.0.0.1:{receiver.port}"
    for path in ("/favicon.ico", "/", "/callback/", "/callbackx", "/other?code=x&state=y"):
        answer = client.get(base + path)
        assert answer.status_code == 404, path
        assert "not part of the tiki-gui sign-in" in answer.text
    assert client.post(f"{base}/callback", data={"code": CODE}).status_code == 501
    assert client.head(f"{base}/callback").status_code == 501
    assert receiver.is_listening
    assert receiver.outcome is None
    assert receiver.received_url is None
    assert client.get(_callback(receiver, code=CODE, state=STATE)).status_code == 200
    assert receiver.wait(5) == _callback(receiver, code=CODE, state=STATE)


def test_a_host_header_naming_another_site_does_not_count(
    receiver: LoopbackReceiver, client: httpx.Client
) -> None:
    # A DNS-rebinding page reaches the listener under its own name: refused, flow goes on.
    url = _callback(receiver, code=CODE, state=STATE)
    assert client.get(url, headers={"Host": "evil.example"}).status_code == 404
    assert client.get(url, headers={"Host": f"127.0.0.1:{receiver.port + 1}"}).status_code == 404
    assert receiver.is_listening
    assert client.get(url).status_code == 200
    assert receiver.wait(5) == url


def test_only_the_first_redirect_counts(port: int, client: httpx.Client) -> None:
    first = threading.Event()
    urls: list[str] = []

    def on_redirect(url: str) -> None:
        urls.append(url)
        first.set()

    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback", on_redirect=on_redirect):
        answer = client.get(f"http://127.0.0.1:{port}/callback?code=a1&state={STATE}")
        assert answer.status_code == 200
        assert first.wait(5)
        with pytest.raises(httpx.ConnectError):  # closed: a reload cannot reach it
            client.get(f"http://127.0.0.1:{port}/callback?code=b2&state={STATE}")
    assert urls == [f"http://127.0.0.1:{port}/callback?code=a1&state={STATE}"]


def test_on_redirect_is_called_once_the_listener_is_closed(port: int, client: httpx.Client) -> None:
    seen: list[tuple[str, bool]] = []
    done = threading.Event()

    def on_redirect(url: str) -> None:
        seen.append((url, is_listening("127.0.0.1", port)))
        done.set()

    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback", on_redirect=on_redirect)
    receiver.start()
    try:
        client.get(_callback(receiver, code=CODE, state=STATE))
        assert done.wait(5)
    finally:
        receiver.close()
    assert seen == [(_callback(receiver, code=CODE, state=STATE), False)]


# -- what the browser is told when something is wrong -------------------------------------------


def test_a_request_with_another_state_is_refused_and_the_flow_goes_on(
    receiver: LoopbackReceiver, client: httpx.Client
) -> None:
    request = _request(receiver.redirect_uri)
    receiver.expect(request)
    other_state = "someone-elses-state-123456"
    answer = client.get(_callback(receiver, code=CODE, state=other_state))
    assert answer.status_code == 400
    assert "Not the answer tiki-gui is waiting for" in answer.text
    assert "the state of another sign-in" in answer.text
    for secret in (CODE, STATE, other_state):
        assert secret not in answer.text
    assert receiver.is_listening
    assert receiver.outcome is None
    assert receiver.refused_count == 1
    # The real redirect still arrives.
    assert client.get(_callback(receiver, code=CODE, state=STATE)).status_code == 200
    url = receiver.wait(5)
    assert url == _callback(receiver, code=CODE, state=STATE)
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
    port: int, client: httpx.Client
) -> None:
    refused: list[tuple[int, str]] = []
    received = threading.Event()
    uri = f"http://127.0.0.1:{port}/callback"
    request = _request(uri)
    with LoopbackReceiver(
        uri,
        request=request,
        on_refused=lambda count, reason: refused.append((count, reason)),
        on_redirect=lambda url: received.set(),
    ) as receiver:
        for query in _ABORT_ATTEMPTS:
            answer = client.get(f"{uri}{query}")
            assert answer.status_code == 400, query
            assert CODE not in answer.text
            assert STATE not in answer.text
            assert receiver.is_listening, query
        # A DNS-rebinding page naming another host is counted too (and told nothing).
        answer = client.get(f"{uri}?code=x&state={STATE}", headers={"Host": "evil.example"})
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
        assert client.get(final).status_code == 200
        assert received.wait(5)
        assert receiver.received_url == final
        assert receiver.refused_count == attempts
    with pytest.raises(AuthorizationDeniedError):
        parse_redirect(final, request)


def test_an_error_redirect_page_says_what_went_wrong(
    receiver: LoopbackReceiver, client: httpx.Client
) -> None:
    request = _request(receiver.redirect_uri)
    receiver.expect(request)
    answer = client.get(
        _callback(
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


def test_an_iss_mismatch_page(receiver: LoopbackReceiver, client: httpx.Client) -> None:
    request = _request(receiver.redirect_uri)
    receiver.expect(request, issuer="https://api.tiki.vn")
    url = _callback(receiver, code=CODE, state=STATE, iss="https://evil.example")
    answer = client.get(url)
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
    port: int, client: httpx.Client, query: str, words: str
) -> None:
    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback") as receiver:
        answer = client.get(f"http://127.0.0.1:{port}/callback?{query}")
        assert words in answer.text
        assert CODE not in answer.text
        assert STATE not in answer.text
        assert receiver.wait(5) is not None


# -- ending without a redirect ------------------------------------------------------------------


def test_a_port_in_use_gives_a_clear_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = int(taken.getsockname()[1])
        receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback")
        with pytest.raises(PortInUseError) as info:
            receiver.start()
    error = info.value
    assert isinstance(error, LoopbackError)
    assert isinstance(error, TikiGuiError)
    assert (error.host, error.port) == ("127.0.0.1", port)
    assert str(error).startswith(f"Port {port} on 127.0.0.1 is already in use by another program")
    assert receiver.outcome is LoopbackOutcome.CLOSED
    assert not receiver.is_listening
    assert receiver.wait(0) is None


def test_two_sign_ins_cannot_share_a_port(port: int) -> None:
    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback"), pytest.raises(PortInUseError):
        LoopbackReceiver(f"http://127.0.0.1:{port}/other").start()


def test_a_timeout_closes_the_listener(port: int) -> None:
    timed_out = threading.Event()
    receiver = LoopbackReceiver(
        f"http://127.0.0.1:{port}/callback", timeout=0.3, on_timeout=timed_out.set
    )
    receiver.start()
    assert is_listening("127.0.0.1", port)
    assert timed_out.wait(5)
    assert receiver.outcome is LoopbackOutcome.TIMED_OUT
    assert not receiver.is_listening
    assert not is_listening("127.0.0.1", port)
    assert can_bind("127.0.0.1", port)  # the port is free again
    assert receiver.wait(1) is None
    receiver.close()


def test_wait_with_a_timeout_closes_the_listener(port: int) -> None:
    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback").start()
    started = time.monotonic()
    assert receiver.wait(0.3) is None
    assert time.monotonic() - started < 3
    assert receiver.outcome is LoopbackOutcome.TIMED_OUT
    assert not is_listening("127.0.0.1", port)
    assert can_bind("127.0.0.1", port)


def test_cancel_closes_the_listener_and_ends_wait(port: int, client: httpx.Client) -> None:
    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback").start()
    results: list[str | None] = []
    waiter = threading.Thread(target=lambda: results.append(receiver.wait(30)))
    waiter.start()
    # An idle connection (a browser's preconnect) must not keep the listener open.
    idle = socket.create_connection(("127.0.0.1", port))
    try:
        time.sleep(0.1)
        receiver.cancel()
        waiter.join(5)
        assert not waiter.is_alive()
        assert results == [None]
        assert receiver.outcome is LoopbackOutcome.CANCELLED
        assert not is_listening("127.0.0.1", port)
        assert can_bind("127.0.0.1", port)
        idle.settimeout(2)
        assert idle.recv(1) == b""  # the listener closed it too
    finally:
        idle.close()
    receiver.cancel()  # harmless twice
    receiver.close()
    with pytest.raises(httpx.ConnectError):
        client.get(_callback(receiver, code=CODE, state=STATE))


def test_a_receiver_listens_once(port: int) -> None:
    receiver = LoopbackReceiver(f"http://127.0.0.1:{port}/callback")
    with pytest.raises(LoopbackError, match="Start the listener"):
        receiver.wait(0)
    receiver.start()
    with pytest.raises(LoopbackError, match="already used"):
        receiver.start()
    receiver.close()
    closed = LoopbackReceiver(f"http://127.0.0.1:{port}/callback")
    closed.close()
    with pytest.raises(LoopbackError, match="already used"):
        closed.start()


# -- addresses ----------------------------------------------------------------------------------


def test_any_port(client: httpx.Client) -> None:
    receiver = LoopbackReceiver("http://127.0.0.1/callback?app=1", any_port=True)
    with pytest.raises(LoopbackError, match="Start the listener first"):
        receiver.redirect_uri  # noqa: B018 (the property raises)
    with receiver:
        assert receiver.port > 0
        assert receiver.redirect_uri == f"http://127.0.0.1:{receiver.port}/callback?app=1"
        receiver.expect(_request(receiver.redirect_uri))
        url = f"http://127.0.0.1:{receiver.port}/callback?app=1&code={CODE}&state={STATE}"
        assert "Sign-in received" in client.get(url).text
        assert receiver.wait(5) == url


def test_ipv6_loopback(client: httpx.Client) -> None:
    try:
        port = free_port("::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    uri = f"http://[::1]:{port}/callback"
    with LoopbackReceiver(uri) as receiver:
        assert (receiver.host, receiver.port) == ("::1", port)
        request = _request(uri)
        receiver.expect(request)
        url = f"{uri}?code={CODE}&state={quote(STATE)}"
        assert "Sign-in received" in client.get(url).text
        assert receiver.wait(5) == url
        assert parse_redirect(url, request).code == CODE
    assert not is_listening("::1", port)


def test_127_0_0_1_and_ipv6_are_different_listeners() -> None:
    # Exactly the address of the redirect URI: 127.0.0.1 is not reachable through ::1.
    port = free_port()
    with LoopbackReceiver(f"http://127.0.0.1:{port}/callback"):
        assert is_listening("127.0.0.1", port)
        try:
            reachable_v6 = is_listening("::1", port)
        except OSError:
            reachable_v6 = False
        assert not reachable_v6


def test_expect_refuses_a_request_for_another_redirect_uri(receiver: LoopbackReceiver) -> None:
    other = _request(f"http://127.0.0.1:{receiver.port + 1}/callback")
    with pytest.raises(LoopbackError, match="but this listener serves"):
        receiver.expect(other)


def test_repr_shows_no_code(receiver: LoopbackReceiver, client: httpx.Client) -> None:
    client.get(_callback(receiver, code=CODE, state=STATE))
    receiver.wait(5)
    text = repr(receiver)
    assert text == f"LoopbackReceiver('127.0.0.1:{receiver.port}/callback', outcome=received)"
    assert CODE not in text


def test_refusals_can_be_recorded_in_the_timeline(port: int, client: httpx.Client) -> None:
    from tiki_gui.core.timeline import Timeline

    timeline = Timeline()
    uri = f"http://127.0.0.1:{port}/callback"
    with LoopbackReceiver(
        uri,
        request=_request(uri),
        on_refused=lambda count, reason: timeline.record_note(
            f"Refused a request to the redirect URI ({count} so far): {reason}"
        ),
    ) as receiver:
        client.get(f"{uri}?code={CODE}&state=not-{STATE}")
        client.get(f"{uri}?error=access_denied")
        assert receiver.refused_count == 2
    text = timeline.as_text()
    assert "(1 so far): The request carries the state of another sign-in." in text
    assert "(2 so far): The request carries no state." in text
    assert CODE not in text
    assert STATE not in text
