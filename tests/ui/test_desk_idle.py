"""A window on a desktop (a Secret Service holding a stored token), in a fresh process (issue 11,
P4 idle desk): it shows the client secret and lists the stored seller as before, read through
the keyring reader's short-lived child, without loading keyring, secretstorage or cryptography
itself (about 13 MB resident); the first write loads them here."""

from __future__ import annotations

import json

from child_processes import run_python
from keyring_service import SecretService, file_token

_DRIVER = """
import json, os, sys
from PySide6.QtCore import QTimer
from tiki_gui.app import _application, launch

HEAVY = ("keyring", "secretstorage", "cryptography")
app = _application()
session = launch([])
window = session.window
seen = {"waits": 0}

def listed():
    records = window.stored_tokens.manager.records()
    if not (records and window.form.secret()) and seen["waits"] < 400:
        seen["waits"] += 1
        QTimer.singleShot(50, listed)
        return
    seen["sellers"] = [[r.seller_id, r.seller_name, r.status().value] for r in records]
    seen["secret"] = window.form.secret()
    seen["dock"] = window.token_dock.isVisible()
    seen["loaded"] = sorted(m for m in HEAVY if m in sys.modules)
    window.profiles.store.set_client_secret("Desk", "typed-later")  # a write: keyring here
    seen["after_write"] = sorted(m for m in HEAVY if m in sys.modules)
    print(json.dumps(seen), flush=True)
    session.close()
    os._exit(0)

QTimer.singleShot(0, listed)
app.exec()
"""


def test_a_desktop_window_lists_its_sellers_without_loading_keyring(
    secret_service: SecretService,
) -> None:
    file_token("Desk", "desk-secret", (5, "Desk shop"), "at-desk")
    env = dict(secret_service.subprocess_env(), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHON_KEYRING_BACKEND", None)  # the app chooses, as for a user
    result = run_python("-c", _DRIVER, env=env)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0, result.stderr[-2000:]
    assert lines, result.stderr[-2000:]
    seen = json.loads(lines[-1])
    assert seen["sellers"] == [[5, "Desk shop", "valid"]], seen
    assert seen["secret"] == "desk-secret"
    assert seen["dock"] is True  # the stored tokens are on screen, not deferred
    assert seen["loaded"] == []
    assert seen["after_write"] == ["cryptography", "keyring", "secretstorage"]
