"""Time from starting a command to its tiki-gui window shown on an X display.

    xvfb-run -a python3 packaging/start_time.py [--runs 5] -- COMMAND [ARG...]

Starts COMMAND, polls the X server's window tree (``xwininfo -root -tree``, Debian's
x11-utils) until a window whose title begins with "tiki-gui" is mapped, records the time, ends
the process it started (SIGTERM, the way the app quits on Ctrl+C), and prints the median of
``--runs`` runs as one JSON line. Standard library only, so it runs with any Python 3, outside
the project's environment. Each run gets a fresh temporary HOME and settings folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

WINDOW_TITLE = '"tiki-gui'
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 60.0


def _window_shown() -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, check=False
    ).stdout
    return WINDOW_TITLE in tree


def time_to_window(command: list[str]) -> float:
    with tempfile.TemporaryDirectory(prefix="tiki-gui-start-") as home:
        env = dict(os.environ, HOME=home, TIKI_GUI_CONFIG_DIR=os.path.join(home, "config"))
        errors_path = os.path.join(home, "stderr.txt")
        started = time.monotonic()
        with open(errors_path, "wb") as errors:
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            while not _window_shown():
                if process.poll() is not None:
                    with open(errors_path, "rb") as errors:
                        tail = errors.read()[-2000:].decode("utf-8", "replace")
                    raise EarlyExitError(
                        f"{command[0]} exited ({process.returncode}) before a window; "
                        f"its last words:\n{tail}"
                    )
                if time.monotonic() - started > TIMEOUT_SECONDS:
                    raise SystemExit(f"no tiki-gui window within {TIMEOUT_SECONDS:g} s")
                time.sleep(POLL_SECONDS)
            elapsed = time.monotonic() - started
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    return elapsed


class EarlyExitError(Exception):
    """The program ended before its window appeared."""


def timed_run(command: list[str], tries: int = 3) -> float:
    """One figure; a start that died is reported (with its stderr) and tried again, up to
    ``tries`` times in all, so one crash under load is seen in the log without losing the run."""
    for attempt in range(1, tries + 1):
        try:
            return time_to_window(command)
        except EarlyExitError as exc:
            print(f"start {attempt} of {tries} failed: {exc}", file=sys.stderr, flush=True)
    raise SystemExit(f"{command[0]} never showed its window in {tries} starts")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        raise SystemExit("no DISPLAY: run under xvfb-run -a (or on a desktop)")
    times = [timed_run(args.command) for _ in range(args.runs)]
    print(
        json.dumps(
            {
                "command": " ".join(args.command),
                "median_seconds": round(statistics.median(times), 2),
                "runs": [round(t, 2) for t in times],
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
