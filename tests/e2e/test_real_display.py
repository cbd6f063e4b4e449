"""The app on a real X server (Xvfb) and a real Wayland compositor (Weston), started the way users
start it, Chromium's sandbox as they have it.

``.ci/run`` runs the suite twice, as root and as a normal user, and these tests assert what each
must see, so neither configuration is skipped:

* as a normal user (every real user): Chromium's sandbox is on, each renderer is confined
  (seccomp-bpf, its own PID namespace), the app prints no sandbox warning;
* as root: Chromium cannot sandbox, the app switches it off itself and says so on stderr.

The tests never set ``QTWEBENGINE_DISABLE_SANDBOX`` or ``--disable-gpu``: the app decides, as it
does for users.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .wayland import Weston
from .xserver import XServer, find_window

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RUNNING_AS_ROOT = os.geteuid() == 0
ROOT_WARNING = "running as root: the embedded browser runs without Chromium's sandbox"
APP_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def x_server() -> Iterator[XServer]:
    server = XServer()
    with server:
        yield server


@pytest.fixture
def x_display(x_server: XServer) -> str:
    return x_server.display


def _user_environment(display: str, home: Path) -> dict[str, str]:
    """The test run's environment as a desktop session would have it: an X display, Qt's xcb
    platform, and nothing that changes how Chromium runs; settings in a fresh ``home`` (a language
    or profile remembered from another run must not change what the window shows)."""
    env = dict(os.environ)
    for name, folder in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    for name in ("TIKI_GUI_CONFIG_DIR", "TIKI_GUI_DATA_DIR"):
        env.pop(name, None)
    for name in (
        "QT_QPA_PLATFORM",
        "QTWEBENGINE_DISABLE_SANDBOX",
        "QTWEBENGINE_CHROMIUM_FLAGS",
        "WAYLAND_DISPLAY",
        "XDG_SESSION_TYPE",
    ):
        env.pop(name, None)
    env["DISPLAY"] = display
    env["QT_QPA_PLATFORM"] = "xcb"  # what Qt picks on an X11 session anyway; made explicit
    return env


def test_the_readme_run_command_shows_the_window(x_server: XServer, tmp_path: Path) -> None:
    # `uv run tiki-gui --sandbox` runs this console script of the project's environment.
    x_display = x_server.display
    command = Path(sys.executable).with_name("tiki-gui")
    stderr_path = tmp_path / "stderr.txt"
    with (
        stderr_path.open("w") as stderr,
        subprocess.Popen(
            [str(command), "--sandbox"],
            cwd=ROOT,
            env=_user_environment(x_display, tmp_path / "home"),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        ) as process,
    ):
        try:
            window = find_window(x_display, "tiki-gui", timeout_s=APP_TIMEOUT_S)
            running = process.poll() is None
        finally:
            process.send_signal(signal.SIGTERM)  # Ctrl+C / SIGTERM close the window normally
            process.wait(timeout=APP_TIMEOUT_S)
    errors = stderr_path.read_text()
    assert window is not None, (
        f"no tiki-gui window on the X server; stderr:\n{errors[-3000:]}\n{x_server.state()}"
    )
    assert running, errors[-3000:]
    assert "sandbox" in window.name  # --sandbox: the window says so in its title
    assert window.width >= 600, window
    assert window.height >= 400, window
    assert process.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors
    assert (ROOT_WARNING in errors) is RUNNING_AS_ROOT, errors[-3000:]


def _sign_in(env: dict[str, str], tmp_path: Path) -> tuple[dict[str, Any], str]:
    """Run signin_driver.py: the app's real start, then a sign-in through its window."""
    screenshot = tmp_path / "screen.png"
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("signin_driver.py")), str(screenshot)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=APP_TIMEOUT_S * 2,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    seen = json.loads(lines[-1]) if lines else {}
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error" not in seen, (seen, result.stderr[-3000:])
    return seen, result.stderr


def test_signing_in_on_the_sandbox_in_a_window_on_the_x_server(
    x_display: str, tmp_path: Path
) -> None:
    seen, stderr = _sign_in(_user_environment(x_display, tmp_path / "home"), tmp_path)
    assert seen["platform"] == "xcb"
    _assert_signed_in_as_users_do(seen, stderr)


def test_signing_in_in_a_wayland_session(tmp_path: Path) -> None:
    env = _user_environment("", tmp_path / "home")
    del env["DISPLAY"], env["QT_QPA_PLATFORM"]  # no X11 to fall back to; Qt chooses itself
    with Weston() as session:
        env.update(session)
        seen, stderr = _sign_in(env, tmp_path)
    assert seen["platform"] == "wayland"  # Qt's choice in a Wayland session
    _assert_signed_in_as_users_do(seen, stderr)


def _assert_signed_in_as_users_do(seen: dict[str, Any], stderr: str) -> None:
    assert seen["exposed"] is True  # shown by the X server or the compositor
    assert seen["state"] == "succeeded", seen
    assert seen["token_shown"] is True
    # Something was drawn, the consent page in the embedded browser too: more than a blank or
    # single-colour frame (a page Chromium failed to composite is one).
    assert int(seen["consent_colours"]) > 10, seen
    assert int(seen["screen_colours"]) > 20, seen
    # The consent page ran in a renderer, sandboxed exactly when the user is not root.
    sandboxed = seen["renderers_sandboxed"]
    assert isinstance(sandboxed, list)
    assert sandboxed, seen
    assert sandboxed == [not RUNNING_AS_ROOT] * len(sandboxed), seen
    assert (ROOT_WARNING in stderr) is RUNNING_AS_ROOT, stderr[-3000:]
    assert "Traceback" not in stderr
