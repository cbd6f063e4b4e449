"""The keyring backend chosen without keyring's full discovery (``storage/keyring_backend.py``),
each case in a fresh process against the real Secret Service of ``tests/keyring_service.py``."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from child_processes import run_python

from .conftest import IsolatedDirs, SecretService

# Full discovery loads every backend's module, the macOS one among them: its absence shows that
# discovery did not run.
_PROBE = """
import json, sys
from tiki_gui.storage.secrets import SecretStore
store = SecretStore()
store.set_client_secret("Shop", "probe-secret")
backend = type(__import__("keyring").get_keyring())
print(json.dumps({
    "backend": f"{backend.__module__}.{backend.__qualname__}",
    "discovered": "keyring.backends.macOS" in sys.modules,
    "secret": store.get_client_secret("Shop"),
}))
"""


def _probe(env: dict[str, str]) -> dict[str, object]:
    result = run_python("-c", _PROBE, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_the_secret_service_is_used_without_discovery(secret_service: SecretService) -> None:
    answer = _probe(secret_service.subprocess_env())
    assert answer == {
        "backend": "keyring.backends.SecretService.Keyring",
        "discovered": False,
        "secret": "probe-secret",
    }


def test_the_environment_variable_and_the_config_file_come_first(
    secret_service: SecretService, isolated_dirs: IsolatedDirs
) -> None:
    # keyring's in-memory-less "fail" backend refuses every call: the store says so, no secret.
    failing = _PROBE.replace(
        'store.set_client_secret("Shop", "probe-secret")', "assert not store.available()"
    ).replace('store.get_client_secret("Shop")', "None")
    env = secret_service.subprocess_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = run_python("-c", failing, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["backend"] == "keyring.backends.fail.Keyring"

    config = isolated_dirs.config / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True)
    config.write_text("[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n", "utf-8")
    result = run_python("-c", failing, env=secret_service.subprocess_env())
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["backend"] == "keyring.backends.fail.Keyring"


# What keyring's own discovery chooses in an environment, and what it loaded to get there.
_DISCOVERY = """
import json, sys, keyring.core
keyring.core.init_backend()
backend = type(keyring.get_keyring())
print(json.dumps(f"{backend.__module__}.{backend.__qualname__}"))
"""

# The store's answers without a usable keyring, and what it loaded to get them.
_NO_KEYRING_PROBE = """
import json, sys
from tiki_gui.storage.secrets import SecretStore
store = SecretStore()
answer = {"available": store.available(), "has_backend": store.has_backend(),
          "name": store.backend_name(), "imported": "keyring" in sys.modules}
if answer["imported"]:
    backend = type(sys.modules["keyring"].get_keyring())
    answer["backend"] = f"{backend.__module__}.{backend.__qualname__}"
answer["discovered"] = "keyring.backends.macOS" in sys.modules
answer["cryptography"] = "cryptography" in sys.modules
print(json.dumps(answer))
"""


def _no_secret_service_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.update(extra)
    return env


def _discovered(env: dict[str, str]) -> str:
    result = run_python("-c", _DISCOVERY, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    answer: str = json.loads(result.stdout)
    return answer


def test_without_a_session_bus_no_keyring_is_told_without_loading_keyring(
    isolated_dirs: IsolatedDirs,
) -> None:
    # No bus address (a container, an SSH session), no other backend installed: keyring's
    # discovery would choose its fail backend; the store says "no keyring" without loading it.
    env = _no_secret_service_env()
    answer = json.loads(_checked(run_python("-c", _NO_KEYRING_PROBE, env=env)))
    assert answer == {
        "available": False,
        "has_backend": False,
        "name": "fail Keyring",
        "imported": False,
        "discovered": False,
        "cryptography": False,
    }
    assert _discovered(env) == "keyring.backends.fail.Keyring"


def test_a_keyring_config_file_is_left_to_keyring(isolated_dirs: IsolatedDirs) -> None:
    # keyringrc.cfg may name any backend: keyring reads it (here the null backend).
    config = isolated_dirs.config / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True)
    config.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n", "utf-8")
    answer = json.loads(_checked(run_python("-c", _NO_KEYRING_PROBE, env=_no_secret_service_env())))
    assert answer["imported"] is True
    assert answer["backend"] == "keyring.backends.null.Keyring"
    assert answer["name"] != "fail Keyring"


def test_a_secret_service_that_does_not_answer_gives_the_same_choice_as_discovery(
    isolated_dirs: IsolatedDirs,
) -> None:
    # A bus address where nothing listens: the Secret Service is tried directly and is not
    # viable; nothing else could answer, so discovery (which would choose "fail") is skipped.
    env = _no_secret_service_env(DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus")
    answer = json.loads(_checked(run_python("-c", _NO_KEYRING_PROBE, env=env)))
    assert answer["available"] is False
    assert answer["backend"] == _discovered(env) == "keyring.backends.fail.Keyring"
    assert answer["discovered"] is False


_THIRD_PARTY = """
from keyring.backend import KeyringBackend

class Memory(KeyringBackend):
    priority = 1
    entries: dict = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username))
"""


def test_a_third_party_backend_is_found_by_discovery(
    isolated_dirs: IsolatedDirs, tmp_path: Path
) -> None:
    # An installed backend (an entry point of another distribution) may answer without a
    # bus: then keyring's full discovery runs and chooses it, as keyring alone would.
    site = tmp_path / "site"
    (site / "third_party_keyring-1.0.dist-info").mkdir(parents=True)
    (site / "third_party_keyring-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: third-party-keyring\nVersion: 1.0\n", "utf-8"
    )
    (site / "third_party_keyring-1.0.dist-info" / "entry_points.txt").write_text(
        "[keyring.backends]\nmemory = third_party_keyring\n", "utf-8"
    )
    (site / "third_party_keyring.py").write_text(_THIRD_PARTY, "utf-8")
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH", "")]))
    env = _no_secret_service_env(PYTHONPATH=path)
    probe = _PROBE.replace("print(json.dumps({", 'print(json.dumps({"usable": store.has_backend(),')
    answer = json.loads(_checked(run_python("-c", probe, env=env)))
    assert answer["backend"] == _discovered(env) == "third_party_keyring.Memory"
    assert answer["discovered"] is True
    assert answer["usable"] is True
    assert answer["secret"] == "probe-secret"


def _checked(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
