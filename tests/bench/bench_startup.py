"""Start-up and memory figures for tiki-gui, printed as a table (not a test: nothing asserts).

    uv run python tests/bench/bench_startup.py [--runs 7]

Each case runs in a fresh process, offscreen, and measures wall time from interpreter start to
the first event-loop tick after the window is shown (the form is interactive then), plus the
process's peak RSS. Cases:

- ``bare window``: a QMainWindow with one line edit, the floor any Qt app pays;
- ``tiki-gui form``: the real app window (``tiki_gui.app.launch``), QtWebEngine not loaded;
- ``tiki-gui form + WebEngine``: the same, with QtWebEngine imported and a consent browser
  created before the first tick, i.e. what eager loading would cost;
- ``tiki-gui token --help`` and ``python -m tiki_gui.sandbox`` (to its first line of output).

Targets (from the measured notes in shared/QT-WEBENGINE.md): the form within 1.4x of the bare
window, and ``token`` well under a second apart from keyring's own import.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PRELUDE = """
import os, resource, sys, time
t0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --log-level=3")
if os.geteuid() == 0:
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
from tiki_gui.refcounts import keep_singletons_alive
keep_singletons_alive()
"""

_REPORT = """
def _report():
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{time.time() - t0:.4f} {rss_mb:.1f}", flush=True)
    os._exit(0)
QTimer.singleShot(0, _report)
"""

CASES: dict[str, str] = {
    "bare window": _PRELUDE
    + """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLineEdit()); window.show()
"""
    + _REPORT
    + "app.exec()\n",
    "tiki-gui form": _PRELUDE
    + """
from PySide6.QtCore import QTimer
from tiki_gui.app import _application, launch
session = launch([])
app = _application()
"""
    + _REPORT
    + "app.exec()\n",
    "tiki-gui form + WebEngine": _PRELUDE
    + """
from PySide6.QtCore import QTimer
from tiki_gui.app import _application, launch
session = launch([])
app = _application()
from tiki_gui import webengine
browser = webengine.ConsentBrowser()
browser.show()
"""
    + _REPORT
    + "app.exec()\n",
}


def _time_case(script: str) -> tuple[float, float]:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script, repr(started)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    wall, rss = result.stdout.split()
    return float(wall), float(rss)


def _time_command(command: list[str], *, first_line: bool = False) -> float:
    started = time.perf_counter()
    if first_line:
        with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            process.stdout.readline()
            elapsed = time.perf_counter() - started
            process.terminate()
        return elapsed
    subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    print(f"median of {runs} runs, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'case':<28} {'wall s':>8} {'ratio':>7} {'peak RSS MB':>12}")
    floor = 0.0
    for name, script in CASES.items():
        samples = [_time_case(script) for _ in range(runs)]
        wall = statistics.median(s[0] for s in samples)
        rss = statistics.median(s[1] for s in samples)
        floor = floor or wall
        print(f"{name:<28} {wall:>8.3f} {wall / floor:>6.2f}x {rss:>12.1f}")

    token = [sys.executable, "-m", "tiki_gui", "token", "--help"]
    wall = statistics.median(_time_command(token) for _ in range(runs))
    print(f"{'tiki-gui token --help':<28} {wall:>8.3f}")
    sandbox = [sys.executable, "-m", "tiki_gui.sandbox", "--port", "0", "--quiet"]
    wall = statistics.median(_time_command(sandbox, first_line=True) for _ in range(runs))
    print(f"{'sandbox to its base URL':<28} {wall:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
