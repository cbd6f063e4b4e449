"""A real X server for the end-to-end tests: Xvfb on a free display, plus ``xwininfo`` to see
which windows it shows. Both come from Debian packages that ``.ci/run`` installs (xvfb,
x11-utils; listed in .ci/debian-test-packages.txt)."""

from __future__ import annotations

import os
import re
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass

from child_processes import end_process
from closing import ClosedOnExit

__all__ = ["Window", "XServer", "find_window"]

START_TIMEOUT_S = 20.0


class XServer(ClosedOnExit):
    """``with XServer() as display:`` runs Xvfb (1280x900, 24-bit) and yields its ``DISPLAY``.

    The display number is the first free one, told by Xvfb itself (``-displayfd``); only local
    clients can connect (``-nolisten tcp``). The ``with`` block starts once a client has
    connected; :meth:`state` tells a failing test whether Xvfb still runs and what it said."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.display = ""

    def __enter__(self) -> str:
        read_end, write_end = os.pipe()
        try:
            self._process = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_end),
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ],
                pass_fds=(write_end,),
                stdout=subprocess.DEVNULL,
                stderr=self._log,
            )
            os.close(write_end)
            write_end = -1
            number = b""
            deadline = time.monotonic() + START_TIMEOUT_S
            while not number.endswith(b"\n"):
                left = deadline - time.monotonic()
                ready, _, _ = select.select([read_end], [], [], max(left, 0))
                chunk = os.read(read_end, 16) if ready else b""
                if not chunk:
                    self._fail("Xvfb did not start (is the xvfb package installed?)")
                number += chunk
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        self.display = f":{int(number)}"
        self._wait_for_a_client(deadline)
        return self.display

    def _wait_for_a_client(self, deadline: float) -> None:
        """Return once a client connects to the display, as the app will."""
        while True:
            probe = subprocess.run(
                ["xwininfo", "-root", "-display", self.display],
                capture_output=True,
                timeout=10,
                check=False,
            )
            if probe.returncode == 0:
                return
            if time.monotonic() > deadline:
                self._fail(f"no client could connect to Xvfb's {self.display}: {probe.stderr!r}")
            time.sleep(0.1)

    def _fail(self, message: str) -> None:
        state = self.state()
        self.close()
        raise RuntimeError(f"{message}\n{state}")

    def state(self) -> str:
        """Whether Xvfb runs, and the end of what it wrote on stderr."""
        if self._process is None:
            return "Xvfb: not running"
        code = self._process.poll()
        self._log.seek(0)
        said = self._log.read().decode(errors="replace")[-2000:]
        running = "running" if code is None else f"exited with {code}"
        return f"Xvfb {self.display} (pid {self._process.pid}): {running}; its stderr:\n{said}"

    def close(self) -> None:
        if self._process is not None:
            end_process(self._process, grace_s=10)
            self._process = None
        self._log.close()


@dataclass(frozen=True, slots=True)
class Window:
    """A top-level window the X server shows, as ``xwininfo`` describes it."""

    window_id: str
    name: str
    width: int
    height: int
    viewable: bool


_TREE_LINE = re.compile(r'^\s*(0x[0-9a-f]+) "(.*)": \(.*\)\s+(\d+)x(\d+)[+-]')


def _windows(display: str) -> list[tuple[str, str]]:
    result = subprocess.run(
        ["xwininfo", "-root", "-children", "-display", display],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    found = []
    for line in result.stdout.splitlines():
        match = _TREE_LINE.match(line)
        if match:
            found.append((match[1], match[2]))
    return found


def _describe(display: str, window_id: str, name: str) -> Window | None:
    """The window's geometry and state; None when it was destroyed since it was listed."""
    result = subprocess.run(
        ["xwininfo", "-id", window_id, "-display", display],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    if result.returncode != 0:
        return None  # a window of the starting app that Qt replaced meanwhile: look again
    info = result.stdout

    def field(label: str) -> str:
        match = re.search(rf"^\s*{label}:\s*(.+)$", info, re.MULTILINE)
        return match[1].strip() if match else ""

    return Window(
        window_id=window_id,
        name=name,
        width=int(field("Width") or 0),
        height=int(field("Height") or 0),
        viewable=field("Map State") == "IsViewable",
    )


def find_window(display: str, name_part: str, timeout_s: float = 60.0) -> Window | None:
    """The first viewable top-level window whose name contains ``name_part`` (waits for it)."""
    deadline = time.monotonic() + timeout_s
    while True:
        for window_id, name in _windows(display):
            if name_part in name:
                window = _describe(display, window_id, name)
                if window is not None and window.viewable:
                    return window
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)
