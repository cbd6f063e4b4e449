"""Fuzzing (hypothesis) of the bounds on what a server may send: token text, the size cap,
the total deadline, and the ``error`` parameter of a redirect. Examples are bounded so the file
runs in seconds; the deadline property runs against a real dripping server."""

from __future__ import annotations

import gzip
import itertools
import json
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.body import read_body
from tiki_gui.core.client_auth import ClientCredentials
from tiki_gui.core.errors import (
    MalformedResponseError,
    OAuthError,
    RedirectError,
    RequestTimeoutError,
    ResponseTooLargeError,
)
from tiki_gui.core.http import make_http_client
from tiki_gui.core.redirect import parse_redirect
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import MAX_TOKEN_LENGTH, is_token_text, token_set_from_response

from .hostile_server import HostileServer, drip

T0 = datetime(2024, 5, 1, tzinfo=UTC)
_fast = settings(database=None, deadline=None, max_examples=300)

# -- the token response parser -------------------------------------------------------------------

_json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),  # the 400-digit expires_in
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["1e400", "-1", "nan", "inf", "3599", " 60 ", "0x10", "9" * 400]),
)
_json_value = st.one_of(_json_scalar, st.lists(_json_scalar, max_size=3))
_token_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=40),
    st.sampled_from(["ory_at_abc.def", "abc\r\nX-Injected: 1", "abc\x1b[2J", "a\x00b", "a b"]),
)


@_fast
@given(
    access=st.one_of(_token_text, _json_value),
    refresh=st.one_of(st.none(), _token_text, _json_value),
    expires_in=_json_value,
    token_type=st.one_of(st.just("bearer"), _json_value),
    scope=st.one_of(st.none(), st.text(max_size=20), _json_value),
)
def test_the_token_parser_either_refuses_typed_or_returns_safe_tokens(
    access: object, refresh: object, expires_in: object, token_type: object, scope: object
) -> None:
    body = {
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": expires_in,
        "token_type": token_type,
        "scope": scope,
    }
    refused: MalformedResponseError | None = None
    try:
        token = token_set_from_response(body, received_at=T0)
    except MalformedResponseError as exc:
        refused = exc
    if refused is not None:
        assert str(refused).count("fields:") == 1  # never a value, only the field names
        return
    assert is_token_text(token.access_token)
    assert token.refresh_token is None or is_token_text(token.refresh_token)
    assert token.expires_at is None or token.expires_at >= T0


@_fast
@given(st.text(max_size=60) | st.text(alphabet="!~ \t\n\r\x00\x1b\x7fAz09", max_size=60))
def test_only_printable_ascii_without_spaces_is_token_text(text: str) -> None:
    expected = 0 < len(text) <= MAX_TOKEN_LENGTH and all(0x21 <= ord(ch) <= 0x7E for ch in text)
    assert is_token_text(text) is expected
    body = {"access_token": text, "token_type": "bearer"}
    if expected:
        assert token_set_from_response(body, received_at=T0).access_token == text
    else:
        with pytest.raises(MalformedResponseError):
            token_set_from_response(body, received_at=T0)


def test_the_length_bound() -> None:
    assert is_token_text("a" * MAX_TOKEN_LENGTH)
    assert not is_token_text("a" * (MAX_TOKEN_LENGTH + 1))
    assert not is_token_text("")


# -- the decoded-size cap ------------------------------------------------------------------------


class _Chunks(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks


def _encode(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(body)
    if coding == "deflate":
        return zlib.compress(body)
    if coding == "raw-deflate":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush()
    return body


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@_fast
@given(
    body=st.one_of(
        st.binary(max_size=3000),
        st.integers(min_value=0, max_value=300_000).map(bytes),  # zeros: bomb-like ratios
    ),
    coding=st.sampled_from(["identity", "gzip", "deflate", "raw-deflate"]),
    cuts=st.lists(st.integers(min_value=0, max_value=400_000), max_size=6),
    limit=st.integers(min_value=1, max_value=5000),
)
def test_the_cap_holds_for_any_body_coding_and_chunking(
    body: bytes, coding: str, cuts: list[int], limit: int
) -> None:
    raw = _encode(body, coding)
    header = "deflate" if coding == "raw-deflate" else coding
    response = httpx.Response(
        200,
        headers=[("Content-Encoding", header)],
        stream=_Chunks(_split(raw, cuts)),
        request=httpx.Request("POST", "http://127.0.0.1/token"),
    )
    if len(body) > limit or len(raw) > limit:
        with pytest.raises(ResponseTooLargeError) as info:
            read_body(response, limit=limit)
        assert info.value.limit == limit
    else:
        assert read_body(response, limit=limit) == body
        assert read_body(response, limit=limit) == body  # kept: read once


def test_an_unknown_content_encoding_is_refused() -> None:
    response = httpx.Response(
        200,
        headers=[("Content-Encoding", "br")],
        stream=_Chunks([b"\x8b\x02\x80{}\x03"]),
        request=httpx.Request("POST", "http://127.0.0.1/token"),
    )
    with pytest.raises(MalformedResponseError, match="Content-Encoding"):
        read_body(response)


# -- the total deadline, against a real dripping server -----------------------------------------


@settings(
    database=None,
    deadline=None,
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    deadline=st.floats(min_value=0.3, max_value=1.0),
    interval=st.floats(min_value=0.02, max_value=0.25),
    in_body=st.booleans(),
)
def test_the_deadline_holds_whatever_the_drip(
    deadline: float, interval: float, in_body: bool
) -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{" if in_body else b"HTTP/1.1 200 OK\r\n"
    ) + b"x" * 10
    with make_http_client() as http, HostileServer(drip(data, interval)) as server:
        client = TokenClient(
            server.url + "/token", ClientCredentials("c", "s"), http, deadline=deadline
        )
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            client.client_credentials()
        took = time.monotonic() - started
    assert deadline <= took < deadline + 1.5, f"took {took:.2f} s for a {deadline:.2f} s deadline"


# -- an error parameter in a redirect ------------------------------------------------------------

_REQUEST = AuthorizationRequest.create(
    "https://api.tiki.vn/sc/oauth2/auth",
    "client",
    "http://127.0.0.1:8080/callback",
    "offline",
    state="state-0123456789abcdef",
)


@_fast
@given(
    error=st.text(max_size=20),
    extra=st.lists(
        st.tuples(st.sampled_from(["code", "scope", "error_description", "iss"]), st.text()),
        max_size=3,
    ),
)
def test_a_redirect_with_an_error_parameter_never_yields_a_code(
    error: str, extra: list[tuple[str, str]]
) -> None:
    params = [("code", "the-code"), *extra, ("error", error), ("state", _REQUEST.state)]
    url = f"{_REQUEST.redirect_uri}?{urlencode(params)}"
    with pytest.raises((OAuthError, RedirectError)):
        parse_redirect(url, _REQUEST)


def test_the_fuzzed_bodies_are_json_safe() -> None:
    # The parser is fed what json.loads gives: a 400-digit int parses (Python's digit limit is
    # 4300) and reaches the parser as an int.
    assert json.loads("9" * 400) == int("9" * 400)
