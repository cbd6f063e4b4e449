"""The keyring backend chosen without keyring's full discovery (``storage/keyring_backend.py``),
each case in a fresh process against the real Secret Service of ``tests/keyring_service.py``."""

from __future__ import annotations

import json

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


def test_without_a_secret_service_keyring_discovers_as_before(
    secret_service: SecretService,
) -> None:
    # A bus address where nothing listens: the Secret Service is not viable, discovery runs.
    env = secret_service.subprocess_env(DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus")
    failing = _PROBE.replace(
        'store.set_client_secret("Shop", "probe-secret")', "assert not store.available()"
    ).replace('store.get_client_secret("Shop")', "None")
    result = run_python("-c", failing, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    assert answer["discovered"] is True
    assert answer["backend"] != "keyring.backends.SecretService.Keyring"
