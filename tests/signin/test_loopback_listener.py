"""The loopback listener's life apart from the redirect: a port in use, timeouts, cancel, one
use per listener, the addresses it listens on, and what its repr and timeline show (the
redirect itself: test_loopback.py).
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import quote

import httpx
import pytest

from tiki_gui.core.errors import TikiGuiError
from tiki_gui.core.redirect import parse_redirect
from tiki_gui.signin import LoopbackError, LoopbackOutcome, LoopbackReceiver, PortInUseError

from .loopback_requests import CODE, STATE, callback_url, request_for
from .ports import can_bind, free_port, is_listening

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


def test_cancel_closes_the_listener_and_ends_wait(port: int, browser_http: httpx.Client) -> None:
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
        browser_http.get(callback_url(receiver, code=CODE, state=STATE))


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


def test_any_port(browser_http: httpx.Client) -> None:
    receiver = LoopbackReceiver("http://127.0.0.1/callback?app=1", any_port=True)
    with pytest.raises(LoopbackError, match="Start the listener first"):
        receiver.redirect_uri  # noqa: B018 (the property raises)
    with receiver:
        assert receiver.port > 0
        assert receiver.redirect_uri == f"http://127.0.0.1:{receiver.port}/callback?app=1"
        receiver.expect(request_for(receiver.redirect_uri))
        url = f"http://127.0.0.1:{receiver.port}/callback?app=1&code={CODE}&state={STATE}"
        assert "Sign-in received" in browser_http.get(url).text
        assert receiver.wait(5) == url


def test_ipv6_loopback(browser_http: httpx.Client) -> None:
    try:
        port = free_port("::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    uri = f"http://[::1]:{port}/callback"
    with LoopbackReceiver(uri) as receiver:
        assert (receiver.host, receiver.port) == ("::1", port)
        request = request_for(uri)
        receiver.expect(request)
        url = f"{uri}?code={CODE}&state={quote(STATE)}"
        assert "Sign-in received" in browser_http.get(url).text
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
    other = request_for(f"http://127.0.0.1:{receiver.port + 1}/callback")
    with pytest.raises(LoopbackError, match="but this listener serves"):
        receiver.expect(other)


def test_repr_shows_no_code(receiver: LoopbackReceiver, browser_http: httpx.Client) -> None:
    browser_http.get(callback_url(receiver, code=CODE, state=STATE))
    receiver.wait(5)
    text = repr(receiver)
    assert text == f"LoopbackReceiver('127.0.0.1:{receiver.port}/callback', outcome=received)"
    assert CODE not in text


def test_refusals_can_be_recorded_in_the_timeline(port: int, browser_http: httpx.Client) -> None:
    from tiki_gui.core.timeline import Timeline

    timeline = Timeline()
    uri = f"http://127.0.0.1:{port}/callback"
    with LoopbackReceiver(
        uri,
        request=request_for(uri),
        on_refused=lambda count, reason: timeline.record_note(
            f"Refused a request to the redirect URI ({count} so far): {reason}"
        ),
    ) as receiver:
        browser_http.get(f"{uri}?code={CODE}&state=not-{STATE}")
        browser_http.get(f"{uri}?error=access_denied")
        assert receiver.refused_count == 2
    text = timeline.as_text()
    assert "(1 so far): The request carries the state of another sign-in." in text
    assert "(2 so far): The request carries no state." in text
    assert CODE not in text
    assert STATE not in text
