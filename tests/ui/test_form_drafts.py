"""The form's draft (issue 9): edits made while the form cannot be a profile, and edits to the
built-in Sandbox profile, come back after a crash or a restart; the secret never is written."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from keyring_service import IsolatedDirs, SecretService
from pytestqt.qtbot import QtBot

from tiki_gui.core.options import SignIn
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.storage import ProfileStore, sandbox_profile
from tiki_gui.storage.drafts import DRAFTS_FILE_NAME, DraftFields
from tiki_gui.storage.paths import config_dir
from tiki_gui.storage.profiles import Profile
from tiki_gui.ui.profiles.controller import SAVE_DELAY_MS
from tiki_gui.ui.profiles.form_draft import draft_fields, with_draft

from .flow_helpers import sandbox_config
from .stored_window import ProfileWindowFactory, StoredWindowFactory, profiles_of, written_text

ROOT = Path(__file__).resolve().parents[2]
SECRET = "draft-secret-never-on-disk"


def _draft_file() -> Path:
    return config_dir() / DRAFTS_FILE_NAME


def _drafts() -> dict[str, dict[str, object]]:
    try:
        document = json.loads(_draft_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    drafts = document.get("drafts", {})
    assert isinstance(drafts, dict)
    return drafts


def _wait_for(condition: object, what: str, timeout: float = 30.0) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_an_invalid_form_survives_a_hard_kill(
    secret_service: SecretService,
    isolated_dirs: IsolatedDirs,
    stored_window: StoredWindowFactory,
) -> None:
    scope = "offline product draft-scope"
    redirect = "not a redirect uri"
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("draft_driver.py")), scope, redirect, SECRET],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(
            lambda: (
                _drafts().get("My Tiki app", {}).get("scope") == scope or process.poll() is not None
            ),
            "the draft on disk",
        )
        assert process.poll() is None, process.communicate()[1][-3000:]
        os.kill(process.pid, signal.SIGKILL)  # no shutdown, no save on quit
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == -signal.SIGKILL, stderr[-3000:]
    assert "Traceback" not in stderr
    assert SECRET not in written_text(isolated_dirs.root)
    assert not ProfileStore().names()  # no profile could be saved: no client ID

    window = stored_window()  # the app starts again
    config = window.form.profile()
    assert profiles_of(window).current == "My Tiki app"
    assert config.scope == scope
    assert config.redirect_uri == redirect
    assert config.client_id == ""
    assert window.form.secret() == ""  # the secret went nowhere
    assert window.form.redirect_uri.text() == redirect
    assert not window.form.authorize.isEnabled()  # still invalid: the person fixes it now


def test_a_stored_profile_made_invalid_keeps_the_edit_and_the_saved_profile(
    qtbot: QtBot,
    sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
    stored_window: StoredWindowFactory,
) -> None:
    window, profiles, _ = profile_window("Shop", sandbox_config(sandbox))
    saved = ProfileStore().get("Shop")
    window.form.client_id.setText("")  # invalid: the profile cannot take it
    window.form.scopes.set_scope("offline order")
    qtbot.waitUntil(lambda: _drafts().get("Shop", {}).get("client_id") == "", timeout=5000)
    assert ProfileStore().get("Shop") == saved  # the profile on disk stays valid
    stored_window.close(window)

    again, profiles, _ = profile_window()
    assert profiles.current == "Shop"
    assert again.form.profile().client_id == ""
    assert again.form.profile().scope == "offline order"
    again.form.client_id.setText(saved.client_id)  # fixed: saved, and the draft goes away
    qtbot.waitUntil(lambda: "Shop" not in _drafts(), timeout=5000)
    assert ProfileStore().get("Shop").scopes == ("offline", "order")


def _sandbox_store(server: SandboxServer) -> ProfileStore:
    """The store the app makes with ``--sandbox``: the built-in Sandbox profile attached."""
    client = DEMO_BASIC_CLIENT
    store = ProfileStore()
    profile = sandbox_profile(
        server.base_url,
        client,
        redirect_uri=client.redirect_uris[0],
        scopes=["offline", "product", "order"],
        issuer=server.issuer,
    )
    store.attach_sandbox(profile, client.client_secret)
    return store


def test_sandbox_profile_edits_survive_a_restart(
    qtbot: QtBot, secret_service: SecretService, stored_window: StoredWindowFactory
) -> None:
    with SandboxServer(issue_iss=True) as first:
        window = stored_window(_sandbox_store(first))
        assert profiles_of(window).current == "Sandbox"
        window.form.scopes.set_scope("offline product inventory")
        window.form.use_pkce.setChecked(True)
        window.form.set_value(
            dataclasses.replace(
                window.form.value(),
                profile=dataclasses.replace(window.form.profile(), sign_in=SignIn.PASTE),
            )
        )
        qtbot.waitUntil(lambda: "Sandbox" in _drafts(), timeout=2 * SAVE_DELAY_MS + 5000)
        stored_window.close(window)
    assert DEMO_BASIC_CLIENT.client_secret not in _draft_file().read_text(encoding="utf-8")

    with SandboxServer(issue_iss=True) as second:  # another run: another port
        assert second.base_url != first.base_url
        again = stored_window(_sandbox_store(second))
        config = again.form.profile()
        assert profiles_of(again).current == "Sandbox"
        assert config.scope == "offline product inventory"
        assert config.use_pkce is True
        assert config.sign_in is SignIn.PASTE
        assert config.client_id == DEMO_BASIC_CLIENT.client_id
        assert again.form.secret() == DEMO_BASIC_CLIENT.client_secret  # from the profile
        assert config.token_endpoint == second.token_endpoint  # this run's server, not the old
        stored_window.close(again)


def test_a_draft_written_before_the_one_profile_model_still_applies() -> None:
    """Draft keys are the form's field names, as before (``scope`` one string): an older
    draft's fields come back; a field this version cannot use, and any secret, are left out."""
    old: DraftFields = {
        "client_id": "7590139168389961",
        "scope": "offline  order",
        "sign_in": "paste",
        "use_pkce": True,
        "token_endpoint": "https://sandbox.example/token",
        "grant": "device_code",  # an option this version does not know
        "issuer": False,  # a bool where a string belongs
        "client_secret": "never-applied",
    }
    restored = with_draft(Profile(), old)
    assert restored == Profile(
        client_id="7590139168389961",
        scopes=("offline", "order"),
        sign_in=SignIn.PASTE,
        use_pkce=True,
        token_endpoint="https://sandbox.example/token",
    )
    assert draft_fields(Profile(), restored) == {
        "client_id": "7590139168389961",
        "scope": "offline order",
        "sign_in": "paste",
        "use_pkce": True,
        "token_endpoint": "https://sandbox.example/token",
    }
