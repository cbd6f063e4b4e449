"""tiki_gui.storage.locks across threads and processes, on every platform (the release workflow
runs these on Windows and macOS too): no keyring, no Qt."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tiki_gui.storage import locks
from tiki_gui.storage.errors import LockTimeoutError

ROOT = Path(__file__).resolve().parents[2]

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from tiki_gui.storage import locks
    with locks.held("test-service", "Shop", "seller:7", timeout=10):
        print("held", flush=True)
        sys.stdin.readline()  # hold until the test says so
    print("released", flush=True)
    """
)


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "runtime"
    monkeypatch.setenv("TIKI_GUI_RUNTIME_DIR", str(folder))
    return folder


def test_reentrant_in_one_thread(runtime: Path) -> None:
    with locks.held("svc", "p", timeout=1), locks.held("svc", "p", timeout=1):
        assert locks.lock_path("svc", "p").exists()


def test_lock_file_name_reveals_nothing(runtime: Path) -> None:
    path = locks.lock_path("tiki-gui", "My Shop", "seller:42")
    assert path.parent == runtime / "locks"
    assert "Shop" not in path.name
    assert len(path.stem) == 32  # a SHA-256 prefix, nothing of the key
    with locks.held("tiki-gui", "My Shop", "seller:42", timeout=1):
        if os.name == "posix":
            assert path.stat().st_mode & 0o077 == 0
            assert (runtime / "locks").stat().st_mode & 0o077 == 0


def test_a_second_thread_waits_for_the_first(runtime: Path) -> None:
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with locks.held("svc", "shared", timeout=5):
            inside.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(5)
    with locks.held("svc", "shared", timeout=5):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_another_process_holding_the_lock_makes_this_one_time_out_then_succeed(
    runtime: Path,
) -> None:
    env = dict(os.environ, TIKI_GUI_RUNTIME_DIR=str(runtime), PYTHONPATH=str(ROOT))
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdin is not None
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with (
            pytest.raises(LockTimeoutError) as caught,
            locks.held("test-service", "Shop", "seller:7", timeout=0.3),
        ):
            pytest.fail("got a lock another process holds")
        assert time.monotonic() - started >= 0.25
        assert "Shop" not in str(caught.value)
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        with locks.held("test-service", "Shop", "seller:7", timeout=5):
            pass
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    assert holder.returncode == 0


def test_a_timed_out_wait_leaves_the_lock_usable_in_this_process(runtime: Path) -> None:
    held_elsewhere = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with locks.held("svc", "k", timeout=5):
            held_elsewhere.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held_elsewhere.wait(5)
    with pytest.raises(LockTimeoutError), locks.held("svc", "k", timeout=0.1):
        pass
    release.set()
    thread.join()
    with locks.held("svc", "k", timeout=1):
        pass
