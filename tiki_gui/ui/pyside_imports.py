"""Every import after PySide6's, made cheaper: PySide6 no longer reads each module's source
through ``linecache`` to decide whether it uses PySide (issue 11).

PySide6 6.12 hooks every import (``shibokensupport.feature.feature_imported``) to note whether
the new module's source mentions ``PySide6`` (for ``from __feature__ import snake_case``). It asks
``inspect.getsource(module)``, which reads and splits the file into ``linecache``'s cache and
keeps it there for the life of the process. Measured on the 2-core build machine: ~20 ms of the
window's start before its first paint (210 modules) and ~43 ms by the time it is idle (440),
and 11.6 MB of source lines held in memory for nothing.

:func:`read_sources_raw` puts in its place the same question asked of the file's bytes, read once
and dropped: ``b"PySide6" in source`` for a module loaded from a ``.py`` file (its answer for
such a file is the same); anything else (built-in, extension, no file) still goes to PySide's
own check. Applied when this module is imported, first thing in :mod:`tiki_gui.app`; a PySide6
without that hook is left alone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

__all__ = ["read_sources_raw"]

_FEATURE_MODULE = "shibokensupport.feature"
_CHECK = "_mod_uses_pyside"
_PATCHED = "_tiki_gui_reads_raw"


def _raw_check(pyside_check: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return pyside_check(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return pyside_check(module)

    setattr(uses_pyside, _PATCHED, True)
    return uses_pyside


def read_sources_raw() -> bool:
    """Install the cheaper check (once); False if this PySide6 has no such hook."""
    import PySide6.QtCore  # noqa: F401 -- loads shibokensupport and its import hook

    feature = sys.modules.get(_FEATURE_MODULE)
    pyside_check = getattr(feature, _CHECK, None)
    if feature is None or not callable(pyside_check):
        return False
    if not getattr(pyside_check, _PATCHED, False):
        setattr(feature, _CHECK, _raw_check(pyside_check))
    return True


read_sources_raw()
