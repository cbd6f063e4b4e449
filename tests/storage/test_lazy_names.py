"""The storage package's names are loaded when first used (issue 11): reading the settings file
(what the window's first paint needs) loads neither the keyring store nor the token vault, and
every name the package offers is still there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from child_processes import run_python

import tiki_gui.storage as storage
from tiki_gui.storage.profile_store import ProfileStore
from tiki_gui.storage.profiles import Profile

HEAVY = (
    "tiki_gui.storage.secrets",
    "tiki_gui.storage.vault",
    "tiki_gui.storage.records",
    "tiki_gui.core.authorization",
    "hashlib",
    "socket",
)

_READ = """
import json, sys
from pathlib import Path
from tiki_gui.storage import ProfileStore
store = ProfileStore(Path(sys.argv[1]))
names = store.names()
heavy = json.loads(sys.argv[2])
print(json.dumps({"names": names, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def test_every_offered_name_is_there() -> None:
    for name in storage.__all__:
        assert getattr(storage, name) is not None, name
    assert storage.ProfileStore is ProfileStore
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = storage.no_such_name  # type: ignore[attr-defined]


def test_reading_the_settings_file_loads_no_keyring_store_or_vault(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    ProfileStore(path).save(Profile(name="Shop", client_id="123", redirect_uri="https://a.b/cb"))
    done = run_python("-c", _READ, path, json.dumps(HEAVY))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"names": ["Shop"], "loaded": []}


def test_the_keyring_store_is_made_at_its_first_use(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    assert store.secrets is store.secrets  # one, made once
    assert type(store.secrets).__name__ == "SecretStore"
