"""No secret or token ever lands in a file: every file under the isolated dirs is scanned."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest

from storage.conftest import ROOT, SecretService
from storage.flows import credentials, new_client, obtain_token, saved_profile
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage import Grant, ProfileStore, SellerRecord, TokenVault


@pytest.fixture
def debug_log(secret_service: SecretService) -> Iterator[Path]:
    """Everything logged (DEBUG and up, every logger) goes to a file in the isolated home."""
    path = secret_service.dirs.home / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
        handler.close()


def _variants(secret: str) -> set[bytes]:
    forms = {secret, quote_plus(secret), quote(secret, safe="")}
    return {form.encode("utf-8") for form in forms}


def _leaks(files: list[Path], root: Path, secrets: set[str]) -> list[tuple[str, str]]:
    """(file, secret prefix) for every file holding a secret, raw or URL-encoded."""
    return [
        (str(path.relative_to(root)), secret[:6] + "…")
        for path in files
        for secret in secrets
        if any(form in path.read_bytes() for form in _variants(secret))
    ]


def test_the_scan_finds_a_planted_secret(tmp_path: Path) -> None:
    planted = tmp_path / "planted.txt"
    planted.write_text("x=" + quote_plus("a secret+with:odd/chars") + "\n", encoding="utf-8")
    assert _leaks([planted], tmp_path, {"a secret+with:odd/chars"}) == [("planted.txt", "a secr…")]
    assert _leaks([planted], tmp_path, {"another-secret"}) == []


def test_no_secret_in_any_file_written(
    secret_service: SecretService, debug_log: Path, http: httpx.Client
) -> None:
    basic, post = new_client("scan-basic"), new_client("scan-post", "client_secret_post")
    secrets: set[str] = {basic.client_secret, post.client_secret}
    dirs = secret_service.dirs

    def remember(*items: TokenSet | SellerRecord) -> None:
        for item in items:
            token = item.token if isinstance(item, SellerRecord) else item
            secrets.add(token.access_token)
            if token.refresh_token:
                secrets.add(token.refresh_token)

    with SandboxServer(clients=[basic, post]) as server:
        # Profiles with secrets, three sellers, a client credentials profile.
        vault = TokenVault(saved_profile("Shop", server, basic))
        for user in ("seller-a", "seller-b", "seller-c"):
            token = obtain_token(server, basic, user)
            remember(token, vault.add_from_flow("Shop", token, http))
        in_house = TokenVault(
            saved_profile("In-house", server, post, grant=Grant.CLIENT_CREDENTIALS)
        )
        cc_token = TokenClient(server.token_endpoint, credentials(post), http).client_credentials()
        remember(cc_token, in_house.add_from_flow("In-house", cc_token, http))
        remember(in_house.refresh("In-house", 0, http))

        # Refresh by hand, then an expired token refreshed by the `token` command.
        records = vault.sellers("Shop")
        remember(vault.refresh("Shop", records[0].seller_id, http))
        expired = dataclasses.replace(
            records[1].token, expires_at=datetime.now(UTC) - timedelta(minutes=1)
        )
        vault.store("Shop", records[1].seller_id, records[1].seller_name, expired)
        command = ["token", "--profile", "Shop", "--seller", str(records[1].seller_id), "--json"]
        with (dirs.home / "cli-stderr.txt").open("w", encoding="utf-8") as stderr:
            result = subprocess.run(
                [sys.executable, "-m", "tiki_gui.token_cli", *command],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                cwd=ROOT,
                timeout=120,
                check=False,
            )
        assert result.returncode == 0
        remember(vault.get("Shop", records[1].seller_id))
        assert vault.get("Shop", records[1].seller_id).token.access_token in result.stdout

        # Rename, duplicate, export to a file, import it back, delete.
        store = ProfileStore()
        store.rename("Shop", "Shop renamed")
        store.duplicate("Shop renamed", "Shop copy")
        exported = dirs.home / "shop.json"
        exported.write_text(store.export_json("Shop renamed"), encoding="utf-8")
        store.import_json(exported.read_text(encoding="utf-8"), name="Shop imported")
        store.delete("Shop copy")
        remember(*TokenVault(store).sellers("Shop renamed"))

    assert len(secrets) >= 12
    files = dirs.written_files()
    names = {path.name for path in files}
    # The scan covers the settings file, the keyring's own storage, lock files, log and exports.
    assert {"profiles.json", "debug.log", "shop.json", "cli-stderr.txt"} <= names
    assert any(path.parent.name == "keyrings" for path in files), names
    assert any(path.suffix == ".lock" for path in files), names
    assert "token request" in debug_log.read_text(encoding="utf-8")  # logging did happen
    assert _leaks(files, dirs.root, secrets) == []
    assert os.stat(dirs.profiles_file).st_mode & 0o077 == 0
