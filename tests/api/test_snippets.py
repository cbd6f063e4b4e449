""" "Copy as" snippets: run for real against the sandbox, and compared on the wire with the app.

The curl snippets run in ``sh`` with the real ``curl`` binary, the Python snippets with this
interpreter (httpx is installed), the Node snippets with ``node`` and the PHP snippets with
``php`` (its curl extension); secrets come from environment variables, as the snippets tell the
integrator to set them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote_plus

import httpx
import pytest
from scripted_server import Reply, ScriptedServer

from tiki_gui.api.console import ApiRequest, send_api_request
from tiki_gui.api.presets import PRESETS, preset_by_key
from tiki_gui.api.snippet_code import render
from tiki_gui.api.snippets import (
    ENV_ACCESS_TOKEN,
    ENV_AUTH_CODE,
    ENV_CLIENT_SECRET,
    ENV_CODE_VERIFIER,
    ENV_REFRESH_TOKEN,
    HttpCall,
    SnippetLanguage,
    api_call,
    refresh_call,
    token_exchange_call,
)
from tiki_gui.core.client_auth import ClientCredentials
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer

from .conftest import (
    CALLBACK,
    TokenMaker,
    credentials_of,
    fresh_code,
    waiting_order_and_warehouse,
)

RUNNABLE = tuple(SnippetLanguage)
BOTH_CLIENTS = pytest.mark.parametrize(
    "client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=["basic", "post"]
)


def run(snippet: str, language: SnippetLanguage, env: dict[str, str]) -> str:
    """Run a snippet as an integrator would; its standard output. Fails on a non-zero exit."""
    environment = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **env}
    if language is SnippetLanguage.CURL:
        command = ["sh", "-c", snippet]
    elif language is SnippetLanguage.PYTHON:
        command = [sys.executable, "-c", snippet]
    elif language is SnippetLanguage.NODE:
        node = shutil.which("node")
        assert node, "node (Debian package nodejs) is needed to run the Node snippets"
        command = [node, "-e", snippet]
    else:
        php = shutil.which("php")
        assert php, "php (Debian packages php-cli, php-curl) is needed to run the PHP snippets"
        command = [php, "-d", "display_errors=stderr", "/dev/stdin"]
    done = subprocess.run(
        command,
        env=environment,
        input=snippet.encode("utf-8") if language is SnippetLanguage.PHP else None,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8")


def body_of(output: str, language: SnippetLanguage) -> tuple[int | None, object]:
    """(status, JSON body) from a snippet's output: curl prints the body only."""
    if language is SnippetLanguage.CURL:
        return None, json.loads(output)
    status, _, body = output.partition("\n")
    return int(status), json.loads(body)


# -- seller API calls --------------------------------------------------------------------------


@pytest.mark.parametrize("language", RUNNABLE)
@pytest.mark.parametrize("key", [p.key for p in PRESETS if p.read_only])
def test_api_snippets_run_and_get_what_the_app_gets(
    sandbox: SandboxServer,
    http: httpx.Client,
    new_token: TokenMaker,
    key: str,
    language: SnippetLanguage,
) -> None:
    token = new_token().access_token
    params = {"include": "inventory", "limit": "3"} if key == "products" else {}
    request = ApiRequest.from_preset(preset_by_key(key), params)
    call = api_call(sandbox.api_base, request, token)
    snippet = render(call, language)
    assert token not in snippet
    assert ENV_ACCESS_TOKEN in snippet
    status, body = body_of(run(snippet, language, {ENV_ACCESS_TOKEN: token}), language)
    assert status in (None, 200)
    assert body == send_api_request(http, sandbox.api_base, request, token).json_body


@pytest.mark.parametrize("language", RUNNABLE)
def test_api_snippet_with_the_token_included_needs_no_environment(
    sandbox: SandboxServer, new_token: TokenMaker, language: SnippetLanguage
) -> None:
    token = new_token().access_token
    call = api_call(sandbox.api_base, ApiRequest(), token)
    snippet = render(call, language, include_secrets=True)
    assert token in snippet
    assert "live secrets" in snippet
    _, body = body_of(run(snippet, language, {}), language)
    assert isinstance(body, dict)
    assert body["name"] == "seller-a"


# -- token requests ----------------------------------------------------------------------------


def _token_of(output: str, language: SnippetLanguage) -> dict[str, object]:
    status, body = body_of(output, language)
    assert status in (None, 200), body
    assert isinstance(body, dict)
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str)
    return body


@pytest.mark.parametrize("language", RUNNABLE)
@pytest.mark.parametrize("use_pkce", [False, True], ids=["plain", "pkce"])
@BOTH_CLIENTS
def test_exchange_snippets_run_against_the_sandbox(
    sandbox: SandboxServer,
    http: httpx.Client,
    client: SandboxClient,
    use_pkce: bool,
    language: SnippetLanguage,
) -> None:
    request, response = fresh_code(sandbox, client, use_pkce=use_pkce)
    code = response.code
    assert code is not None
    call = token_exchange_call(
        sandbox.token_endpoint,
        credentials_of(client),
        redirect_uri=CALLBACK,
        code=code,
        code_verifier=request.pkce.verifier if request.pkce else None,
    )
    snippet = render(call, language)
    assert client.client_secret not in snippet
    assert code not in snippet
    assert client.client_secret not in repr(call)
    assert code not in repr(call)
    env = {ENV_CLIENT_SECRET: client.client_secret, ENV_AUTH_CODE: code}
    if request.pkce is not None:
        assert request.pkce.verifier not in snippet
        env[ENV_CODE_VERIFIER] = request.pkce.verifier
    body = _token_of(run(snippet, language, env), language)
    seller = http.get(
        sandbox.sellers_me_url, headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert seller.json()["name"] == "seller-a"
    assert sandbox.token_requests[-1].auth_method == client.token_endpoint_auth_method


@pytest.mark.parametrize("language", RUNNABLE)
@BOTH_CLIENTS
def test_refresh_snippets_run_against_the_sandbox(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient, language: SnippetLanguage
) -> None:
    request, response = fresh_code(sandbox, client)
    tokens = TokenClient(sandbox.token_endpoint, credentials_of(client), http).exchange_code(
        response, request
    )
    assert tokens.refresh_token is not None
    call = refresh_call(sandbox.token_endpoint, credentials_of(client), tokens.refresh_token)
    for include in (False, True):
        snippet = render(call, language, include_secrets=include)
        assert (tokens.refresh_token in snippet) is include
        forms = (client.client_secret, quote_plus(client.client_secret))
        assert any(form in snippet for form in forms) is include
    env = {ENV_CLIENT_SECRET: client.client_secret, ENV_REFRESH_TOKEN: tokens.refresh_token}
    body = _token_of(run(render(call, language), language, env), language)
    assert body["refresh_token"] != tokens.refresh_token


# -- exactly what the app sends ----------------------------------------------------------------


def _wire(call: HttpCall, language: SnippetLanguage, env: dict[str, str]) -> tuple[str, object]:
    """Run ``call`` against a scripted server: its Authorization header and decoded form."""
    answer = Reply(200, b'{"access_token": "x", "token_type": "bearer"}')
    with ScriptedServer(answer) as server:
        moved = HttpCall(
            call.title,
            call.method,
            server.url("/sc/oauth2/token"),
            call.headers,
            call.form,
            call.basic,
        )
        run(render(moved, language), language, env)
        (recorded,) = server.recorded
    form = parse_qsl(recorded.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    assert recorded.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert recorded.headers["accept"] == "application/json"
    return recorded.headers.get("authorization", ""), form


@pytest.mark.parametrize("language", RUNNABLE)
@BOTH_CLIENTS
def test_snippets_send_what_the_app_sends(
    http: httpx.Client, client: SandboxClient, language: SnippetLanguage
) -> None:
    credentials = credentials_of(client)
    token = TokenSet(
        "old-access",
        "bearer",
        obtained_at=datetime.now(UTC),
        expires_at=None,
        refresh_token="old+refresh/token",
    )
    answer = Reply(200, b'{"access_token": "x", "token_type": "bearer", "expires_in": 60}')
    with ScriptedServer(answer) as server:
        TokenClient(server.url("/sc/oauth2/token"), credentials, http).refresh(token)
        (app,) = server.recorded
    app_form = parse_qsl(app.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    call = refresh_call("http://127.0.0.1:1/x", credentials, token.refresh_token)
    env = {ENV_CLIENT_SECRET: client.client_secret, ENV_REFRESH_TOKEN: "old+refresh/token"}
    authorization, form = _wire(call, language, env)
    assert authorization == app.headers.get("authorization", "")
    assert form == app_form


TIKI_EXAMPLE_ID = "7590139168389961"
TIKI_EXAMPLE_SECRET = "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew"
TIKI_EXAMPLE_BASIC = "Basic NzU5MDEzOTE2ODM4OTk2MTp0ZlNsMGM2VkZ2M2ZBQl96OUYtbTIySWhFbm13cTZldw=="


@pytest.mark.parametrize("language", RUNNABLE)
def test_a_secret_like_tikis_gives_the_header_of_tikis_documentation(
    language: SnippetLanguage,
) -> None:
    """Tiki's OAuth page shows this id, secret and Basic header; a URL-safe secret needs no
    encoding, so the curl snippet uses ``--user`` with the variable directly."""
    credentials = ClientCredentials(TIKI_EXAMPLE_ID, TIKI_EXAMPLE_SECRET)
    call = refresh_call("http://127.0.0.1:1/x", credentials, "a-refresh-token")
    if language is SnippetLanguage.CURL:
        snippet = render(call, language)
        assert f'--user {TIKI_EXAMPLE_ID}:"${{{ENV_CLIENT_SECRET}}}"' in snippet
        assert "python3" not in snippet
    env = {ENV_CLIENT_SECRET: TIKI_EXAMPLE_SECRET, ENV_REFRESH_TOKEN: "a-refresh-token"}
    authorization, form = _wire(call, language, env)
    assert authorization == TIKI_EXAMPLE_BASIC
    assert form == [
        ("grant_type", "refresh_token"),
        ("refresh_token", "a-refresh-token"),
        ("client_id", TIKI_EXAMPLE_ID),
    ]


def test_a_url_safe_secret_exchanges_with_curl_against_the_sandbox() -> None:
    client = SandboxClient(
        client_id=TIKI_EXAMPLE_ID,
        client_secret=TIKI_EXAMPLE_SECRET,
        token_endpoint_auth_method="client_secret_basic",
        redirect_uris=(CALLBACK,),
        scope="offline product order",
        grant_types=("authorization_code", "refresh_token"),
    )
    with SandboxServer(clients=[client]) as server:
        _, response = fresh_code(server, client)
        assert response.code is not None
        call = token_exchange_call(
            server.token_endpoint,
            ClientCredentials(client.client_id, client.client_secret),
            redirect_uri=CALLBACK,
            code=response.code,
        )
        env = {ENV_CLIENT_SECRET: TIKI_EXAMPLE_SECRET, ENV_AUTH_CODE: response.code}
        output = run(render(call, SnippetLanguage.CURL), SnippetLanguage.CURL, env)
        assert _token_of(output, SnippetLanguage.CURL)["refresh_token"]


# -- a write with a JSON body ------------------------------------------------------------------

_AWKWARD_NOTE = "Kho Hà Nội \u2018A\u2019 \"quoted\" $HOME `id` \\ 'single' %s\n second line"


@pytest.mark.parametrize("language", RUNNABLE)
def test_a_write_snippet_sends_the_json_body_as_the_app_does(
    sandbox: SandboxServer, http: httpx.Client, new_token: TokenMaker, language: SnippetLanguage
) -> None:
    """The body reaches the server byte for byte: quoting survives quotes, $, backticks, \\n."""
    token = new_token(scope="order", username=f"writer-{language.value}").access_token
    code, inventory = waiting_order_and_warehouse(http, sandbox, token)
    body = json.dumps(
        {
            "confirmation_status": "seller_confirmed",
            "seller_inventory_id": inventory,
            "note": _AWKWARD_NOTE,
        },
        indent=2,
        ensure_ascii=False,
    )
    request = ApiRequest(
        "POST", f"/integration/v2/orders/{code}/dropship/confirm-available", body=body
    )
    snippet = render(api_call(sandbox.api_base, request, token), language)
    assert "application/json" in snippet
    status, answer = body_of(run(snippet, language, {ENV_ACCESS_TOKEN: token}), language)
    assert status in (None, 200), answer
    assert isinstance(answer, dict)
    assert answer["items"][0]["confirmation"]["status"] == "seller_confirmed"
    seen = [r for r in sandbox.requests if r.path.endswith("/confirm-available")]
    assert seen, "the snippet's request did not reach the sandbox"


@pytest.mark.parametrize("language", RUNNABLE)
def test_a_write_snippets_body_is_the_apps_byte_for_byte(
    http: httpx.Client, language: SnippetLanguage
) -> None:
    body = json.dumps({"note": _AWKWARD_NOTE, "n": [1, 2.5, None]}, indent=2, ensure_ascii=False)
    request = ApiRequest("POST", "/integration/v2/anything", body=body)
    with ScriptedServer(repeat=Reply(200, b'{"ok": true}')) as server:
        send_api_request(http, server.base_url, request, "tok", allow_write=True)
        run(
            render(api_call(server.base_url, request, "tok"), language),
            language,
            {ENV_ACCESS_TOKEN: "tok"},
        )
        app, snippet = list(server.recorded)
        assert snippet.method == app.method == "POST"
        assert snippet.body == app.body == body.encode("utf-8")
        assert snippet.headers["content-type"] == app.headers["content-type"] == "application/json"
