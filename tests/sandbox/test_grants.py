"""The token endpoint's grants: authorization code, refresh token rotation, client credentials."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tiki_gui.sandbox import (
    DEMO_BASIC_CLIENT,
    DEMO_POST_CLIENT,
    SandboxClient,
    SandboxServer,
)

from .wire import (
    APP_CALLBACK,
    VERIFIER,
    assert_token_error,
    exchange,
    get_code,
    obtain_tokens,
    refresh,
    s256,
    sellers_me,
    token_request,
)

# -- authorization_code ------------------------------------------------------------------------


def test_code_reuse_fails_and_revokes_the_tokens_issued_from_it(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    code = get_code(http, sandbox)
    first = exchange(http, sandbox, DEMO_BASIC_CLIENT, code).json()
    assert sellers_me(http, sandbox, first["access_token"]).status_code == 200
    second = exchange(http, sandbox, DEMO_BASIC_CLIENT, code)
    body = assert_token_error(second, 400, "invalid_grant")
    assert body["error_hint"] == "The authorization code has already been used."
    assert sellers_me(http, sandbox, first["access_token"]).status_code == 401
    assert_token_error(
        refresh(http, sandbox, DEMO_BASIC_CLIENT, first["refresh_token"]), 400, "invalid_grant"
    )
    assert [r.status_code for r in sandbox.token_requests] == [200, 400, 400]


def test_code_reuse_also_revokes_tokens_rotated_from_it(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    code = get_code(http, sandbox)
    first = exchange(http, sandbox, DEMO_BASIC_CLIENT, code).json()
    rotated = refresh(http, sandbox, DEMO_BASIC_CLIENT, first["refresh_token"]).json()
    assert sellers_me(http, sandbox, rotated["access_token"]).status_code == 200
    assert_token_error(exchange(http, sandbox, DEMO_BASIC_CLIENT, code), 400, "invalid_grant")
    assert sellers_me(http, sandbox, rotated["access_token"]).status_code == 401
    again = refresh(http, sandbox, DEMO_BASIC_CLIENT, rotated["refresh_token"])
    assert_token_error(again, 400, "invalid_grant")


def test_code_expires_after_the_code_lifetime(sandbox: SandboxServer, http: httpx.Client) -> None:
    fresh, stale = get_code(http, sandbox), get_code(http, sandbox)
    sandbox.advance_clock(599)
    assert exchange(http, sandbox, DEMO_BASIC_CLIENT, fresh).status_code == 200
    sandbox.advance_clock(2)
    body = assert_token_error(
        exchange(http, sandbox, DEMO_BASIC_CLIENT, stale), 400, "invalid_grant"
    )
    assert body["error_hint"] == "The authorization code has expired."


def test_code_lifetime_is_configurable(http: httpx.Client) -> None:
    with SandboxServer(code_lifetime=5) as server:
        code = get_code(http, server)
        server.advance_clock(6)
        assert_token_error(exchange(http, server, DEMO_BASIC_CLIENT, code), 400, "invalid_grant")


@pytest.mark.parametrize(
    "redirect_uri",
    ["https://example.com/tiki/callback/", "http://127.0.0.1/callback", ""],
)
def test_redirect_uri_must_equal_the_one_used_at_the_auth_request(
    sandbox: SandboxServer, http: httpx.Client, redirect_uri: str
) -> None:
    code = get_code(http, sandbox)
    response = exchange(http, sandbox, DEMO_BASIC_CLIENT, code, redirect_uri=redirect_uri)
    body = assert_token_error(response, 400, "invalid_grant")
    assert "'redirect_uri'" in str(body["error_hint"])
    # A failed check does not burn the code.
    assert exchange(http, sandbox, DEMO_BASIC_CLIENT, code).status_code == 200


def test_loopback_redirect_uri_with_port_must_be_repeated_exactly(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    used = "http://127.0.0.1:53682/callback"
    code = get_code(http, sandbox, redirect_uri=used)
    other_port = exchange(
        http, sandbox, DEMO_BASIC_CLIENT, code, redirect_uri="http://127.0.0.1/callback"
    )
    assert_token_error(other_port, 400, "invalid_grant")
    assert exchange(http, sandbox, DEMO_BASIC_CLIENT, code, redirect_uri=used).status_code == 200


def test_code_issued_to_another_client_is_invalid_grant(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    code = get_code(http, sandbox, DEMO_BASIC_CLIENT)
    body = assert_token_error(exchange(http, sandbox, DEMO_POST_CLIENT, code), 400, "invalid_grant")
    assert "does not match" in str(body["error_hint"])


def test_unknown_code_is_invalid_grant(sandbox: SandboxServer, http: httpx.Client) -> None:
    assert_token_error(
        exchange(http, sandbox, DEMO_BASIC_CLIENT, "ory_ac_nope"), 400, "invalid_grant"
    )


def test_pkce_s256_with_the_right_verifier(sandbox: SandboxServer, http: httpx.Client) -> None:
    code = get_code(http, sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")
    response = exchange(http, sandbox, DEMO_BASIC_CLIENT, code, code_verifier=VERIFIER)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("verifier", "hint"),
    [
        (None, "code verifier is missing"),
        ("w" * 43, "did not match"),
        ("short", "at least 43 characters"),
        ("é" * 43, "must only contain"),
    ],
)
def test_pkce_missing_or_wrong_verifier_is_invalid_grant(
    sandbox: SandboxServer, http: httpx.Client, verifier: str | None, hint: str
) -> None:
    code = get_code(http, sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")
    extra = {} if verifier is None else {"code_verifier": verifier}
    body = assert_token_error(
        exchange(http, sandbox, DEMO_BASIC_CLIENT, code, **extra), 400, "invalid_grant"
    )
    assert hint in str(body["error_hint"])


def test_pkce_verifier_without_a_challenge_is_invalid_grant(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    code = get_code(http, sandbox)
    response = exchange(http, sandbox, DEMO_BASIC_CLIENT, code, code_verifier=VERIFIER)
    assert_token_error(response, 400, "invalid_grant")


@pytest.mark.parametrize("scope", ["product order", "all", ""])
def test_no_refresh_token_without_offline(
    sandbox: SandboxServer, http: httpx.Client, scope: str
) -> None:
    body = obtain_tokens(http, sandbox, scope=scope)
    assert "refresh_token" not in body
    assert body["scope"] == scope


def test_offline_access_also_grants_a_refresh_token(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    body = obtain_tokens(http, sandbox, DEMO_POST_CLIENT, scope="offline_access product")
    assert str(body["refresh_token"]).startswith("ory_rt_")


def test_no_refresh_token_for_a_client_without_the_refresh_grant(
    http: httpx.Client,
) -> None:
    client = SandboxClient(
        client_id="no-refresh",
        client_secret="s",
        token_endpoint_auth_method="client_secret_post",
        redirect_uris=(APP_CALLBACK,),
        scope="offline product",
        grant_types=("authorization_code",),
    )
    with SandboxServer(clients=[client]) as server:
        body = obtain_tokens(http, server, client, scope="offline product")
        assert "refresh_token" not in body
        response = token_request(http, server, client, {"grant_type": "client_credentials"})
        hint = assert_token_error(response, 400, "unauthorized_client")["error_hint"]
        assert "'client_credentials'" in str(hint)


# -- refresh_token -----------------------------------------------------------------------------


def test_refresh_rotates_the_pair_and_revokes_the_old_one_at_once(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    first = obtain_tokens(http, sandbox)
    response = refresh(http, sandbox, DEMO_BASIC_CLIENT, first["refresh_token"])
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    second = response.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == "offline product order"
    assert second["token_type"] == "bearer"
    assert sellers_me(http, sandbox, first["access_token"]).status_code == 401
    assert sellers_me(http, sandbox, second["access_token"]).status_code == 200
    third = refresh(http, sandbox, DEMO_BASIC_CLIENT, second["refresh_token"])
    assert third.status_code == 200
    assert sandbox.token_requests[-1].grant_type == "refresh_token"


def test_reusing_an_old_refresh_token_revokes_the_whole_chain(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    first = obtain_tokens(http, sandbox, DEMO_POST_CLIENT)
    second = refresh(http, sandbox, DEMO_POST_CLIENT, first["refresh_token"]).json()
    third = refresh(http, sandbox, DEMO_POST_CLIENT, second["refresh_token"]).json()
    reuse = refresh(http, sandbox, DEMO_POST_CLIENT, first["refresh_token"])
    body = assert_token_error(reuse, 400, "invalid_grant")
    assert body["error_hint"] == "The refresh token was already used."
    assert sellers_me(http, sandbox, third["access_token"]).status_code == 401
    assert_token_error(
        refresh(http, sandbox, DEMO_POST_CLIENT, third["refresh_token"]), 400, "invalid_grant"
    )


def test_concurrent_refreshes_of_one_token_let_only_one_win(
    sandbox: SandboxServer, new_http: Callable[[], httpx.Client]
) -> None:
    import concurrent.futures

    http = new_http()
    first = obtain_tokens(http, sandbox)
    clients = [new_http() for _ in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(
            pool.map(
                lambda c: (
                    refresh(c, sandbox, DEMO_BASIC_CLIENT, first["refresh_token"]).status_code
                ),
                clients,
            )
        )
    assert sorted(statuses) == [200, 400, 400, 400]


def test_refresh_token_expires(sandbox: SandboxServer, http: httpx.Client) -> None:
    first = obtain_tokens(http, sandbox)
    sandbox.advance_clock(30 * 86400 + 1)
    body = assert_token_error(
        refresh(http, sandbox, DEMO_BASIC_CLIENT, first["refresh_token"]), 400, "invalid_grant"
    )
    assert body["error_hint"] == "The refresh token has expired."


def test_refresh_token_of_another_client_is_invalid_grant(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    first = obtain_tokens(http, sandbox, DEMO_BASIC_CLIENT)
    assert_token_error(
        refresh(http, sandbox, DEMO_POST_CLIENT, first["refresh_token"]), 400, "invalid_grant"
    )


def test_unknown_or_missing_refresh_token(sandbox: SandboxServer, http: httpx.Client) -> None:
    assert_token_error(
        refresh(http, sandbox, DEMO_BASIC_CLIENT, "ory_rt_nope"), 400, "invalid_grant"
    )
    missing = token_request(http, sandbox, DEMO_BASIC_CLIENT, {"grant_type": "refresh_token"})
    assert_token_error(missing, 400, "invalid_request")


# -- client_credentials ------------------------------------------------------------------------


@pytest.mark.parametrize("client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=lambda c: c.client_id)
def test_client_credentials_gives_an_access_token_only(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    data = {"grant_type": "client_credentials", "scope": "product offline"}
    response = token_request(http, sandbox, client, data)
    assert response.status_code == 200, response.text
    body = response.json()
    assert str(body["access_token"]).startswith("ory_at_")
    assert "refresh_token" not in body
    assert body["scope"] == "product offline"
    assert body["token_type"] == "bearer"
    assert response.headers["cache-control"] == "no-store"


def test_client_credentials_scope_is_optional(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = token_request(http, sandbox, DEMO_BASIC_CLIENT, {"grant_type": "client_credentials"})
    assert response.status_code == 200
    assert response.json()["scope"] == ""


def test_client_credentials_scope_must_be_allowed(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    data = {"grant_type": "client_credentials", "scope": "product,order"}
    body = assert_token_error(
        token_request(http, sandbox, DEMO_BASIC_CLIENT, data), 400, "invalid_scope"
    )
    assert "'product,order'" in str(body["error_hint"])
