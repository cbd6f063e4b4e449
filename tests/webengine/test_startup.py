"""Chromium starts with the GIL released: the consent browser's modules (QtWebEngine's bindings
first) are imported on a thread while the GUI thread waits for Chromium's helpers
(tiki_gui/webengine/startup.py, issue 11 P2). Each case in a fresh process: Chromium starts once
per process."""

from __future__ import annotations

import sys

import pytest
from child_processes import run_qt_driver

from tiki_gui.webengine.startup import NO_UNSANDBOXED_ZYGOTE, spare_unsandboxed_zygote

_DRIVER = """
import json, os, sys, tempfile, threading, time
from pathlib import Path
from tiki_gui.ui.shared.enum_free import share_opengl_contexts
share_opengl_contexts()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tiki_gui.webengine import startup
if sys.argv[1] == "fallback":
    startup.qt_function = lambda *_args: None  # as where Qt's function cannot be called
main = threading.main_thread().ident

def main_is_waiting():
    # Where the GUI thread is, seen from another thread: inside the call that starts Chromium,
    # if the GIL was released for it; anywhere else (after it) if not.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(main)
        if frame is not None and frame.f_code.co_name == "_off_the_record_profile":
            return True
        if frame is not None and frame.f_code.co_name in ("join", "_wait_for_tstate_lock"):
            return False  # the call is over
        time.sleep(0.0005)
    return False

folder = Path(tempfile.mkdtemp())
(folder / "imported_while_waiting.py").write_text(
    "import threading\\n"
    "THREAD = threading.current_thread().name\\n"
    "from __main__ import main_is_waiting\\n"
    "WAITING = main_is_waiting()\\n"
)
(folder / "before_the_bindings.py").write_text(
    "import sys\\nLOADED = 'PySide6.QtWebEngineCore' in sys.modules\\n"
)
sys.path.insert(0, str(folder))
seen = {}
profile = startup.start_chromium(
    ["before_the_bindings", "PySide6.QtWebEngineWidgets", "imported_while_waiting"]
)
import before_the_bindings
import imported_while_waiting as module

def zygotes():
    found = []
    for task in os.listdir("/proc/self/task"):
        for pid in open(f"/proc/self/task/{task}/children").read().split():
            try:
                found.append(open(f"/proc/{pid}/cmdline", "rb").read().split(b"\\0")[0])
            except OSError:
                pass
    return [name for name in found if name.endswith(b"QtWebEngineProcess")]

seen.update(
    imported_on=module.THREAD,
    bindings_by_the_gui_thread=before_the_bindings.LOADED,
    import_saw_waiting=module.WAITING,
    off_the_record=profile.isOffTheRecord(),
    parentless=profile.parent() is None,
    helpers=len(zygotes()),
    again=startup.start_chromium(["imported_while_waiting"]),
    started=startup.chromium_started(),
)
print(json.dumps(seen), flush=True)  # os._exit flushes nothing
os._exit(0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's C++ name is Linux's")
def test_the_threads_run_while_chromium_starts() -> None:
    seen = run_qt_driver(_DRIVER, "direct")
    assert seen["import_saw_waiting"] is True  # imported during the wait, not after it
    assert seen["imported_on"] == "chromium imports"
    assert seen["bindings_by_the_gui_thread"] is False  # QtWebEngine's bindings: on the thread
    assert seen["off_the_record"] is True
    assert seen["parentless"] is True  # the caller's to parent (the browser adopts it)
    assert seen["helpers"] >= 1  # Chromium's zygote runs
    assert seen["again"] is None
    assert seen["started"] is True


def test_without_the_direct_call_chromium_still_starts() -> None:
    # (Through PySide6 the threads mostly wait: it keeps the GIL, though not always throughout.)
    seen = run_qt_driver(_DRIVER, "fallback")
    assert seen["imported_on"] == "chromium imports"
    assert seen["off_the_record"] is True
    assert seen["parentless"] is True
    assert seen["helpers"] >= 1
    assert seen["again"] is None


def test_chromium_is_told_to_spare_its_unsandboxed_zygote_on_linux() -> None:
    env = {"QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu  --log-level=3"}
    assert spare_unsandboxed_zygote(env, platform="linux") is True
    assert env == {
        "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu --log-level=3 " + NO_UNSANDBOXED_ZYGOTE
    }
    assert spare_unsandboxed_zygote(env, platform="linux") is False  # once only
    assert env["QTWEBENGINE_CHROMIUM_FLAGS"].count(NO_UNSANDBOXED_ZYGOTE) == 1
    empty: dict[str, str] = {}
    assert spare_unsandboxed_zygote(empty, platform="linux") is True
    assert empty == {"QTWEBENGINE_CHROMIUM_FLAGS": NO_UNSANDBOXED_ZYGOTE}


def test_no_zygote_switch_where_chromium_has_no_zygotes() -> None:
    for platform in ("win32", "darwin"):
        env: dict[str, str] = {}
        assert spare_unsandboxed_zygote(env, platform=platform) is False
        assert env == {}
