"""The window's keyring reads through a short-lived child (``storage/keyring_reader.py``), each
case in a fresh process (keyring not loaded there) against the real Secret Service of
``tests/keyring_service.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from child_processes import ROOT, run_python
from keyring_service import file_token, stop_process

from tiki_gui.storage import KeyringUnavailableError, SecretStore

from .conftest import SecretService

_READS = """
import json, logging, sys
logging.basicConfig(level=logging.DEBUG)  # what is logged is checked: never a value
HEAVY = ("keyring", "secretstorage", "jeepney", "cryptography")
from tiki_gui.storage import KeyringUnavailableError, ProfileStore, SecretStore, TokenVault
from tiki_gui.storage.keyring_reader import read_in_child
read_in_child()
store = SecretStore()
vault = TokenVault(ProfileStore(secrets=store))
answer = {"available": store.available()}
try:
    answer["secret"] = store.get_client_secret("Shop")
    answer["sellers"] = [[r.seller_id, r.seller_name, r.token.access_token] for r in
                         vault.sellers("Shop")]
except KeyringUnavailableError as exc:
    answer["error"] = str(exc)
answer["loaded"] = sorted(m for m in HEAVY if m in sys.modules)
print(json.dumps(answer))
"""


def _filed() -> None:
    """Profile "Shop" with a client secret and seller 7's token, written in this process."""
    file_token("Shop", "shop-secret", (7, "Seven"), "at-seven")


def _reads(env: dict[str, str]) -> dict[str, object]:
    result = run_python("-c", _READS, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "shop-secret" not in result.stderr
    assert "at-seven" not in result.stderr
    answer: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return answer


def test_the_window_reads_secrets_and_tokens_without_loading_keyring(
    secret_service: SecretService,
) -> None:
    _filed()
    assert _reads(secret_service.subprocess_env()) == {
        "available": True,
        "secret": "shop-secret",
        "sellers": [[7, "Seven", "at-seven"]],
        "loaded": [],
    }


def test_a_backend_that_is_no_keyring_is_refused_as_in_process(
    secret_service: SecretService,
) -> None:
    _filed()
    env = secret_service.subprocess_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    answer = _reads(env)
    assert answer["available"] is False
    assert answer["error"] == str(KeyringUnavailableError())  # the same words as in-process
    assert "secret" not in answer


def test_a_child_that_cannot_read_leaves_the_reads_to_this_process(
    secret_service: SecretService, tmp_path: Path
) -> None:
    _filed()
    # Only the child runs with -P (safe_path): it ends at once, before reading anything.
    (tmp_path / "sitecustomize.py").write_text(
        "import os, sys\nif sys.flags.safe_path:\n    os._exit(3)\n", encoding="utf-8"
    )
    env = secret_service.subprocess_env()
    env["PYTHONPATH"] = os.pathsep.join((str(tmp_path), env["PYTHONPATH"]))
    answer = _reads(env)
    assert answer["secret"] == "shop-secret"
    assert answer["sellers"] == [[7, "Seven", "at-seven"]]
    assert answer["loaded"] == ["cryptography", "jeepney", "keyring", "secretstorage"]


_CHANGES = """
import json, os, sys, time
from tiki_gui.storage import SecretStore
from tiki_gui.storage.keyring_reader import read_in_child
read_in_child()
store = SecretStore()
print(json.dumps({"secret": store.get_client_secret("Shop")}), flush=True)
sys.stdin.readline()  # the test changes the keyring meanwhile
print(json.dumps({"secret": store.get_client_secret("Shop")}), flush=True)
deadline = time.monotonic() + 20
def children():
    found = []
    for t in os.listdir("/proc/self/task"):
        try:  # a thread (the reader's worker) may end between the listing and the read
            with open(f"/proc/self/task/{t}/children") as f:
                found += f.read().split()
        except FileNotFoundError:
            pass
    return found
while children() and time.monotonic() < deadline:
    time.sleep(0.05)
print(json.dumps({"children": children(), "loaded": "keyring" in sys.modules}), flush=True)
"""


def test_a_change_in_the_keyring_is_read_at_once_and_the_child_ends(
    secret_service: SecretService,
) -> None:
    _filed()
    window = subprocess.Popen(
        [sys.executable, "-c", _CHANGES],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=secret_service.subprocess_env(),
    )
    try:
        assert window.stdin is not None
        assert window.stdout is not None
        assert json.loads(window.stdout.readline()) == {"secret": "shop-secret"}
        SecretStore().set_client_secret("Shop", "changed-secret")  # as another process would
        window.stdin.write("\n")
        window.stdin.flush()
        assert json.loads(window.stdout.readline()) == {"secret": "changed-secret"}
        # Idle, the child ends and is reaped: nothing is left running beside the window.
        assert json.loads(window.stdout.readline()) == {"children": [], "loaded": False}
        assert window.wait(timeout=30) == 0
    finally:
        stop_process(window)


def test_once_keyring_is_loaded_reads_stay_in_process(secret_service: SecretService) -> None:
    _filed()
    script = """
import json, subprocess, sys
from tiki_gui.storage import SecretStore
from tiki_gui.storage.keyring_reader import read_in_child
read_in_child()
store = SecretStore()
store.set_client_secret("Other", "written-here")  # a write loads keyring in this process
started = []
real = subprocess.Popen.__init__
def spy(self, *args, **kwargs):
    started.append(args[0])
    real(self, *args, **kwargs)
subprocess.Popen.__init__ = spy
print(json.dumps({"secret": store.get_client_secret("Shop"), "started": started}))
"""
    result = run_python("-c", script, env=secret_service.subprocess_env())
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == {"secret": "shop-secret", "started": []}
