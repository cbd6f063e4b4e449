"""Qt's C++ functions called through :mod:`ctypes` (Linux), where PySide6 costs time (issue 11).

Two reasons to bypass PySide6 for a call: its binding would first build Python objects the call
does not need (the ``Qt`` namespace's enums, :mod:`tiki_gui.ui.shared.enum_free`), or it keeps
Python's GIL while the call waits (Chromium's start, :mod:`tiki_gui.webengine.startup`), where a
:mod:`ctypes` call releases it. :func:`qt_function` uses only libraries already loaded
(``RTLD_NOLOAD``: by PySide6, or by :func:`load_qt_library`, with which QtWebEngine's pre-warm
and Chromium's start load its libraries ahead of its PySide6 modules), by their Itanium C++ ABI
names; anywhere else, or if a name is not found, it answers None and the caller uses PySide6.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path
from typing import Any

_log = logging.getLogger(__name__)

__all__ = ["load_qt_library", "qt_function", "qt_library_folder"]


def qt_function(library: str, symbol: str, arguments: tuple[str, ...], result: str | None) -> Any:
    """A C++ function of one of Qt's libraries PySide6 has loaded (Linux), its argument and
    result types named as in :mod:`ctypes`; None elsewhere or if it cannot be found."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        loaded = ctypes.CDLL(library, mode=os.RTLD_NOLOAD)  # never loads anything itself
        function = getattr(loaded, symbol)
    except (OSError, AttributeError):
        return None
    function.argtypes = [getattr(ctypes, name) for name in arguments]
    function.restype = None if result is None else getattr(ctypes, result)
    return function


@functools.cache
def qt_library_folder() -> Path | None:
    """The folder of the Qt libraries PySide6 runs on (Linux); None elsewhere or if Qt does not
    say. Asked of Qt once (``QLibraryInfo``: PySide6 makes its class and enums at first use)."""
    if not sys.platform.startswith("linux"):
        return None
    from PySide6.QtCore import QLibraryInfo

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath)
    return Path(folder) if folder and os.path.isdir(folder) else None


def load_qt_library(name: str) -> bool:
    """Load Qt's library ``name`` (and the libraries it needs) through :mod:`ctypes`, as the
    import of its PySide6 module later would, Python's GIL released meanwhile (Linux); False
    where it is not in :func:`qt_library_folder` or does not load (the import will say why)."""
    folder = qt_library_folder()
    if folder is None or not (folder / name).is_file():
        return False
    import ctypes

    try:
        ctypes.CDLL(str(folder / name))
    except OSError as exc:
        _log.debug("could not load %s ahead: %s", name, exc)
        return False
    return True
