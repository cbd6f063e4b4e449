"""What an idle window has loaded once the keyring answered, in a fresh process (issue 11, P4
idle memory): in English, not ``xml.etree`` (the ``.ts`` catalog is read only for a switch
away from English); with no Secret Service on the machine (no session bus, as in a container)
and no other keyring backend installed, no keyring at all: keyring could only choose its
``fail`` backend there, and that is told without importing it (about 16 MB with
``secretstorage``, ``cryptography``, ``importlib_metadata`` and ssl)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from keyring_service import ROOT, IsolatedDirs

_DRIVER = """
import json, os, sys
from PySide6.QtCore import QTimer
from tiki_gui.app import _application, launch
from tiki_gui.ui.shared.i18n import language_switcher

WATCHED = ("xml.etree.ElementTree", "keyring", "cryptography", "secretstorage",
           "importlib_metadata", "importlib.metadata", "ssl")
LANGUAGE = sys.argv[1]
app = _application()
session = launch([])
seen = {}

def answered():
    # The keyring's first answer (after the first paint, on the keyring thread), or 20 s.
    profiles = session.window.profiles
    if profiles.keyring_ok is None and len(seen.setdefault("waits", [])) < 400:
        seen["waits"].append(1)
        QTimer.singleShot(50, answered)
        return
    if LANGUAGE != "en":
        language_switcher().switch(LANGUAGE)
    seen["loaded"] = sorted(m for m in WATCHED if m in sys.modules)
    seen["keyring_ok"] = profiles.keyring_ok
    seen["language"] = language_switcher().language
    print(json.dumps(seen), flush=True)
    session.close()
    os._exit(0)

QTimer.singleShot(0, answered)
app.exec()
"""


def _idle(language: str) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANGUAGE="en", LC_ALL="C.UTF-8")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # no Secret Service: a container, an SSH session
    env.pop("PYTHON_KEYRING_BACKEND", None)  # the app chooses, as for a user
    result = subprocess.run(
        [sys.executable, "-c", _DRIVER, language],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0, result.stderr[-2000:]
    assert lines, result.stderr[-2000:]
    seen: dict[str, object] = json.loads(lines[-1])
    return seen


def test_an_english_window_without_a_secret_service_loads_no_catalog_or_secret_service(
    isolated_dirs: IsolatedDirs,
) -> None:
    seen = _idle("en")
    assert seen["language"] == "en"
    assert seen["keyring_ok"] is False  # the keyring answered: no usable keyring
    assert seen["loaded"] == [], seen["loaded"]


def test_the_catalog_is_read_for_a_switch_to_vietnamese(isolated_dirs: IsolatedDirs) -> None:
    seen = _idle("vi")
    assert seen["language"] == "vi"
    loaded = seen["loaded"]
    assert isinstance(loaded, list)
    assert "xml.etree.ElementTree" in loaded  # the retranslation's reverse lookups
