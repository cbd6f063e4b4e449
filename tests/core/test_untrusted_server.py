"""The token endpoint and the seller API are untrusted: real misbehaving servers on 127.0.0.1.

A compression bomb and an endless chunked answer are read in a subprocess whose peak memory
growth is measured (``VmHWM``, reset just before the request) and bounded (an address-space
limit keeps a regression from eating the machine: the code before this change grew by the whole
1.4 GB allowed and died of MemoryError on both); a server dripping bytes or never answering is
cut off by the total deadline; a request under way is cancelled from another thread within a
fraction of a second.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest
from child_processes import run_python

from tiki_gui.core.client_auth import ClientCredentials
from tiki_gui.core.errors import (
    MalformedResponseError,
    RequestTimeoutError,
    ResponseTooLargeError,
)
from tiki_gui.core.http import MAX_BODY_BYTES, make_http_client
from tiki_gui.core.redact import excerpt
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.token_client import TokenClient

from .hostile_server import (
    HostileServer,
    answer,
    bomb_bytes,
    drip,
    endless_chunked,
    gzip_bomb,
    silent,
)
from .untrusted import ACCESS, REFRESH, SECRET, old_token, token_client

# Run in a subprocess: peak RSS growth of one client_credentials request, under a 1.5 GB cap.
_PROBE = """
import json, resource, sys, time
def status_kb(name):
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise LookupError(name)
soft, hard = resource.getrlimit(resource.RLIMIT_AS)
from tiki_gui.core.client_auth import ClientCredentials
from tiki_gui.core.errors import TikiGuiError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.token_client import TokenClient
used = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (used + 1_500_000_000, hard))
with make_http_client() as http:
    client = TokenClient(sys.argv[1], ClientCredentials("probe", "probe-secret"), http)
    # Reset the peak resident size (VmHWM) to the current one: the peak after is the request's.
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = status_kb("VmHWM")
    started = time.monotonic()
    try:
        client.client_credentials()
        outcome, message = "no error", ""
    except TikiGuiError as exc:
        outcome, message = type(exc).__name__, str(exc)
    except MemoryError:
        outcome, message = "MemoryError", ""
    seconds = time.monotonic() - started
    growth = status_kb("VmHWM") - before
print(json.dumps({"outcome": outcome, "message": message, "growth_mb": growth / 1024,
                  "seconds": seconds}))
"""


def _probe(url: str) -> dict[str, object]:
    result = run_python("-c", _PROBE, url)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert isinstance(data, dict)
    return data


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client() as client:
        yield client


# -- size ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_gzip_bomb_is_refused_with_bounded_memory() -> None:
    decoded = 200 << 20  # 200 MB of zeros in about 200 KB of gzip
    with HostileServer(gzip_bomb(decoded)) as server:
        figures = _probe(server.url)
    growth = figures["growth_mb"]
    assert isinstance(growth, float)
    report = (
        f"gzip bomb: {len(bomb_bytes(decoded)) // 1024} KB unpacking to {decoded >> 20} MB: "
        f"{figures['outcome']} in {figures['seconds']:.2f} s, peak RSS growth {growth:.1f} MB"
    )
    print(report)
    assert figures["outcome"] == "ResponseTooLargeError", report
    assert "sent too much" in str(figures["message"])
    assert growth < 40, report


@pytest.mark.slow
def test_an_endless_chunked_answer_is_cut_off_with_bounded_memory() -> None:
    with HostileServer(endless_chunked()) as server:
        figures = _probe(server.url)
        assert server.closed_by_client.wait(10), "the client never hung up"
    growth = figures["growth_mb"]
    seconds = figures["seconds"]
    assert isinstance(growth, float)
    assert isinstance(seconds, float)
    report = (
        f"endless chunked answer: {figures['outcome']} after {seconds:.2f} s, "
        f"peak RSS growth {growth:.1f} MB"
    )
    print(report)
    assert figures["outcome"] == "ResponseTooLargeError", report
    assert growth < 40, report
    assert seconds < 10, report


def test_an_answer_just_under_the_cap_is_read(http: httpx.Client) -> None:
    padding = " " * (MAX_BODY_BYTES - 200)
    body = json.dumps({"access_token": ACCESS, "token_type": "bearer", "pad": padding}).encode()
    assert len(body) <= MAX_BODY_BYTES
    with HostileServer(answer("200 OK", body)) as server:
        token = token_client(server.url, http).client_credentials()
    assert token.access_token == ACCESS


def test_a_declared_length_over_the_cap_is_refused_before_reading(http: httpx.Client) -> None:
    body = b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"
    with (
        HostileServer(answer("200 OK", body)) as server,
        pytest.raises(ResponseTooLargeError) as info,
    ):
        token_client(server.url, http).client_credentials()
    assert info.value.limit == MAX_BODY_BYTES
    assert info.value.status_code == 200
    assert "sent too much" in str(info.value)
    assert "1 MB" in str(info.value)


def test_ten_megabytes_of_nul_bytes_cost_neither_time_nor_memory(http: httpx.Client) -> None:
    # As an error answer over the wire: refused by size, not cleaned.
    nul = b"\0" * 10_000_000
    with (
        HostileServer(answer("500 Internal Server Error", nul, [])) as server,
        pytest.raises(ResponseTooLargeError),
    ):
        token_client(server.url, http).client_credentials()
    # And the excerpt of a huge text is cleaned over its start only (it was 110 MB before).
    text = nul.decode("latin-1")
    tracemalloc.start()
    started = time.perf_counter()
    shown = excerpt(text, [SECRET])
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    report = f"excerpt of 10 MB of NUL: {seconds * 1000:.1f} ms, peak {peak / 1024:.0f} KB"
    print(report)
    assert shown.startswith("???")
    assert len(shown) <= 120
    assert peak < 200_000, report


def test_an_excerpt_cut_from_a_long_text_shows_no_part_of_a_secret() -> None:
    for offset in range(470, 560, 3):  # the secret straddles the excerpt's cleaning window
        text = "x " * (offset // 2) + SECRET + " tail" * 300
        shown = excerpt(text, [SECRET])
        for size in range(6, len(SECRET) + 1):
            for start in range(len(SECRET) - size + 1):
                assert SECRET[start : start + size] not in shown, (offset, shown)


# -- time ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phase",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000, id="headers"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{" + b" " * 4998, id="body"),
    ],
)
def test_a_dripping_server_is_cut_off_at_the_deadline(http: httpx.Client, phase: bytes) -> None:
    # One byte every 0.2 s: no read ever times out (30 s each), only the total deadline helps.
    deadline = 1.5
    with HostileServer(drip(phase, 0.2)) as server:
        client = token_client(server.url, http, deadline=deadline)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError) as info:
            client.refresh(old_token())
        took = time.monotonic() - started
    report = f"drip ({len(phase)} bytes at 5/s): abandoned after {took:.2f} s, deadline {deadline}"
    print(report)
    assert deadline <= took < deadline + 1.5, report
    assert f"within {deadline:g} s" in str(info.value)
    assert info.value.maybe_sent
    assert REFRESH not in str(info.value)


def test_a_server_that_never_answers_meets_the_deadline_not_the_read_timeout(
    http: httpx.Client,
) -> None:
    with HostileServer(silent) as server:
        api = SellerApi(server.url, http, deadline=1.0)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            api.me(ACCESS)
        took = time.monotonic() - started
    assert 1.0 <= took < 2.5, f"sellers/me abandoned after {took:.2f} s (deadline 1 s)"


def test_the_default_deadline_is_thirty_seconds() -> None:
    from tiki_gui.core.http import DEFAULT_DEADLINE

    assert DEFAULT_DEADLINE == 30.0
    with pytest.raises(ValueError, match="deadline"):
        TokenClient("https://example.com/token", ClientCredentials("c", "s"), None, deadline=0)  # type: ignore[arg-type]


# -- what the token response may contain ---------------------------------------------------------


def test_an_expires_in_of_400_digits_is_a_malformed_response(http: httpx.Client) -> None:
    body = b'{"access_token": "%s", "token_type": "bearer", "expires_in": %s}' % (
        ACCESS.encode(),
        b"9" * 400,
    )
    with (
        HostileServer(answer("200 OK", body)) as server,
        pytest.raises(MalformedResponseError) as info,
    ):
        token_client(server.url, http).client_credentials()
    assert "expires_in" in str(info.value)


@pytest.mark.parametrize(
    "token",
    [
        "abc\ndef",
        "abc\r\nX-Injected: yes",
        "abc\x1b[31mred",
        "abc\x00def",
        "abc def",
        "abc\tdef",
        "caf\u00e9",
        "a" * 8193,
    ],
)
@pytest.mark.parametrize("field", ["access_token", "refresh_token"])
def test_a_token_that_is_not_printable_ascii_is_refused(
    http: httpx.Client, token: str, field: str
) -> None:
    fields = {"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "bearer"}
    fields[field] = token
    with (
        HostileServer(answer("200 OK", json.dumps(fields).encode())) as server,
        pytest.raises(MalformedResponseError) as info,
    ):
        token_client(server.url, http).refresh(old_token())
    assert f"has an {field} that is not a token" in str(info.value)
    assert token[:20] not in str(info.value)
