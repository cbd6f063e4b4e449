"""Chromium started with Python's GIL released, so other threads run while it starts (issue 11).

QtWebEngine starts Chromium when the first profile of the process is made: it launches its zygote
helper processes (``QtWebEngineProcess``) and waits for them to answer, ~30 ms in which the GUI
thread does nothing (most of the ~40 ms a first profile costs). PySide6 keeps the GIL for the
whole call, so no Python runs anywhere meanwhile. :func:`start_chromium` makes that first profile
through :mod:`ctypes` instead, which releases the GIL for a foreign call (Qt's
``QWebEngineProfileBuilder::createOffTheRecordProfile()``: the flow's own off-the-record profile,
which the caller gets), and the Python that would otherwise follow on the GUI thread runs on other
threads during the wait:

- ``modules``: imported on a thread of this function's (the consent browser's own modules:
  PySide6 class creation is GIL-bound Python, ~5 ms);
- ``meanwhile``: called on the GUI thread right before the wait, to start a thread's work of the
  caller's (the window's token endpoint check probes the network then).

Where Qt's function cannot be called directly (not Linux, an older Qt, a name not found), the
profile is made through PySide6: Chromium starts as it would anyway, and the threads wait for it.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import cast

from PySide6.QtWebEngineCore import QWebEngineProfile

from tiki_gui.qt_native import qt_function

__all__ = ["chromium_started", "start_chromium"]

_log = logging.getLogger(__name__)

_OFF_THE_RECORD = "_ZN24QWebEngineProfileBuilder25createOffTheRecordProfileEP7QObject"
"""``QWebEngineProfileBuilder::createOffTheRecordProfile(QObject *parent)`` (static, Qt 6.9+)."""

_started = False


def chromium_started() -> bool:
    """True once :func:`start_chromium` has run in this process."""
    return _started


def start_chromium(
    modules: Iterable[str] = (), meanwhile: Callable[[], None] | None = None
) -> QWebEngineProfile | None:
    """Start Chromium, importing ``modules`` and running what ``meanwhile`` starts while it does
    (see the module docstring). Returns the new off-the-record profile that started it
    (parentless: the caller's to parent or delete), or None, having done nothing, if Chromium was
    started already.

    An import that fails on the thread is left to the caller's own import, which raises it."""
    global _started
    if _started:
        return None
    _started = True
    importer = threading.Thread(target=_import, args=(list(modules),), name="chromium imports")
    importer.start()
    if meanwhile is not None:
        meanwhile()
    profile = _off_the_record_profile()
    importer.join()
    return profile


def _off_the_record_profile() -> QWebEngineProfile:
    create = qt_function("libQt6WebEngineCore.so.6", _OFF_THE_RECORD, ("c_void_p",), "c_void_p")
    if create is None:
        return QWebEngineProfile()
    import shiboken6

    address = create(None)  # the GIL is released for the call: the threads run meanwhile
    if not address:
        return QWebEngineProfile()
    # A wrapper that does not own the C++ profile: its parent or deleteLater() ends it.
    return cast(QWebEngineProfile, shiboken6.wrapInstance(address, QWebEngineProfile))


def _import(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the GUI thread's import of it raises it again, to its caller
            _log.debug("could not import %s while Chromium started", name, exc_info=True)
            return
