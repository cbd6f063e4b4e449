"""The tests' child processes: the checkout they run in (:data:`ROOT`), a Python child run to
its end (:func:`run_python`), a Qt driver script that reports in JSON (:func:`run_qt_driver`),
and ending a long-running one a test started (:func:`end_process`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "end_process", "run_python", "run_qt_driver"]

ROOT = Path(__file__).resolve().parents[1]


def run_python(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` (this interpreter) in the checkout, to its end; its output as text.

    Its exit status is the caller's to check (``check=False``); ``env`` replaces the
    environment when given."""
    return subprocess.run(
        [sys.executable, *(str(arg) for arg in args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )


def run_qt_driver(script: str, *args: str, timeout: float = 120) -> dict[str, Any]:
    """``python -c SCRIPT ARGS`` offscreen and without the session's D-Bus (the environment is
    this one's otherwise, with the test's isolated folders), to its end: the JSON object it
    printed last on a line of its own. Fails the test when it exits non-zero or prints none."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    result = run_python("-c", script, *args, env=env, timeout=timeout)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0, (result.stdout[-500:], result.stderr[-2000:])
    assert lines, result.stderr[-2000:]
    seen: dict[str, Any] = json.loads(lines[-1])
    return seen


def end_process(
    process: subprocess.Popen[bytes] | subprocess.Popen[str], grace_s: float = 5.0
) -> None:
    """Terminate ``process`` (when it still runs), kill it if it has not ended within
    ``grace_s``, and reap it: by its own handle, never by name."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace_s)
