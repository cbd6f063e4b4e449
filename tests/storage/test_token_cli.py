"""``tiki-gui token`` / ``tiki-gui profiles`` in subprocesses, reading what the tests stored."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from child_processes import ROOT, run_python

from storage.conftest import SecretService
from storage.flows import (
    closed_port_url,
    new_client,
    obtain_token,
    refresh_grants,
    revoke_by_reuse,
    saved_profile,
)
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxClient, SandboxServer, seller_for
from tiki_gui.storage import ProfileStore, SecretStore, TokenStatus, TokenVault
from tiki_gui.token_cli import ExitCode, main


@pytest.fixture
def client() -> SandboxClient:
    return new_client("cli-app", "client_secret_post")


@pytest.fixture
def server(client: SandboxClient) -> Iterator[SandboxServer]:
    with SandboxServer(clients=[client]) as running:
        yield running


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_python("-m", "tiki_gui.token_cli", *args, env=env)


def _seller_id(username: str) -> int:
    value = seller_for(username)["id"]
    assert isinstance(value, int)
    return value


def _expired(token: TokenSet, *, left: timedelta = -timedelta(minutes=5)) -> TokenSet:
    """The same tokens, with an expiry moved (the server still accepts the refresh token)."""
    return dataclasses.replace(token, expires_at=datetime.now(UTC) + left)


def _store(
    server: SandboxServer, client: SandboxClient, *users: str, profile: str = "Shop"
) -> dict[str, TokenSet]:
    vault = TokenVault(saved_profile(profile, server, client))
    tokens = {}
    for user in users:
        tokens[user] = obtain_token(server, client, user)
        vault.store(profile, _seller_id(user), user, tokens[user])
    return tokens


def _one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_prints_the_stored_token_without_qt_or_httpx(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient
) -> None:
    tokens = _store(server, client, "seller-a")
    requests_before = len(server.token_requests)

    result = run_python(
        "-X", "importtime", "-m", "tiki_gui.token_cli", "token", "--profile", "Shop"
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == tokens["seller-a"].access_token + "\n"
    imported = {
        match.group(1).strip()
        for match in re.finditer(r"^import time:.*\|\s*([\w.]+)\s*$", result.stderr, re.M)
    }
    assert {"tiki_gui.storage.vault", "keyring", "secretstorage"} <= imported
    assert "keyring" in imported
    assert not {name for name in imported if name.split(".")[0] in ("PySide6", "shiboken6")}
    assert "httpx" not in imported
    assert len(server.token_requests) == requests_before


def test_json_output_has_the_token_set_and_no_client_secret(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient
) -> None:
    tokens = _store(server, client, "seller-a")

    result = _cli("token", "--profile", "Shop", "--seller", "seller-a", "--json")

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    token = tokens["seller-a"]
    assert data["access_token"] == token.access_token
    assert data["refresh_token"] == token.refresh_token
    assert data["token_type"] == "bearer"
    assert data["scope"] == "offline product order"
    assert token.expires_at is not None
    assert datetime.fromisoformat(data["expires_at"]) == token.expires_at.replace(
        microsecond=0
    ) or (abs(datetime.fromisoformat(data["expires_at"]) - token.expires_at) < timedelta(seconds=1))
    assert data["seller"] == {"id": _seller_id("seller-a"), "name": "seller-a"}
    assert client.client_secret not in result.stdout
    assert "client_secret" not in result.stdout


@pytest.mark.parametrize("left", [-timedelta(minutes=5), timedelta(seconds=30)], ids=str)
def test_refreshes_an_expiring_token_and_stores_the_rotated_pair(
    secret_service: SecretService,
    server: SandboxServer,
    client: SandboxClient,
    left: timedelta,
) -> None:
    tokens = _store(server, client, "seller-a")
    old = tokens["seller-a"]
    TokenVault(ProfileStore()).store(
        "Shop", _seller_id("seller-a"), "seller-a", _expired(old, left=left)
    )

    result = _cli("token", "--profile", "Shop", "--json")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    printed = json.loads(result.stdout)
    assert refresh_grants(server) == 1
    assert printed["access_token"] != old.access_token
    assert printed["refresh_token"] != old.refresh_token
    stored = TokenVault(ProfileStore()).get("Shop", _seller_id("seller-a"))
    assert stored.token.access_token == printed["access_token"]
    assert stored.token.refresh_token == printed["refresh_token"]
    assert stored.last_refresh is not None
    assert stored.status() is TokenStatus.VALID


def test_two_concurrent_calls_refresh_once(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient
) -> None:
    tokens = _store(server, client, "seller-a")
    seller_id = _seller_id("seller-a")
    TokenVault(ProfileStore()).store("Shop", seller_id, "seller-a", _expired(tokens["seller-a"]))
    command = [sys.executable, "-m", "tiki_gui.token_cli", "token", "--profile", "Shop"]

    # Hold the seller's refresh lock while both start, so that both find the token expired and
    # queue on the lock; then let them race.
    with SecretStore().token_lock("Shop", seller_id):
        processes = [
            subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        time.sleep(2.0)
        assert refresh_grants(server) == 0
    outputs = [process.communicate(timeout=120) for process in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    printed = {out for out, _ in outputs}
    assert len(printed) == 1
    assert refresh_grants(server) == 1
    assert printed == {TokenVault(ProfileStore()).get("Shop", seller_id).token.access_token + "\n"}
    assert tokens["seller-a"].access_token + "\n" not in printed


def test_exit_codes_and_one_line_messages(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient, http: httpx.Client
) -> None:
    secrets_used: list[str] = [client.client_secret]
    saved_profile("Empty", server, client)
    tokens = _store(server, client, "seller-a", "seller-b")
    secrets_used += [t.access_token for t in tokens.values()]

    cases: list[tuple[tuple[str, ...], ExitCode, str]] = [
        (("token", "--profile", "Nope"), ExitCode.UNKNOWN_PROFILE, "no profile named 'Nope'"),
        (("token", "--profile", "Empty"), ExitCode.NO_TOKEN, "No token is stored yet"),
        (("token", "--profile", "Shop"), ExitCode.SELLER_AMBIGUOUS, "--seller"),
        (("token", "--profile", "Shop", "--seller", "zed"), ExitCode.NO_TOKEN, "'zed'"),
    ]
    for args, code, message in cases:
        result = _cli(*args)
        assert result.returncode == code, (args, result.stderr)
        line = _one_line(result.stderr)
        assert line.startswith("tiki-gui token: ")
        assert message in line
        assert result.stdout == ""
        for secret in secrets_used:
            assert secret not in line

    # refresh refused: the refresh token was revoked (reused elsewhere), the token expired.
    b_id = _seller_id("seller-b")
    revoke_by_reuse(server, client, tokens["seller-b"], http)
    TokenVault(ProfileStore()).store("Shop", b_id, "seller-b", _expired(tokens["seller-b"]))
    refused = _cli("token", "--profile", "Shop", "--seller", str(b_id))
    assert refused.returncode == ExitCode.REFRESH_REFUSED, refused.stderr
    assert "invalid_grant" in _one_line(refused.stderr)
    assert (
        TokenVault(ProfileStore()).get("Shop", b_id).status() is TokenStatus.NEEDS_REAUTHORIZATION
    )
    again = _cli("token", "--profile", "Shop", "--seller", "seller-b")
    assert again.returncode == ExitCode.REFRESH_REFUSED
    assert "authorize again" in _one_line(again.stderr)

    # network failure: the token endpoint does not answer; nothing stored changes.
    store = ProfileStore()
    store.save(dataclasses.replace(store.get("Shop"), token_endpoint=closed_port_url() + "/token"))
    a_id = _seller_id("seller-a")
    TokenVault(store).store("Shop", a_id, "seller-a", _expired(tokens["seller-a"]))
    before = TokenVault(ProfileStore()).get("Shop", a_id)
    offline = _cli("token", "--profile", "Shop", "--seller", "seller-a")
    assert offline.returncode == ExitCode.NETWORK, offline.stderr
    assert "network failure" in _one_line(offline.stderr)
    assert offline.stdout == ""
    assert TokenVault(ProfileStore()).get("Shop", a_id) == before

    # keyring unavailable: keyring's own "fail" backend, chosen through its environment variable.
    no_keyring = _cli(
        "token",
        "--profile",
        "Shop",
        env=secret_service.subprocess_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"),
    )
    assert no_keyring.returncode == ExitCode.KEYRING_UNAVAILABLE, no_keyring.stderr
    assert "keyring" in _one_line(no_keyring.stderr)


def test_help_and_usage() -> None:
    helped = _cli("token", "--help")
    assert helped.returncode == 0
    assert "--profile NAME" in helped.stdout
    assert "exit status" in helped.stdout
    for code in ExitCode:
        if code:
            assert f"{code.value:>2}  " in helped.stdout
    missing = _cli("token")
    assert missing.returncode == ExitCode.USAGE
    assert "--profile" in missing.stderr


def test_profiles_lists_profiles_and_sellers_without_secrets(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient
) -> None:
    tokens = _store(server, client, "seller-a", "seller-b")
    saved_profile("Second", server, client)

    listed = _cli("profiles")
    as_json = _cli("profiles", "--json")

    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].startswith("Shop  (client cli-app")
    assert f"{_seller_id('seller-a')}  seller-a  valid" in listed.stdout
    assert "Second" in listed.stdout
    assert "(no token yet)" in listed.stdout
    data = json.loads(as_json.stdout)
    assert [p["name"] for p in data] == ["Shop", "Second"]
    assert [s["name"] for s in data[0]["sellers"]] == ["seller-a", "seller-b"]
    for output in (listed.stdout, as_json.stdout):
        assert client.client_secret not in output
        for token in tokens.values():
            assert token.access_token not in output
            assert token.refresh_token is not None
            assert token.refresh_token not in output

    no_keyring = _cli(
        "profiles",
        env=secret_service.subprocess_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"),
    )
    assert no_keyring.returncode == ExitCode.KEYRING_UNAVAILABLE
    assert "Shop" in no_keyring.stdout
    assert "keyring" in _one_line(no_keyring.stderr)


def test_main_in_process(
    secret_service: SecretService, server: SandboxServer, client: SandboxClient
) -> None:
    tokens = _store(server, client, "seller-a")
    out, err = io.StringIO(), io.StringIO()
    assert main(["token", "--profile", "Shop", "--seller", "seller-a"], out=out, err=err) == 0
    assert out.getvalue() == tokens["seller-a"].access_token + "\n"
    assert err.getvalue() == ""
    out, err = io.StringIO(), io.StringIO()
    assert main(["token", "--profile", "Missing"], out=out, err=err) == ExitCode.UNKNOWN_PROFILE
    assert err.getvalue().count("\n") == 1
