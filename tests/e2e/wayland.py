"""A real Wayland compositor for the end-to-end tests: Weston with its headless backend, in a
runtime folder of its own. Debian's weston package; ``.ci/run`` installs it (listed in
.ci/debian-test-packages.txt)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from child_processes import end_process
from closing import ClosedOnExit

__all__ = ["Weston"]

START_TIMEOUT_S = 20.0
SOCKET = "wayland-tiki-gui-test"


class Weston(ClosedOnExit):
    """``with Weston() as session:`` runs Weston (1280x900) and yields what a client of a Wayland
    session has in its environment: ``XDG_RUNTIME_DIR`` (a fresh private folder, where the
    compositor's socket is), ``WAYLAND_DISPLAY`` and ``XDG_SESSION_TYPE=wayland``."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._folder = ""

    def __enter__(self) -> dict[str, str]:
        self._folder = tempfile.mkdtemp(prefix="tiki-gui-wayland-")  # mode 0700, as it must be
        session = {
            "XDG_RUNTIME_DIR": self._folder,
            "WAYLAND_DISPLAY": SOCKET,
            "XDG_SESSION_TYPE": "wayland",
        }
        log = Path(self._folder, "weston.log")
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env["XDG_RUNTIME_DIR"] = self._folder
        with log.open("wb") as output:
            self._process = subprocess.Popen(
                [
                    "weston",
                    "--backend=headless-backend.so",
                    f"--socket={SOCKET}",
                    "--width=1280",
                    "--height=900",
                    "--idle-time=0",
                ],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not Path(self._folder, SOCKET).exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(errors="replace")
                self.close()
                raise RuntimeError(f"Weston did not start (is weston installed?):\n{text}")
            time.sleep(0.05)
        return session

    def close(self) -> None:
        if self._process is not None:
            end_process(self._process, grace_s=10)
            self._process = None
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = ""
