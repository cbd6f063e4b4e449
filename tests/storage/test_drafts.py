"""The form drafts file: per profile, atomic and private, never a secret, unreadable = none."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tiki_gui.storage.drafts import DRAFTS_FILE_NAME, DraftStore


def test_a_draft_round_trips_per_profile_without_the_secret(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "settings")
    store.save("Shop", {"client_id": "", "scope": "offline x", "use_pkce": True})
    store.save("Other", {"redirect_uri": "not a url", "client_secret": "s3cret-value"})
    assert store.load("Shop") == {"client_id": "", "scope": "offline x", "use_pkce": True}
    assert store.load("Other") == {"redirect_uri": "not a url"}
    assert store.names() == ["Shop", "Other"]
    path = tmp_path / "settings" / DRAFTS_FILE_NAME
    assert "s3cret-value" not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_empty_draft_discards_and_rename_moves(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save("A", {"scope": "offline"})
    store.rename("A", "B")
    assert store.load("A") == {}
    assert store.load("B") == {"scope": "offline"}
    store.save("B", {})
    assert store.names() == []
    store.save("C", {"scope": "x"})
    store.discard("C")
    assert json.loads((tmp_path / DRAFTS_FILE_NAME).read_text(encoding="utf-8"))["drafts"] == {}


def test_an_unreadable_file_is_no_draft_and_odd_values_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / DRAFTS_FILE_NAME
    path.write_text("{not json", encoding="utf-8")
    store = DraftStore(tmp_path)
    assert store.load("Shop") == {}
    document = {"drafts": {"Shop": {"scope": "a", "n": 3, "x": None, "client_secret": "s"}}}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert store.load("Shop") == {"scope": "a"}
