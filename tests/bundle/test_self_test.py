"""``tiki-gui self-test`` through the installed entry point, in subprocesses (it runs the Qt event
loop to its end, which shuts QtWebEngine down for the rest of a process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiki_gui.sandbox import DEMO_BASIC_CLIENT

from .conftest import IsolatedDirs, SecretService

ENTRY_POINT = Path(sys.executable).parent / ("tiki-gui.exe" if os.name == "nt" else "tiki-gui")
RUN_TIMEOUT = 180


def _self_test(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, object], str]:
    assert ENTRY_POINT.exists(), f"the tiki-gui script is not installed: {ENTRY_POINT}"
    result = subprocess.run(
        [str(ENTRY_POINT), "self-test", *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env=env,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 1, (result.stdout, result.stderr)
    return result.returncode, json.loads(lines[0]), result.stdout + result.stderr


def _private_env(dirs: IsolatedDirs, **extra: str) -> dict[str, str]:
    """The test environment, with the app's folder overrides gone: self-test must not need them."""
    env = dict(os.environ)
    for name in ("TIKI_GUI_CONFIG_DIR", "TIKI_GUI_RUNTIME_DIR", "TIKI_GUI_DATA_DIR"):
        env.pop(name, None)
    env.update(extra)
    return env


@pytest.mark.slow
def test_self_test_signs_in_and_reports_tokens_without_printing_secrets(
    isolated_dirs: IsolatedDirs,
) -> None:
    env = _private_env(isolated_dirs, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    status, report, output = _self_test(env=env)
    assert status == 0, output
    assert report["ok"] is True
    assert report["tokens"] is True
    assert report["step"] == "done"
    assert report["reason"] is None
    assert report["keyring"] is None  # none here, and not required
    assert isinstance(report["seconds"], float)
    assert report["seconds"] > 0
    assert report["chromium_sandbox"] is (os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") != "1")
    assert DEMO_BASIC_CLIENT.client_secret not in output
    # The run's settings, lock and browser folders were temporary: none of the user's was made.
    assert not (isolated_dirs.config / "tiki-gui").exists()
    assert not (isolated_dirs.data / "tiki-gui").exists()
    assert not (isolated_dirs.cache / "tiki-gui").exists()


@pytest.mark.slow
def test_require_keyring_passes_with_a_real_secret_service(
    secret_service: SecretService, isolated_dirs: IsolatedDirs
) -> None:
    status, report, output = _self_test("--require-keyring", env=_private_env(isolated_dirs))
    assert status == 0, output
    assert report["ok"] is True
    assert report["tokens"] is True
    assert report["keyring"] == "SecretService Keyring"


def test_require_keyring_fails_without_a_keyring(isolated_dirs: IsolatedDirs) -> None:
    env = _private_env(isolated_dirs, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    status, report, output = _self_test("--require-keyring", env=env)
    assert status == 1, output
    assert report["ok"] is False
    assert report["keyring"] is None
    assert "keyring" in str(report["reason"])


@pytest.mark.slow
def test_a_sign_in_that_cannot_complete_in_time_fails(isolated_dirs: IsolatedDirs) -> None:
    env = _private_env(isolated_dirs, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    # 0.2 s: less than the window's start plus Chromium's (a whole sign-in took 0.6 s once).
    status, report, output = _self_test("--timeout", "0.2", env=env)
    assert status == 1, output
    assert report["ok"] is False
    assert report["tokens"] is False
    assert str(report["reason"]).startswith("timed out while waiting for: ")


@pytest.mark.slow
def test_a_sign_in_the_browser_cannot_reach_fails(isolated_dirs: IsolatedDirs) -> None:
    # Chromium sends even loopback traffic through a proxy that refuses: the sandbox's sign-in
    # page never loads, so no tokens can arrive.
    flags = "--disable-gpu --log-level=3 --proxy-server=127.0.0.1:9 --proxy-bypass-list=<-loopback>"
    env = _private_env(
        isolated_dirs,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QTWEBENGINE_CHROMIUM_FLAGS=flags,
    )
    status, report, output = _self_test("--timeout", "15", env=env)
    assert status == 1, output
    assert report["tokens"] is False
    assert str(report["reason"]).startswith(
        "the sign-in failed: The sign-in page could not be loaded"
    )
