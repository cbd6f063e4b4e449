"""Keep ``None``, ``True`` and ``False`` alive despite PySide6 6.12.0's reference-count bugs.

Measured on Python 3.11 with PySide6 6.12.0: ``SignalInstance.emit()`` gives back a reference to
``True`` that it never took (one per emit); each ``QTimer.singleShot(ms, functor)`` that fires
loses one to ``None``; each QtWebEngine page load loses one to ``True`` and two to ``None``, each
``runJavaScript`` callback two to ``None``. Below Python 3.12 these singletons are ordinary objects,
so after some thousands of signals the interpreter aborts with "bool_dealloc: deallocating True or
False". Python 3.12 makes them immortal by giving them a huge reference count; this does the same
on older interpreters. ``tests/test_refcounts.py`` shows the crash without it.

Qt-free on purpose: it must run before anything emits a signal, in the app and in the test suite.
"""

from __future__ import annotations

import sys

_IMMORTAL_BOOST = 1 << 40


def keep_singletons_alive() -> None:
    """Give ``None``, ``True`` and ``False`` a reference count no Qt bug can wear down.

    Does nothing on Python 3.12+ (already immortal) or on interpreters other than CPython.
    Idempotent in practice: each call adds 2**40, far from overflowing a 64-bit count.
    """
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    import ctypes  # only here: ~1.5 ms of the start where nothing needs it (issue 11)

    for singleton in (None, True, False):
        if sys.getrefcount(singleton) >= _IMMORTAL_BOOST:
            continue
        ctypes.c_ssize_t.from_address(id(singleton)).value += _IMMORTAL_BOOST
