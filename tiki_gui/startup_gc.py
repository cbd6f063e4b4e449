"""Python's garbage collector paused while the window starts (issue 11, P1).

The start makes objects that live as long as the app: modules, classes, functions, the window's
wrappers (~22,000 before the first paint, more in the steps after it). Python's collector runs
every 700 new objects and scans the young ones each time, and the older ones now and then: ~40
collections before the first paint, ~10 ms of the start (measured with ``gc.callbacks``) spent
finding no garbage; and the first scan of the older ones after the start, ~7 ms, fell in the
first click on Authorize. The ``tiki-gui`` launcher pauses the collector before its first heavy
import (:func:`pause`); once the window has painted and made what it makes after the paint
(:attr:`~tiki_gui.ui.main_window.MainWindow.staged`), :func:`resume` moves everything made so
far to the collector's permanent generation (``gc.freeze``: never scanned again, as CPython's
documentation suggests for objects made at start-up) and turns it back on. Objects are still
freed by their reference counts meanwhile; only cycles wait. Whoever did not pause (the tests,
an app embedding tiki-gui) is left alone: :func:`resume` does nothing then.
"""

from __future__ import annotations

import gc

__all__ = ["pause", "resume"]

_paused = False


def pause() -> None:
    """Turn the collector off until :func:`resume`, if it is on."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what the start made and turn the collector back on, if :func:`pause` turned it
    off; otherwise nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
