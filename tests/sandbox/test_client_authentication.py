"""The token endpoint's client authentication, enforced exactly as Hydra does, and its input."""

from __future__ import annotations

import base64

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
    assert_token_error,
    basic_header,
    get_code,
    obtain_tokens,
    token_request,
)

MISMATCH = (
    "The OAuth 2.0 Client supports client authentication method '{supported}', but method "
    "'{requested}' was requested. You must configure the OAuth 2.0 client's "
    "'token_endpoint_auth_method' value to accept '{requested}'."
)


# -- client authentication ---------------------------------------------------------------------


def test_demo_secrets_need_form_encoding() -> None:
    for client in (DEMO_BASIC_CLIENT, DEMO_POST_CLIENT):
        assert set("+:/% ") <= set(client.client_secret)


def test_tiki_documented_basic_header_example_is_what_the_test_helper_builds() -> None:
    header = basic_header("7590139168389961", "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew")
    assert header == "Basic NzU5MDEzOTE2ODM4OTk2MTp0ZlNsMGM2VkZ2M2ZBQl96OUYtbTIySWhFbm13cTZldw=="


@pytest.mark.parametrize("client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=lambda c: c.client_id)
def test_each_client_authenticates_with_its_registered_method(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    body = obtain_tokens(http, sandbox, client)
    assert str(body["access_token"]).startswith("ory_at_")
    assert str(body["refresh_token"]).startswith("ory_rt_")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "offline product order"
    (record,) = sandbox.token_requests
    assert record.client_id == client.client_id
    assert record.auth_method == client.token_endpoint_auth_method
    assert record.grant_type == "authorization_code"
    assert record.status_code == 200
    assert record.time.tzinfo is not None


def test_basic_header_built_by_hand_with_form_encoded_secret(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    code = get_code(http, sandbox)
    # "sandbox basic+secret:with/odd%chars", each special character form-encoded by hand.
    encoded = "sandbox+basic%2Bsecret%3Awith%2Fodd%25chars"
    raw = f"tiki-demo-basic:{encoded}".encode()
    header = "Basic " + base64.b64encode(raw).decode()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": APP_CALLBACK}
    response = http.post(sandbox.token_endpoint, data=data, headers={"Authorization": header})
    assert response.status_code == 200, response.text


def test_basic_scheme_name_is_case_insensitive(sandbox: SandboxServer, http: httpx.Client) -> None:
    code = get_code(http, sandbox)
    header = basic_header(DEMO_BASIC_CLIENT.client_id, DEMO_BASIC_CLIENT.client_secret)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": APP_CALLBACK}
    response = http.post(
        sandbox.token_endpoint, data=data, headers={"Authorization": "basic" + header[5:]}
    )
    assert response.status_code == 200, response.text


def test_basic_header_without_form_encoding_is_refused(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    header = basic_header("tiki-demo-basic", "sandbox basic+secret", form_encode=False)
    data = {"grant_type": "client_credentials"}
    response = http.post(sandbox.token_endpoint, data=data, headers={"Authorization": header})
    # "+" decodes to a space, so the secret does not match: a bare invalid_client.
    body = assert_token_error(response, 401, "invalid_client")
    assert "error_hint" not in body
    raw_percent = basic_header(
        "tiki-demo-basic", DEMO_BASIC_CLIENT.client_secret, form_encode=False
    )
    response = http.post(sandbox.token_endpoint, data=data, headers={"Authorization": raw_percent})
    body = assert_token_error(response, 400, "invalid_request")
    assert "could not be decoded from 'application/x-www-form-urlencoded'" in str(
        body["error_hint"]
    )


def test_basic_client_sending_its_secret_in_the_body_gets_the_method_hint(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    data = {
        "grant_type": "client_credentials",
        "client_id": DEMO_BASIC_CLIENT.client_id,
        "client_secret": DEMO_BASIC_CLIENT.client_secret,
    }
    body = assert_token_error(http.post(sandbox.token_endpoint, data=data), 401, "invalid_client")
    hint = MISMATCH.format(supported="client_secret_basic", requested="client_secret_post")
    assert body["error_hint"] == hint
    assert sandbox.token_requests[-1].auth_method == "client_secret_post"
    assert sandbox.token_requests[-1].status_code == 401


def test_post_client_sending_a_basic_header_gets_the_method_hint(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    header = basic_header(DEMO_POST_CLIENT.client_id, DEMO_POST_CLIENT.client_secret)
    data = {"grant_type": "client_credentials"}
    response = http.post(sandbox.token_endpoint, data=data, headers={"Authorization": header})
    body = assert_token_error(response, 401, "invalid_client")
    hint = MISMATCH.format(supported="client_secret_post", requested="client_secret_basic")
    assert body["error_hint"] == hint
    assert sandbox.token_requests[-1].auth_method == "client_secret_basic"


def test_basic_header_and_body_secret_together_is_invalid_client(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    header = basic_header(DEMO_BASIC_CLIENT.client_id, DEMO_BASIC_CLIENT.client_secret)
    data = {"grant_type": "client_credentials", "client_secret": DEMO_BASIC_CLIENT.client_secret}
    response = http.post(sandbox.token_endpoint, data=data, headers={"Authorization": header})
    assert_token_error(response, 401, "invalid_client")


def test_client_id_only_for_a_post_client_is_method_none(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    data = {"grant_type": "client_credentials", "client_id": DEMO_POST_CLIENT.client_id}
    body = assert_token_error(http.post(sandbox.token_endpoint, data=data), 401, "invalid_client")
    assert "but method 'none' was requested" in str(body["error_hint"])


@pytest.mark.parametrize("client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=lambda c: c.client_id)
def test_wrong_secret_is_a_bare_invalid_client(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    wrong = SandboxClient(
        client_id=client.client_id,
        client_secret="not the secret",
        token_endpoint_auth_method=client.token_endpoint_auth_method,
        redirect_uris=client.redirect_uris,
        scope=client.scope,
        grant_types=client.grant_types,
    )
    response = token_request(http, sandbox, wrong, {"grant_type": "client_credentials"})
    body = assert_token_error(response, 401, "invalid_client")
    assert "error_hint" not in body
    assert str(body["error_description"]).startswith("Client authentication failed")


def test_unknown_client_is_a_bare_invalid_client(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    header = basic_header("nobody", "whatever")
    data = {"grant_type": "client_credentials"}
    response = http.post(sandbox.token_endpoint, data=data, headers={"Authorization": header})
    body = assert_token_error(response, 401, "invalid_client")
    assert "error_hint" not in body
    assert sandbox.token_requests[-1].client_id == "nobody"


def test_no_credentials_at_all_is_invalid_request(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    response = http.post(sandbox.token_endpoint, data={"grant_type": "client_credentials"})
    body = assert_token_error(response, 400, "invalid_request")
    assert "Client credentials missing" in str(body["error_hint"])


# -- request format ----------------------------------------------------------------------------


_FORM = "application/x-www-form-urlencoded"


def _post_bytes(
    sandbox: SandboxServer, http: httpx.Client, body: bytes, content_type: str
) -> httpx.Response:
    """A token request of DEMO_BASIC_CLIENT (Basic header) with ``body`` as it is on the wire."""
    header = basic_header(DEMO_BASIC_CLIENT.client_id, DEMO_BASIC_CLIENT.client_secret)
    return http.post(
        sandbox.token_endpoint,
        content=body,
        headers={"Authorization": header, "Content-Type": content_type},
    )


def test_json_body_is_rejected(sandbox: SandboxServer, http: httpx.Client) -> None:
    header = basic_header(DEMO_BASIC_CLIENT.client_id, DEMO_BASIC_CLIENT.client_secret)
    response = http.post(
        sandbox.token_endpoint,
        json={"grant_type": "client_credentials"},
        headers={"Authorization": header},
    )
    body = assert_token_error(response, 400, "invalid_request")
    assert "application/x-www-form-urlencoded" in str(body["error_hint"])
    assert sandbox.token_requests[-1].status_code == 400


def test_form_content_type_with_charset_is_accepted(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    response = _post_bytes(
        sandbox, http, b"grant_type=client_credentials", _FORM + "; charset=UTF-8"
    )
    assert response.status_code == 200, response.text


def test_a_repeated_parameter_is_invalid_request(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    response = _post_bytes(
        sandbox, http, b"grant_type=client_credentials&scope=product&scope=order", _FORM
    )
    body = assert_token_error(response, 400, "invalid_request")
    assert "'scope' was sent more than once" in str(body["error_hint"])


def test_get_is_not_allowed(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.get(sandbox.token_endpoint)
    assert_token_error(response, 405, "invalid_request")
    assert response.headers["allow"] == "POST"
    # Not a token request (tiki-gui's reachability check is such a GET): only in ``requests``.
    assert sandbox.token_requests == []
    assert ("GET", "/sc/oauth2/token") in [(r.method, r.path) for r in sandbox.requests]


def test_missing_and_unknown_grant_type(sandbox: SandboxServer, http: httpx.Client) -> None:
    missing = token_request(http, sandbox, DEMO_POST_CLIENT, {})
    assert "'grant_type' is missing" in str(
        assert_token_error(missing, 400, "invalid_request")["error_hint"]
    )
    unknown = token_request(http, sandbox, DEMO_POST_CLIENT, {"grant_type": "password"})
    assert_token_error(unknown, 400, "unsupported_grant_type")
