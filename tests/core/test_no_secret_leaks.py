"""Every error type, built from answers that echo known secrets, shows none of them.

Secrets: the client secret, the authorization code, the PKCE verifier, the access and refresh
tokens, in their raw and encoded forms. Each answer echoes the secrets its request carried (a
server cannot echo what it was not sent). Checked in ``str``, ``repr``, the error's attributes,
the formatted traceback (chained exceptions included) and the log records.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from urllib.parse import quote, quote_plus, urlencode

import httpx
import pytest
from scripted_server import Reply, ScriptedServer

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials, basic_authorization
from tiki_gui.core.errors import (
    ApiError,
    ApiForbiddenError,
    ApiRateLimitedError,
    ApiUnauthorizedError,
    AuthorizationDeniedError,
    ConnectionFailedError,
    ErrorPageError,
    MalformedResponseError,
    OAuthError,
    ProxyFailedError,
    RedirectError,
    RequestTimeoutError,
    StateMismatchError,
    TikiGuiError,
    TlsError,
    TransportError,
    ValidationError,
)
from tiki_gui.core.http import make_http_client
from tiki_gui.core.pkce import Pkce
from tiki_gui.core.redirect import AuthorizationResponse, parse_error_page, parse_redirect
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet

CLIENT_ID = "7590139168389961"
CLIENT_SECRET = "tfSl0c6V+Fv3:fAB/z9F%m22 IhEnmwq6ew"
CODE = "wwxdZmftI2r0Xn5gbwX.Qm9vbGVhbkNvZGU"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
ACCESS = "ory_at_QUNDRVNTVE9LRU4xMjM0NTY3ODkw.c2lnbmF0dXJl"
REFRESH = "ory_rt_UkVGUkVTSFRPS0VOMDk4NzY1NDMyMQ.c2lnbmF0dXJl"
NEW_REFRESH = "ory_rt_TkVXUkVGUkVTSDU1NTU1NTU1NQ.bmV3c2ln"
SECRETS = (CLIENT_SECRET, CODE, VERIFIER, ACCESS, REFRESH, NEW_REFRESH)
FORBIDDEN = {
    form
    for secret in SECRETS
    for form in (secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1])
} | {basic_authorization(CLIENT_ID, CLIENT_SECRET).removeprefix("Basic ")}
T0 = datetime(2024, 5, 1, tzinfo=UTC)
REDIRECT = "https://example.com/tiki/callback"
STATE = "state-0123456789abcdefghij"

Action = Callable[[str, httpx.Client], object]


def _assert_clean(error: BaseException) -> None:
    texts = [
        str(error),
        repr(error),
        repr(vars(error)),
        repr(error.args),
        "".join(traceback.format_exception(error)),
    ]
    for text in texts:
        for secret in FORBIDDEN:
            assert secret not in text, f"{type(error).__name__} leaks a secret: {text!r}"


def _json(status: int, body: object, *headers: tuple[str, str]) -> Reply:
    return Reply(
        status, json.dumps(body).encode(), (("Content-Type", "application/json"), *headers)
    )


def _request() -> AuthorizationRequest:
    return AuthorizationRequest(
        "https://api.tiki.vn/sc/oauth2/auth",
        CLIENT_ID,
        REDIRECT,
        ("offline",),
        state=STATE,
        pkce=Pkce.from_verifier(VERIFIER),
    )


def _exchange(url: str, http: httpx.Client) -> object:
    credentials = ClientCredentials(CLIENT_ID, CLIENT_SECRET, AuthMethod.CLIENT_SECRET_POST)
    response = AuthorizationResponse(code=CODE, state=STATE, scope=None, iss=None)
    return TokenClient(url + "/token", credentials, http).exchange_code(response, _request())


def _refresh(url: str, http: httpx.Client) -> object:
    credentials = ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    token = TokenSet(ACCESS, "bearer", T0, None, refresh_token=REFRESH)
    return TokenClient(url + "/token", credentials, http).refresh(token)


def _me(url: str, http: httpx.Client) -> object:
    return SellerApi(url, http).me(ACCESS)


@pytest.fixture(autouse=True)
def _logs_are_clean(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    for secret in FORBIDDEN:
        assert secret not in caplog.text


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client(timeout=httpx.Timeout(5.0)) as client:
        yield client


def _echo(*secrets: str) -> str:
    """How a server might echo what it was sent: raw, form-encoded and percent-encoded."""
    return " ".join(f"{s} {quote_plus(s)} {quote(s, safe='')}" for s in secrets)


EXCHANGE_ECHO = _echo(CLIENT_SECRET, CODE, VERIFIER)
REFRESH_ECHO = _echo(CLIENT_SECRET, ACCESS, REFRESH)
ME_ECHO = _echo(ACCESS)


@pytest.mark.parametrize(
    ("answer", "action", "expected"),
    [
        (
            _json(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": f"code {CODE} with verifier {VERIFIER} is invalid",
                    "error_hint": f"client_secret={CLIENT_SECRET} code={quote_plus(CODE)}",
                    "error_uri": f"https://x.example/?secret={quote(CLIENT_SECRET, safe='')}",
                    "error_debug": EXCHANGE_ECHO,
                },
            ),
            _exchange,
            OAuthError,
        ),
        (_json(401, {"error": "invalid_client", "error_hint": REFRESH_ECHO}), _refresh, OAuthError),
        (Reply(500, f"<html>{EXCHANGE_ECHO}</html>".encode()), _exchange, MalformedResponseError),
        (Reply(200, f'{{"access_token": "{ACCESS}'.encode()), _refresh, MalformedResponseError),
        (_json(200, [REFRESH_ECHO]), _refresh, MalformedResponseError),
        (_json(502, {CLIENT_SECRET: REFRESH, ACCESS: 1}), _refresh, MalformedResponseError),
        (
            _json(200, {"token_type": "bearer", "refresh_token": NEW_REFRESH}),
            _refresh,
            MalformedResponseError,
        ),
        (
            _json(200, {"access_token": ACCESS, "token_type": "bearer", "expires_in": REFRESH}),
            _refresh,
            MalformedResponseError,
        ),
        (_json(401, {"errors": [f"token {ACCESS} expired"]}), _me, ApiUnauthorizedError),
        (_json(403, {"errors": [{"message": ME_ECHO}]}), _me, ApiForbiddenError),
        (_json(429, {"message": ME_ECHO}, ("Retry-After", "3")), _me, ApiRateLimitedError),
        (_json(500, {"errors": [ME_ECHO]}), _me, ApiError),
        (Reply(200, ME_ECHO.encode()), _me, MalformedResponseError),
        (_json(200, {"id": ACCESS, "name": ME_ECHO}), _me, MalformedResponseError),
    ],
)
def test_errors_from_answers_echoing_secrets(
    http: httpx.Client, answer: Reply, action: Action, expected: type[TikiGuiError]
) -> None:
    with ScriptedServer(answer) as server, pytest.raises(TikiGuiError) as info:
        action(server.url(), http)
    assert type(info.value) is expected
    _assert_clean(info.value)


def _failing(exc: Exception) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.Client(transport=httpx.MockTransport(handler))


def _tls_failure(echo: str) -> Exception:
    cause = ssl.SSLCertVerificationError(1, f"[SSL: CERTIFICATE_VERIFY_FAILED] {echo}")
    try:
        raise httpx.ConnectError(f"TLS failed for {echo}") from cause
    except httpx.ConnectError as exc:
        return exc


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda echo: httpx.ReadTimeout(f"timed out sending {echo}"), RequestTimeoutError),
        (lambda echo: httpx.ConnectError(f"refused {echo}"), ConnectionFailedError),
        (lambda echo: httpx.ReadError(f"reset {echo}"), ConnectionFailedError),
        (lambda echo: httpx.RemoteProtocolError(f"bad {echo}"), ConnectionFailedError),
        (_tls_failure, TlsError),
        (lambda echo: httpx.ProxyError(f"proxy {echo}"), ProxyFailedError),
    ],
)
@pytest.mark.parametrize(
    ("action", "echo"),
    [(_exchange, EXCHANGE_ECHO), (_refresh, REFRESH_ECHO), (_me, ME_ECHO)],
    ids=["exchange", "refresh", "me"],
)
def test_transport_errors_whose_messages_echo_secrets(
    make: Callable[[str], Exception], expected: type[TransportError], action: Action, echo: str
) -> None:
    with _failing(make(echo)) as http, pytest.raises(TransportError) as info:
        action("https://api.tiki.vn", http)
    assert type(info.value) is expected
    _assert_clean(info.value)


def _redirect(**params: str) -> str:
    return f"{REDIRECT}?{urlencode(params)}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (_redirect(code=CODE, state="x" * 30), StateMismatchError),
        (_redirect(code=CODE), StateMismatchError),
        ("https://example.com/other?" + urlencode({"code": CODE, "state": STATE}), RedirectError),
        (
            _redirect(state=STATE, error="access_denied", error_hint="denied"),
            AuthorizationDeniedError,
        ),
        (_redirect(state=STATE, error="invalid_scope"), OAuthError),
        (f"{REDIRECT}?code={CODE}&code={REFRESH}&state={STATE}", RedirectError),
    ],
)
def test_redirect_errors(url: str, expected: type[TikiGuiError]) -> None:
    with pytest.raises(TikiGuiError) as info:
        parse_redirect(url, _request())
    assert type(info.value) is expected
    _assert_clean(info.value)


def test_error_page_error() -> None:
    error = parse_error_page(
        "https://api.tiki.vn/sc/oauth2/fallbacks/error?error=invalid_request&error_hint=bad"
    )
    assert type(error) is ErrorPageError
    _assert_clean(error)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ClientCredentials(CLIENT_ID, CLIENT_SECRET + "\n"),
        lambda: Pkce.from_verifier(VERIFIER[:40]),
        lambda: Pkce(verifier=VERIFIER, challenge=CODE),
        lambda: TokenSet.from_json_dict({"access_token": ACCESS, "refresh_token": REFRESH}),
        lambda: TokenSet.from_json_dict(
            {"access_token": ACCESS, "token_type": "bearer", "obtained_at": REFRESH}
        ),
    ],
)
def test_validation_errors(make: Callable[[], object]) -> None:
    with pytest.raises(ValidationError) as info:
        make()
    _assert_clean(info.value)


def test_the_code_reuse_guard(http: httpx.Client) -> None:
    credentials = ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    response = AuthorizationResponse(code=CODE, state=STATE, scope=None, iss=None)
    with ScriptedServer(
        _json(400, {"error": "invalid_grant", "error_debug": EXCHANGE_ECHO})
    ) as server:
        client = TokenClient(server.url("/token"), credentials, http)
        with pytest.raises(OAuthError):
            client.exchange_code(response, _request())
        with pytest.raises(ValidationError) as info:
            client.exchange_code(response, _request())
    _assert_clean(info.value)


def test_the_basic_header_value_is_among_the_checked_forms() -> None:
    decoded = base64.b64decode(basic_authorization(CLIENT_ID, CLIENT_SECRET)[6:]).decode()
    assert quote_plus(CLIENT_SECRET) in decoded
    assert quote_plus(CLIENT_SECRET) in FORBIDDEN
