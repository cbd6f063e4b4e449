"""Client objects: the demo pair, Hydra-style JSON files, redirect URI matching."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tiki_gui.sandbox import (
    DEMO_BASIC_CLIENT,
    DEMO_POST_CLIENT,
    ClientConfigError,
    SandboxClient,
    SandboxServer,
    load_clients,
)
from tiki_gui.sandbox.clients import redirect_uri_registered

from .wire import obtain_tokens, token_request

GOOD = {
    "client_id": "file-client",
    "client_secret": "file secret+1",
    "token_endpoint_auth_method": "client_secret_post",
    "redirect_uris": ["https://example.com/tiki/callback"],
    "scope": "offline product",
    "grant_types": ["authorization_code", "refresh_token"],
    "client_name": "ignored by the sandbox",
}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "clients.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_demo_clients_match_the_contract() -> None:
    assert DEMO_BASIC_CLIENT.client_id == "tiki-demo-basic"
    assert DEMO_BASIC_CLIENT.token_endpoint_auth_method == "client_secret_basic"
    assert DEMO_POST_CLIENT.client_id == "tiki-demo-post"
    assert DEMO_POST_CLIENT.token_endpoint_auth_method == "client_secret_post"
    for client in (DEMO_BASIC_CLIENT, DEMO_POST_CLIENT):
        assert client.redirect_uris == (
            "https://example.com/tiki/callback",
            "http://127.0.0.1/callback",
        )
        assert client.scope == "offline offline_access product order inventory multichannel all"
        assert set(client.grant_types) == {
            "authorization_code",
            "refresh_token",
            "client_credentials",
        }


def test_repr_never_shows_the_secret() -> None:
    assert DEMO_BASIC_CLIENT.client_secret not in repr(DEMO_BASIC_CLIENT)
    assert "tiki-demo-basic" in repr(DEMO_BASIC_CLIENT)


def test_load_clients_reads_a_hydra_style_list(tmp_path: Path) -> None:
    (client,) = load_clients(_write(tmp_path, [GOOD]))
    assert client.client_id == "file-client"
    assert client.client_secret == "file secret+1"
    assert client.token_endpoint_auth_method == "client_secret_post"
    assert client.redirect_uris == ("https://example.com/tiki/callback",)
    assert client.scopes == ("offline", "product")
    assert client.grant_types == ("authorization_code", "refresh_token")


def test_missing_optional_keys_take_hydras_defaults() -> None:
    client = SandboxClient.from_json(
        {"client_id": "c", "client_secret": "s", "redirect_uris": ["https://a.example/cb"]}
    )
    assert client.token_endpoint_auth_method == "client_secret_basic"
    assert client.grant_types == ("authorization_code",)
    assert client.scopes == ("offline_access", "offline", "openid")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"a": 1}, "non-empty JSON list"),
        ([], "non-empty JSON list"),
        (["x"], "client #1: must be a JSON object"),
        ([{**GOOD, "client_id": ""}], "'client_id' must be a non-empty string"),
        ([{k: v for k, v in GOOD.items() if k != "client_secret"}], "'client_secret' is required"),
        ([{**GOOD, "token_endpoint_auth_method": "none"}], "token_endpoint_auth_method"),
        ([{**GOOD, "token_endpoint_auth_method": 3}], "must be a string, not int"),
        ([{**GOOD, "redirect_uris": "https://a.example/cb"}], "'redirect_uris' must be a list"),
        ([{**GOOD, "redirect_uris": []}], "at least one URL"),
        ([{**GOOD, "redirect_uris": ["/relative"]}], "must be an absolute URL"),
        ([{**GOOD, "grant_types": ["implicit"]}], "grant type 'implicit' is not supported"),
        ([GOOD, {**GOOD}], "client #2 ('file-client'): client_id is used twice"),
    ],
)
def test_bad_client_files_say_what_is_wrong(tmp_path: Path, data: object, message: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ClientConfigError, match=r"clients\.json") as info:
        load_clients(path)
    assert message in str(info.value)


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "clients.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(ClientConfigError, match="not valid JSON"):
        load_clients(path)
    with pytest.raises(ClientConfigError, match="cannot read"):
        load_clients(tmp_path / "absent.json")


def test_server_serves_clients_loaded_from_a_file(tmp_path: Path, http: httpx.Client) -> None:
    clients = load_clients(_write(tmp_path, [GOOD]))
    with SandboxServer(clients=clients) as server:
        assert server.clients == clients
        body = obtain_tokens(http, server, clients[0], scope="offline product")
        assert "refresh_token" in body
        unknown_demo = token_request(
            http, server, DEMO_POST_CLIENT, {"grant_type": "client_credentials"}
        )
        assert unknown_demo.status_code == 401


def test_server_refuses_duplicate_client_ids() -> None:
    with pytest.raises(ValueError, match="share a client_id"):
        SandboxServer(clients=[DEMO_BASIC_CLIENT, DEMO_BASIC_CLIENT])


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("https://example.com/tiki/callback", True),
        ("http://127.0.0.1/callback", True),
        ("http://127.0.0.1:9999/callback", True),
        ("http://127.0.0.1:9999/callback?x=1", False),
        ("http://127.0.0.1:9999/callback#frag", False),
        ("http://127.0.0.1:notaport/callback", False),
        ("http://user@127.0.0.1:9999/callback", False),
        ("https://127.0.0.1:9999/callback", False),
        ("http://localhost:9999/callback", False),
        ("https://example.com:444/tiki/callback", False),
        ("https://example.com/tiki/callback/", False),
    ],
)
def test_redirect_uri_matching_rule(uri: str, expected: bool) -> None:
    assert redirect_uri_registered(DEMO_BASIC_CLIENT, uri) is expected
