"""The tests' child processes: the checkout they run in (:data:`ROOT`), a Python child run to
its end (:func:`run_python`), and ending a long-running one a test started (:func:`end_process`).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ROOT", "end_process", "run_python"]

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
