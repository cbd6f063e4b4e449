"""Profiles: settings file (no secrets), create/rename/duplicate/delete, export/import, sandbox."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from storage.conftest import IsolatedDirs, SecretService
from storage.flows import new_client, obtain_token, profile_for
from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.sandbox import DEMO_POST_CLIENT, SandboxServer
from tiki_gui.storage import (
    SANDBOX_PROFILE_NAME,
    Profile,
    ProfileExistsError,
    ProfileNotFoundError,
    ProfileStore,
    ReservedProfileError,
    SecretStore,
    SettingsFileError,
    TokenVault,
    sandbox_profile,
)
from tiki_gui.storage.paths import config_dir, profiles_path, runtime_dir


def _shop(name: str = "Shop", **changes: object) -> Profile:
    fields: dict[str, object] = {
        "name": name,
        "client_id": "7590139168389961",
        "redirect_uri": "https://example.com/tiki/callback",
        "scopes": ("offline", "product", "order"),
    }
    fields.update(changes)
    return Profile(**fields)  # type: ignore[arg-type]  # test data: fields checked at runtime


def test_settings_location_follows_xdg_and_the_override(
    isolated_dirs: IsolatedDirs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert profiles_path() == isolated_dirs.config / "tiki-gui" / "profiles.json"
    assert runtime_dir() == isolated_dirs.runtime / "tiki-gui"
    monkeypatch.setenv("TIKI_GUI_CONFIG_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("TIKI_GUI_RUNTIME_DIR", str(tmp_path / "locks"))
    assert config_dir() == tmp_path / "elsewhere"
    assert runtime_dir() == tmp_path / "locks"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.delenv("TIKI_GUI_RUNTIME_DIR")
    assert runtime_dir() == isolated_dirs.cache / "tiki-gui"


def test_profile_round_trip_across_restarts(secret_service: SecretService) -> None:
    profile = _shop(
        auth_method=AuthMethod.CLIENT_SECRET_POST,
        browser_session=BrowserSession.REMEMBER,
        use_pkce=True,
        grant=Grant.AUTHORIZATION_CODE,
    )
    store = ProfileStore()
    store.save(profile)
    store.set_client_secret("Shop", "first secret+value")

    reopened = ProfileStore(secrets=SecretStore())  # a "restart": new objects, same places
    assert reopened.get("Shop") == profile
    assert reopened.get("Shop").browser_session is BrowserSession.REMEMBER
    assert reopened.client_secret("Shop") == "first secret+value"
    assert reopened.names() == ["Shop"]

    path = secret_service.dirs.profiles_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["profiles"][0]["client_id"] == "7590139168389961"
    assert "first secret+value" not in path.read_text(encoding="utf-8")


def test_profile_validation_speaks_plainly(isolated_dirs: IsolatedDirs) -> None:
    with pytest.raises(ValidationError, match="commas"):
        _shop(scopes=("offline,product",)).checked()
    with pytest.raises(ValidationError, match="https"):
        _shop(redirect_uri="http://example.com/callback").checked()
    with pytest.raises(ValidationError, match="Auth method"):
        _shop(auth_method="client_secret_jwt")
    with pytest.raises(ValidationError, match="name"):
        _shop(name="  ").checked()
    with pytest.raises(ValidationError, match="Token endpoint is required"):
        ProfileStore().save(_shop(token_endpoint=" "))  # the store keeps only usable profiles
    assert not isolated_dirs.profiles_file.exists()
    in_house = _shop(grant=Grant.CLIENT_CREDENTIALS, redirect_uri="").checked()
    assert in_house.redirect_uri == ""
    assert in_house.grant is Grant.CLIENT_CREDENTIALS


def test_a_profile_is_kept_as_typed_until_checked() -> None:
    typed = _shop(client_id=" 7590139168389961 ", scopes=("offline", "order", "offline"))
    assert typed.client_id == " 7590139168389961 "  # the form's unfinished input, as it is
    kept = typed.checked()
    assert kept.client_id == "7590139168389961"
    assert kept.scopes == ("offline", "order")
    # What only a sign-in needs does not stop the keeping (profiles saved so still load).
    loopback = _shop(sign_in=SignIn.LOOPBACK, issuer="not a url", scopes=())
    assert loopback.checked() == loopback
    assert [p.field for p in loopback.problems()] == ["redirect_uri", "scope", "issuer"]


def test_save_refuses_duplicates_and_the_sandbox_name(secret_service: SecretService) -> None:
    store = ProfileStore()
    store.save(_shop())
    with pytest.raises(ProfileExistsError):
        store.save(_shop(client_id="other"), overwrite=False)
    store.save(_shop(client_id="changed"))
    assert store.get("Shop").client_id == "changed"
    with pytest.raises(ReservedProfileError):
        store.save(_shop(name=SANDBOX_PROFILE_NAME))
    with pytest.raises(ProfileNotFoundError, match="'Nope'"):
        store.get("Nope")


def test_rename_moves_secret_and_tokens(
    secret_service: SecretService, sandbox: SandboxServer
) -> None:
    client = new_client("rename-app")
    with SandboxServer(clients=[client]) as server:
        store = ProfileStore()
        store.save(profile_for("Old", server, client))
        store.set_client_secret("Old", client.client_secret)
        vault = TokenVault(store)
        token = obtain_token(server, client, "seller-a")
        vault.store("Old", 11, "seller-a", token)

        renamed = store.rename("Old", "New")

    assert renamed.name == "New"
    fresh = ProfileStore()
    assert fresh.names() == ["New"]
    assert fresh.client_secret("New") == client.client_secret
    assert TokenVault(fresh).get("New", 11).token == token
    secrets = SecretStore()
    assert secrets.get_client_secret("Old") is None
    assert secrets.seller_ids("Old") == ()
    assert secrets.load_seller("Old", 11) is None
    fresh.save(_shop(name="Other"))
    with pytest.raises(ProfileExistsError):
        fresh.rename("Other", "New")


def test_duplicate_copies_the_secret_not_the_tokens(secret_service: SecretService) -> None:
    client = new_client("dup-app")
    with SandboxServer(clients=[client]) as server:
        store = ProfileStore()
        store.save(profile_for("A", server, client))
        store.set_client_secret("A", client.client_secret)
        TokenVault(store).store("A", 5, "seller-a", obtain_token(server, client, "seller-a"))

        copy = store.duplicate("A", "B")

    assert copy.client_id == client.client_id
    assert store.names() == ["A", "B"]
    assert store.client_secret("B") == client.client_secret
    assert TokenVault(store).sellers("B") == []
    assert [r.seller_id for r in TokenVault(store).sellers("A")] == [5]


def test_delete_removes_keyring_entries(secret_service: SecretService) -> None:
    client = new_client("del-app")
    with SandboxServer(clients=[client]) as server:
        store = ProfileStore()
        store.save(profile_for("Gone", server, client))
        store.save(profile_for("Kept", server, client))
        for name in ("Gone", "Kept"):
            store.set_client_secret(name, client.client_secret)
        vault = TokenVault(store)
        for seller_id, user in ((1, "seller-a"), (2, "seller-b")):
            vault.store("Gone", seller_id, user, obtain_token(server, client, user))
        vault.store("Kept", 3, "seller-c", obtain_token(server, client, "seller-c"))

    store.delete("Gone")

    secrets = SecretStore()
    assert store.names() == ["Kept"]
    assert secrets.get_client_secret("Gone") is None
    assert secrets.seller_ids("Gone") == ()
    assert secrets.load_seller("Gone", 1) is None
    assert secrets.load_seller("Gone", 2) is None
    # Another profile's entries are untouched.
    assert secrets.get_client_secret("Kept") == client.client_secret
    assert secrets.seller_ids("Kept") == (3,)
    # Re-creating the name does not resurrect anything.
    store.save(_shop(name="Gone"))
    assert store.client_secret("Gone") is None
    with pytest.raises(ProfileNotFoundError):
        store.delete("Nope")


def test_export_and_import_without_the_secret(secret_service: SecretService) -> None:
    store = ProfileStore()
    store.save(_shop(use_pkce=True))
    store.set_client_secret("Shop", "export-must-not-contain-this")

    text = store.export_json("Shop")

    assert "export-must-not-contain-this" not in text
    assert 'client_secret"' not in text
    document = json.loads(text)
    assert document["format"] == "tiki-gui-profile"
    assert document["profile"]["client_id"] == "7590139168389961"

    with pytest.raises(ProfileExistsError):
        store.import_json(text)
    imported = store.import_json(text, name="Shop (copy)")
    assert imported == _shop(name="Shop (copy)", use_pkce=True)
    assert store.client_secret("Shop (copy)") is None
    assert ProfileStore().get("Shop (copy)").use_pkce is True


def test_import_drops_a_secret_found_in_the_file(secret_service: SecretService) -> None:
    document = {
        "name": "Foreign",
        "client_id": "abc",
        "client_secret": "planted-secret-value",
        "redirect_uri": "https://example.com/cb",
        "scopes": "offline order",
    }
    profile = ProfileStore().import_json(json.dumps(document))
    assert profile.scopes == ("offline", "order")
    assert profile.endpoints == TIKI_PRODUCTION
    text = secret_service.dirs.profiles_file.read_text(encoding="utf-8")
    assert "Foreign" in text
    assert "planted-secret-value" not in text
    assert ProfileStore().client_secret("Foreign") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "does not describe"),
        ('{"format": "other", "profile": {}}', "does not describe"),
        ('{"format": "tiki-gui-profile", "version": 99, "profile": {}}', "newer tiki-gui"),
        ('{"name": "X", "client_id": "a", "redirect_uri": "ftp://x"}', "Redirect URI"),
    ],
)
def test_import_rejects_what_is_not_a_profile(
    isolated_dirs: IsolatedDirs, text: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ProfileStore().import_json(text)
    assert not isolated_dirs.profiles_file.exists()


def test_damaged_settings_file_is_reported_not_overwritten(isolated_dirs: IsolatedDirs) -> None:
    path = isolated_dirs.profiles_file
    path.parent.mkdir(parents=True)
    path.write_text("{ broken", encoding="utf-8")
    store = ProfileStore()
    with pytest.raises(SettingsFileError, match="not valid JSON"):
        store.list()
    with pytest.raises(SettingsFileError):
        store.save(_shop())
    assert path.read_text(encoding="utf-8") == "{ broken"


def test_sandbox_profile_is_always_there_but_never_stored(
    secret_service: SecretService, sandbox: SandboxServer
) -> None:
    profile = sandbox_profile(sandbox.base_url, DEMO_POST_CLIENT)
    assert profile.name == SANDBOX_PROFILE_NAME
    assert profile.endpoints.authorization_endpoint == sandbox.authorization_endpoint
    assert profile.endpoints.token_endpoint == sandbox.token_endpoint
    assert profile.endpoints.api_base == sandbox.api_base
    assert profile.auth_method == "client_secret_post"
    assert profile.redirect_uri == "http://127.0.0.1/callback"

    store = ProfileStore()
    store.save(_shop())
    store.attach_sandbox(profile, DEMO_POST_CLIENT.client_secret)
    assert store.names() == [SANDBOX_PROFILE_NAME, "Shop"]
    assert store.client_secret(SANDBOX_PROFILE_NAME) == DEMO_POST_CLIENT.client_secret
    for action in (
        lambda: store.rename(SANDBOX_PROFILE_NAME, "X"),
        lambda: store.delete(SANDBOX_PROFILE_NAME),
        lambda: store.set_client_secret(SANDBOX_PROFILE_NAME, "x"),
        lambda: store.duplicate("Shop", SANDBOX_PROFILE_NAME),
    ):
        with pytest.raises(ReservedProfileError):
            action()

    # A copy of the sandbox profile is an ordinary profile, with the demo secret in the keyring.
    copy = store.duplicate(SANDBOX_PROFILE_NAME, "My sandbox")
    assert copy.endpoints == profile.endpoints
    assert SecretStore().get_client_secret("My sandbox") == DEMO_POST_CLIENT.client_secret
    on_disk = secret_service.dirs.profiles_file.read_text(encoding="utf-8")
    assert '"Sandbox"' not in on_disk
    assert DEMO_POST_CLIENT.client_secret not in on_disk
    assert ProfileStore().names() == ["Shop", "My sandbox"]
