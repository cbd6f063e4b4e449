"""PySide6 imported, and every import after it made cheaper (issue 11): shiboken6's support code
comes compiled from tiki-gui's cache (:mod:`tiki_gui.ui.shiboken_support`), and PySide6's
``__feature__`` import hook is taken out of ``builtins.__import__``.

PySide6 6.12 chains two hooks in front of Python's import: ``__feature_import__`` (C), which calls
the Python function ``shibokensupport.feature.feature_import`` at **every** import statement run
(cached or not, ``from x import y`` in a function body included: a frame walk and a dict look-up)
and then, for each new module, ``feature_imported``, which reads the module's source to learn
whether it mentions ``PySide6``; and behind it ``__lazy_import__`` (C), which makes PySide6's
classes on first use and is kept. The first hook exists only for ``from __feature__ import
snake_case, true_property``, which tiki-gui never uses: PySide6's feature switching then runs
with no feature selected anywhere, and a module it has no verdict for is treated as selecting
none (PySide's ``getFeatureSelectId`` keeps the last selection, 0). Measured on the 2-core build
machine: ~10 ms of the window's start before its first paint, and the source of every module
read once more.

:func:`drop_feature_hook` puts ``builtins.__orig_import__`` (the lazy import) back as
``__import__``. Applied when this module is imported, first thing in :mod:`tiki_gui.app`; a
PySide6 with other hooks is left alone. After it, ``from __feature__ import ...`` selects
nothing.
"""

from __future__ import annotations

import builtins

from tiki_gui.storage.paths import cache_dir
from tiki_gui.ui.shiboken_support import import_pyside

__all__ = ["drop_feature_hook"]


def drop_feature_hook() -> bool:
    """Take PySide6's feature hook out of ``builtins.__import__``; False if it is not there."""
    import PySide6.QtCore  # noqa: F401 -- installs the hooks

    feature_import = getattr(builtins, "__feature_import__", None)
    behind = getattr(builtins, "__orig_import__", None)
    if feature_import is None or not callable(behind) or builtins.__import__ is not feature_import:
        return False
    builtins.__import__ = behind
    return True


import_pyside(cache_dir())
drop_feature_hook()
