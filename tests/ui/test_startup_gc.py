"""The garbage collector paused for the window's start (tiki_gui/startup_gc.py, issue 11 P1).

Each case in a fresh process: a frozen collector in the test process would keep the cycles of
every test after it."""

from __future__ import annotations

import json

import pytest
from child_processes import run_python, run_qt_driver
from keyring_service import IsolatedDirs

_SEMANTICS = """
import gc, json
from tiki_gui import startup_gc
seen = {}
frozen_at_start = gc.get_freeze_count()  # Python 3.12 freezes a few hundred objects itself
startup_gc.resume()  # never paused: nothing
seen["unpaused_resume"] = [gc.isenabled(), gc.get_freeze_count() - frozen_at_start]
startup_gc.pause()
seen["paused"] = gc.isenabled()
class Cycle:
    pass
def make_garbage():  # a cycle made while paused: freed once the collector runs again
    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
make_garbage()
seen["cycle_waits"] = sum(isinstance(o, Cycle) for o in gc.get_objects())
startup_gc.resume()
seen["resumed"] = [gc.isenabled(), gc.get_freeze_count() > frozen_at_start]
startup_gc.resume()  # once only
make_garbage()
gc.collect()
seen["collected_after"] = sum(isinstance(o, Cycle) for o in gc.get_objects())
gc.disable()  # the embedding program's choice: left as it is
startup_gc.pause()
startup_gc.resume()
seen["user_disabled"] = gc.isenabled()
print(json.dumps(seen))
"""


def test_pause_and_resume_in_a_fresh_process() -> None:
    result = run_python("-c", _SEMANTICS)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["unpaused_resume"] == [True, 0]  # whoever did not pause is left alone
    assert seen["paused"] is False
    assert seen["cycle_waits"] == 2  # only reference counts free objects meanwhile
    assert seen["resumed"] == [True, True]  # on again, what the start made frozen
    assert seen["collected_after"] == 0  # cycles made after the start are collected
    assert seen["user_disabled"] is False


_LAUNCHER = """
import gc, json, os, sys
seen = {"at_start": gc.isenabled()}
from tiki_gui import launcher, startup_gc
real_pause = startup_gc.pause
def pause():
    real_pause()
    import tiki_gui.app as app_module  # what the launcher imports next, collector paused
    real_launch = app_module.launch
    def launch(argv=None):
        session = real_launch(argv)
        seen["shown"] = gc.isenabled()
        def painted():
            seen["painted"] = gc.isenabled()
        def staged():  # connected after the launch's own: runs after it
            seen["staged"] = [gc.isenabled(), gc.get_freeze_count() > 10000]
            seen["pages_built"] = session.window.flow_view.pages_ready
            print(json.dumps(seen), flush=True)
            os._exit(0)
        session.window.painted.connect(painted)
        session.window.staged.connect(staged)
        return session
    app_module.launch = launch
startup_gc.pause = pause
sys.exit(launcher.main([]))
"""


@pytest.mark.slow
def test_the_launcher_starts_the_window_with_the_collector_paused_until_its_staged_start_ends(
    isolated_dirs: IsolatedDirs,
) -> None:
    seen = run_qt_driver(_LAUNCHER)
    assert seen["at_start"] is True
    assert seen["shown"] is False  # the imports and the window made without collections
    assert seen["painted"] is False  # and what is made after the paint
    assert seen["staged"] == [True, True]  # back on, the start's objects frozen
    assert seen["pages_built"] is True  # the flow view's hidden pages among them
