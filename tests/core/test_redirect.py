"""The redirect back: structural redirect URI match, state first, codes and errors."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    ErrorPageError,
    OAuthError,
    RedirectError,
    StateMismatchError,
)
from tiki_gui.core.redirect import (
    is_error_page,
    parse_error_page,
    parse_redirect,
    redirect_uri_matches,
)

_settings = settings(database=None, deadline=None, max_examples=300)
AUTH = "https://api.tiki.vn/sc/oauth2/auth"
CB = "https://example.com/cb"
REDIRECT = "https://example.com/tiki/callback"
STATE = "state-0123456789-abcdefghijklmnopqrstuvwxyz"
CODE = "wwxdZmftI2r0Xn5gbwX.secret-code-value"


def _request(redirect_uri: str = REDIRECT) -> AuthorizationRequest:
    return AuthorizationRequest.create(
        AUTH, "7590139168389961", redirect_uri, "offline order", state=STATE
    )


def _url(base: str = REDIRECT, **params: str) -> str:
    return f"{base}?{urlencode(params)}"


# -- structural matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/cb",
        "https://example.com/cb?code=x&state=y",
        "https://example.com/cb#fragment",
        "https://EXAMPLE.COM/cb",
        "HTTPS://example.com/cb",
        "https://example.com:443/cb",
    ],
)
def test_matches(url: str) -> None:
    assert redirect_uri_matches(url, CB)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/cb2",
        "https://example.com/cb/",
        "https://example.com/cb/x",
        "https://example.com/CB",
        "https://example.com.evil.org/cb",
        "https://evil.org/https://example.com/cb",
        "https://example.com/cb/../x",
        "https://example.com/cb/..",
        "https://example.com@evil.org/cb",
        "https://example.com:443@evil.org/cb",
        "https://user:pw@example.com/cb",
        "https://evil.org\\@example.com/cb",
        "https://example.com\\@evil.org/cb",
        "http://example.com/cb",
        "https://example.com:8443/cb",
        "https://example.com:99999/cb",
        "https://example.com:x/cb",
        "https://example.com/c b",
        "https://example.com/c\tb",
        "https://example.com/c\nb",
        "//example.com/cb",
        "/cb",
        "",
        "javascript:alert(1)//example.com/cb",
    ],
)
def test_never_matches_by_prefix_or_trick(url: str) -> None:
    assert not redirect_uri_matches(url, CB)


def test_default_ports_are_normalised_both_ways() -> None:
    assert redirect_uri_matches("http://127.0.0.1/callback", "http://127.0.0.1:80/callback")
    assert redirect_uri_matches("http://127.0.0.1:80/callback", "http://127.0.0.1/callback")
    assert not redirect_uri_matches("http://127.0.0.1:8080/callback", "http://127.0.0.1/callback")


def test_empty_path_equals_slash() -> None:
    assert redirect_uri_matches("https://example.com/?code=1", "https://example.com")
    assert redirect_uri_matches("https://example.com?code=1", "https://example.com/")


_path_segment = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-._~%"), min_size=1, max_size=12
)
_host = st.lists(
    st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=1, max_size=8
    ),
    min_size=2,
    max_size=4,
).map(".".join)
_registered = st.builds(
    lambda scheme, host, port, segments: f"{scheme}://{host}{port}/" + "/".join(segments),
    st.sampled_from(["https", "http"]),
    _host,
    st.sampled_from(["", ":8443", ":9000"]),
    st.lists(_path_segment, min_size=1, max_size=4),
)
_query = st.dictionaries(
    st.text(alphabet=st.sampled_from("abcxyz_"), min_size=1, max_size=5), st.text(max_size=10)
)


@_settings
@given(_registered, _query)
def test_the_registered_uri_with_any_query_matches(registered: str, query: dict[str, str]) -> None:
    assert redirect_uri_matches(f"{registered}?{urlencode(query)}", registered)


@_settings
@given(_registered, st.text(min_size=1, max_size=20))
def test_appending_anything_but_a_query_or_fragment_never_matches(
    registered: str, suffix: str
) -> None:
    assume(suffix[0] not in "?#")
    assert not redirect_uri_matches(registered + suffix, registered)


@_settings
@given(_registered, _host)
def test_a_longer_host_never_matches(registered: str, extra: str) -> None:
    scheme, rest = registered.split("://", 1)
    host, _, tail = rest.partition("/")
    hostname = host.split(":")[0]
    other = f"{scheme}://{hostname}.{extra}/{tail}"
    assert not redirect_uri_matches(other, registered)
    assert not redirect_uri_matches(f"{scheme}://{hostname}@{extra}/{tail}", registered)


@_settings
@given(_registered)
def test_host_case_does_not_matter(registered: str) -> None:
    scheme, rest = registered.split("://", 1)
    host, _, tail = rest.partition("/")
    assert redirect_uri_matches(f"{scheme.upper()}://{host.upper()}/{tail}", registered)


# -- parse_redirect -----------------------------------------------------------------------------


def test_success_gives_code_state_scope_and_iss() -> None:
    response = parse_redirect(
        _url(code=CODE, scope="offline order", state=STATE, iss="https://api.tiki.vn/sc"),
        _request(),
    )
    assert response.code == CODE
    assert response.state == STATE
    assert response.scope == ("offline", "order")
    assert response.iss == "https://api.tiki.vn/sc"
    assert CODE not in repr(response)
    assert STATE not in repr(response)


def test_scope_and_iss_are_optional() -> None:
    response = parse_redirect(_url(code=CODE, state=STATE), _request())
    assert response.scope is None
    assert response.iss is None


def test_redirect_to_another_url_is_refused_without_reading_the_code() -> None:
    with pytest.raises(RedirectError, match="not the redirect URI") as info:
        parse_redirect(
            _url("https://example.com/tiki/callback2", code=CODE, state=STATE), _request()
        )
    assert not isinstance(info.value, StateMismatchError)
    assert CODE not in str(info.value)


@pytest.mark.parametrize(
    "params",
    [
        {"code": CODE},
        {"code": CODE, "state": ""},
        {"code": CODE, "state": STATE[:-1]},
        {"code": CODE, "state": STATE + "x"},
        {"code": CODE, "state": STATE.upper()},
    ],
)
def test_missing_or_different_state_discards_the_code(params: dict[str, str]) -> None:
    with pytest.raises(StateMismatchError, match="discarded") as info:
        parse_redirect(_url(**params), _request())
    assert CODE not in str(info.value)
    assert STATE not in str(info.value)


def test_a_repeated_state_is_a_mismatch() -> None:
    url = f"{REDIRECT}?code=abc&state={STATE}&state={STATE}"
    with pytest.raises(StateMismatchError):
        parse_redirect(url, _request())


def test_state_is_checked_before_an_error_is_reported() -> None:
    url = _url(error="access_denied", error_description="The resource owner denied the request")
    with pytest.raises(StateMismatchError):
        parse_redirect(url, _request())


def test_access_denied() -> None:
    url = _url(
        error="access_denied",
        error_description="The resource owner or authorization server denied the request.",
        error_hint="The resource owner denied the request.",
        state=STATE,
    )
    with pytest.raises(AuthorizationDeniedError) as info:
        parse_redirect(url, _request())
    error = info.value
    assert error.error == "access_denied"
    assert error.description == "The resource owner or authorization server denied the request."
    assert error.hint == "The resource owner denied the request."
    assert error.status_code is None


def test_other_errors_with_newer_hydras_folded_hint() -> None:
    description = (
        "The requested scope is invalid, unknown, or malformed. "
        "The OAuth 2.0 Client is not allowed to request scope 'offline,product'."
    )
    url = _url(
        error="invalid_scope", error_description=description, error_uri="https://x/e", state=STATE
    )
    with pytest.raises(OAuthError) as info:
        parse_redirect(url, _request())
    error = info.value
    assert type(error) is OAuthError
    assert (error.error, error.description, error.hint, error.uri) == (
        "invalid_scope",
        description,
        None,
        "https://x/e",
    )
    assert str(error) == f"invalid_scope: {description}"


def test_an_error_wins_over_a_code() -> None:
    with pytest.raises(OAuthError, match="server_error"):
        parse_redirect(_url(code=CODE, error="server_error", state=STATE), _request())


@pytest.mark.parametrize("params", [{"state": STATE}, {"state": STATE, "code": ""}])
def test_neither_code_nor_error(params: dict[str, str]) -> None:
    with pytest.raises(RedirectError, match="neither an authorization code nor an error"):
        parse_redirect(_url(**params), _request())


def test_a_repeated_code_is_refused() -> None:
    with pytest.raises(RedirectError, match="more than once"):
        parse_redirect(f"{REDIRECT}?code=a&code=b&state={STATE}", _request())


def test_loopback_redirect_with_default_port() -> None:
    request = _request("http://127.0.0.1/callback")
    response = parse_redirect(_url("http://127.0.0.1:80/callback", code=CODE, state=STATE), request)
    assert response.code == CODE


# -- Hydra's error page -------------------------------------------------------------------------

ERROR_PAGE = "https://api.tiki.vn/sc/oauth2/fallbacks/error"


@pytest.mark.parametrize(
    "url",
    [
        ERROR_PAGE + "?error=invalid_client",
        "https://API.tiki.vn:443/sc/oauth2/fallbacks/error?error=x",
        "https://api.tiki.vn/oauth2/fallbacks/error",
    ],
)
def test_error_page_is_recognised(url: str) -> None:
    assert is_error_page(url, AUTH)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.org/sc/oauth2/fallbacks/error?error=x",
        "https://api.tiki.vn.evil.org/sc/oauth2/fallbacks/error",
        "http://api.tiki.vn/sc/oauth2/fallbacks/error",
        "https://api.tiki.vn:8443/sc/oauth2/fallbacks/error",
        "https://api.tiki.vn/sc/oauth2/fallbacks/error/more",
        "https://api.tiki.vn/sc/oauth2/auth?error=x",
        "https://api.tiki.vn@evil.org/sc/oauth2/fallbacks/error",
    ],
)
def test_other_pages_are_not_the_error_page(url: str) -> None:
    assert not is_error_page(url, AUTH)


def test_parse_error_page_reads_error_description_and_hint() -> None:
    url = _url(
        ERROR_PAGE,
        error="invalid_request",
        error_description="The request is missing a required parameter.",
        error_hint="The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's "
        "pre-registered redirect urls.",
    )
    error = parse_error_page(url)
    assert isinstance(error, ErrorPageError)
    assert isinstance(error, OAuthError)
    assert error.error == "invalid_request"
    assert error.description == "The request is missing a required parameter."
    assert error.hint is not None
    assert "pre-registered redirect urls" in error.hint
    assert str(error).startswith("invalid_request: The request is missing")
    assert str(error).endswith("pre-registered redirect urls.)")


def test_parse_error_page_without_parameters() -> None:
    error = parse_error_page(ERROR_PAGE)
    assert error.error == "unknown_error"
    assert error.description is None
    assert error.hint is None
