"""Profiles in the main window, stored in a settings file and the real Secret Service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring_service import IsolatedDirs
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel
from pytestqt.qtbot import QtBot

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.storage import ProfileStore

from .flow_helpers import sandbox_config
from .stored_window import (
    ProfileWindowFactory,
    StoredWindowFactory,
    authorize_as,
    keyring_entry,
    profiles_of,
    tokens_of,
    wait_idle,
    wait_secret_stored,
    written_text,
)

SECRET = DEMO_BASIC_CLIENT.client_secret


def test_first_start_opens_a_new_empty_profile_and_no_notice(
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window()
    combo = window.findChild(QComboBox, "profile")
    assert combo is not None
    assert combo.currentText() == "My Tiki app"
    assert profiles.keyring_ok is True
    notice = window.findChild(QLabel, "keyring_notice")
    assert notice is not None
    assert not notice.isVisible()
    assert window.form.profile().client_id == ""


def test_profile_and_tokens_survive_a_restart(
    qtbot: QtBot,
    stored_window: StoredWindowFactory,
    sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, tokens = profile_window("Shop A")
    authorize_as(qtbot, window, "seller-restart")
    [record] = tokens.manager.records()
    assert record.seller_name == "seller-restart"
    assert keyring_entry("client-secret@Shop A") == SECRET
    stored_window.close(window)

    again = stored_window()
    profiles = profiles_of(again)
    tokens = tokens_of(again)
    assert profiles.current == "Shop A"  # the last used profile
    expected = sandbox_config(sandbox)
    assert again.form.profile() == expected.profile
    assert again.form.secret() == expected.secret  # the secret came back too
    [reloaded] = tokens.manager.records()
    assert (reloaded.seller_id, reloaded.seller_name) == (record.seller_id, "seller-restart")
    assert reloaded.token.access_token == record.token.access_token


def test_edits_are_saved_after_a_short_delay_without_the_secret(
    qtbot: QtBot,
    sandbox: SandboxServer,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window()
    window.form.set_value(sandbox_config(sandbox))
    path = ProfileStore().path
    qtbot.waitUntil(path.exists, timeout=3000)  # debounced save, no switch or quit needed
    wait_secret_stored(qtbot, "My Tiki app", SECRET)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert json.loads(text)["profiles"][0]["client_id"] == DEMO_BASIC_CLIENT.client_id
    assert profiles.current == "My Tiki app"


def test_create_rename_duplicate_delete(
    qtbot: QtBot,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window("One")
    wait_secret_stored(qtbot, "One", SECRET)

    profiles.rename_profile("Two")
    assert profiles.busy  # the keyring is reached from the worker, not on the click
    assert not profiles.bar.profile.isEnabled()
    assert not window.form.isEnabled()
    wait_idle(qtbot, profiles)
    assert profiles.bar.profile.isEnabled()
    assert window.form.isEnabled()
    assert profiles.last_message == "Renamed 'One' to 'Two'."
    assert ProfileStore().names() == ["Two"]
    assert keyring_entry("client-secret@One") is None
    assert keyring_entry("client-secret@Two") == SECRET

    profiles.duplicate_profile("Three")
    wait_idle(qtbot, profiles)
    assert profiles.current == "Three"
    assert ProfileStore().names() == ["Two", "Three"]
    assert keyring_entry("client-secret@Three") == SECRET
    combo = window.findChild(QComboBox, "profile")
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == ["Two", "Three"]

    combo.setCurrentText("Two")  # switching from the combo box
    assert profiles.current == "Two"
    profiles.delete_profile()
    wait_idle(qtbot, profiles)
    assert ProfileStore().names() == ["Three"]
    assert keyring_entry("client-secret@Two") is None  # the keyring entries went with it
    assert profiles.current == "Three"


def test_new_profile_through_the_dialog(
    qtbot: QtBot,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window()
    profiles.bar.new.click()
    dialog = window.findChild(QInputDialog, "profile_name_dialog")
    assert dialog is not None
    assert dialog.isVisible()
    dialog.setTextValue("From the dialog")
    dialog.accept()
    assert profiles.current == "From the dialog"
    assert profiles.bar.current() == "From the dialog"
    assert window.form.profile().client_id == ""


def test_export_has_no_secret_and_import_adds_the_profile(
    qtbot: QtBot,
    tmp_path: Path,
    profile_window: ProfileWindowFactory,
) -> None:
    window, profiles, _ = profile_window("Exported")
    target = tmp_path / "exported.json"
    profiles.export_profile(str(target))
    text = target.read_text(encoding="utf-8")
    assert SECRET not in text
    assert DEMO_BASIC_CLIENT.client_id in text

    profiles.delete_profile()
    wait_idle(qtbot, profiles)
    profiles.import_profile(str(target))
    wait_idle(qtbot, profiles)
    assert profiles.current == "Exported"
    assert window.form.profile().client_id == DEMO_BASIC_CLIENT.client_id
    assert window.form.secret() == ""  # enter it again after importing


def test_without_a_keyring_the_notice_shows_and_nothing_secret_is_stored(
    qtbot: QtBot,
    isolated_dirs: IsolatedDirs,
    stored_window: StoredWindowFactory,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]  # keyring's fail backend has no annotations
    try:
        window = stored_window()
        profiles = profiles_of(window)
        tokens = tokens_of(window)
        notice = window.findChild(QLabel, "keyring_notice")
        assert notice is not None
        assert notice.isVisible()
        assert "No system keyring" in notice.text()
        assert profiles.keyring_ok is False
        profiles.create_profile("No keyring", sandbox_config(sandbox))
        authorize_as(qtbot, window, "seller-nokeyring", filed=False)
        assert window.token_panel.access_token.text()  # the flow worked: tokens to copy
        assert tokens.manager.records() == []
        assert "not stored" in tokens.manager.result.text()
        access = window.token_panel.access_token.text()
        stored_window.close(window)
        written = written_text(isolated_dirs.root)
        assert SECRET not in written
        assert access not in written
        assert "No keyring" in written  # the profile (non-secret) was saved
    finally:
        keyring.set_keyring(previous)
