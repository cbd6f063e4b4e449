"""Opening the system browser through the standard library's ``webbrowser`` (and $BROWSER).

The "browser" is a real command: a small Python script that writes the URL it was given to a
file, the way any browser command receives it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tiki_gui.core.errors import TikiGuiError, ValidationError
from tiki_gui.signin import BrowserLaunchError, open_in_system_browser

URL = "http://127.0.0.1:8765/sc/oauth2/auth?client_id=c&state=secret-state-0123456789"
STATE = "secret-state-0123456789"


def _fake_browser(tmp_path: Path, *, exit_code: int = 0, linger: float = 0.0) -> Path:
    script = tmp_path / "fake_browser.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, sys, time
            out = os.path.join({str(tmp_path)!r}, "opened.txt")
            with open(out + ".tmp", "w") as f:
                f.write(str(os.getpid()) + "\\n" + sys.argv[1])
            os.replace(out + ".tmp", out)
            time.sleep({linger})
            sys.exit({exit_code})
            """
        )
    )
    return script


def _opened(tmp_path: Path, timeout: float = 10.0) -> tuple[int, str]:
    target = tmp_path / "opened.txt"
    deadline = time.monotonic() + timeout
    while not target.exists():
        assert time.monotonic() < deadline, "the browser command was not run"
        time.sleep(0.02)
    pid, url = target.read_text().split("\n", 1)
    return int(pid), url


def test_the_url_is_given_to_the_browser_command(tmp_path: Path) -> None:
    script = _fake_browser(tmp_path)
    open_in_system_browser(URL, browser=f"{sys.executable} {script} %s")
    assert _opened(tmp_path)[1] == URL


def test_the_browser_environment_variable_is_honoured(tmp_path: Path) -> None:
    script = _fake_browser(tmp_path)
    code = (
        "import sys; from tiki_gui.signin import open_in_system_browser; "
        "open_in_system_browser(sys.argv[1])"
    )
    env = {**os.environ, "BROWSER": f"{sys.executable} {script} %s"}
    done = subprocess.run(
        [sys.executable, "-c", code, URL], env=env, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert _opened(tmp_path)[1] == URL


@pytest.mark.parametrize("exit_code", [1, 127])
def test_a_browser_command_that_fails_raises(tmp_path: Path, exit_code: int) -> None:
    script = _fake_browser(tmp_path, exit_code=exit_code)
    with pytest.raises(BrowserLaunchError) as info:
        open_in_system_browser(URL, browser=f"{sys.executable} {script} %s")
    assert isinstance(info.value, TikiGuiError)
    assert "could not be started" in str(info.value)
    assert "copy the authorization URL" in str(info.value)
    assert STATE not in str(info.value)


def test_no_browser_at_all_raises(tmp_path: Path) -> None:
    with pytest.raises(BrowserLaunchError) as info:
        open_in_system_browser(URL, browser=f"{tmp_path / 'no-such-browser'} %s")
    assert "BROWSER environment variable" in str(info.value)
    assert STATE not in str(info.value)
    assert URL not in repr(info.value)


def test_a_machine_without_any_browser_gets_a_clear_error(tmp_path: Path) -> None:
    code = (
        "import sys; from tiki_gui.signin import BrowserLaunchError, open_in_system_browser\n"
        "try:\n    open_in_system_browser(sys.argv[1])\n"
        "except BrowserLaunchError as e:\n    print(e); sys.exit(3)"
    )
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no $BROWSER, $DISPLAY or browser
    done = subprocess.run(
        [sys.executable, "-c", code, URL], env=env, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 3, done.stderr.decode()
    message = done.stdout.decode()
    assert message.startswith("No web browser was found, so the sign-in page could not be opened")
    assert STATE not in message


def test_a_browser_command_that_keeps_running_counts_as_opened(tmp_path: Path) -> None:
    script = _fake_browser(tmp_path, linger=60)
    started = time.monotonic()
    open_in_system_browser(URL, browser=f"{sys.executable} {script} %s", launch_timeout=1.0)
    took = time.monotonic() - started
    pid, url = _opened(tmp_path)
    os.kill(pid, signal.SIGTERM)  # the "browser" we started
    assert url == URL
    assert 0.9 <= took < 10


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "http://example.com/auth", "not a url"]
)
def test_only_https_or_loopback_addresses_are_opened(url: str) -> None:
    with pytest.raises(ValidationError):
        open_in_system_browser(url, browser="/bin/false %s")
