"""Chromium started with Python's GIL released, so another thread imports meanwhile (issue 11).

QtWebEngine starts Chromium when the first profile of the process is made: it launches its zygote
helper processes (``QtWebEngineProcess``) and waits for them to answer, ~30 ms in which the GUI
thread does nothing (most of the ~40 ms a first profile costs). PySide6 keeps the GIL for the
whole call, so no Python runs anywhere meanwhile. :func:`start_chromium` makes that first profile
through :mod:`ctypes` instead, which releases the GIL for a foreign call (Qt's
``QWebEngineProfileBuilder::createOffTheRecordProfile()``: the flow's own off-the-record profile,
which the caller gets), and the Python that would otherwise precede or follow it on the GUI thread
runs on a thread of this module's during the wait: the ``modules`` given, QtWebEngine's PySide6
bindings first (~6 ms of class creation after their libraries are loaded) and then the consent
browser's own modules. The libraries themselves (QtWebEngineWidgets' and QtWebEngineCore's, ~20
ms of the dynamic linker's work) are loaded on the GUI thread through :mod:`ctypes` too, the GIL
released, before Chromium starts: their static initializers run on the thread that uses Qt.

Where Qt's function or libraries cannot be had so (not Linux, an older Qt, a name not found), the
profile is made through PySide6: Chromium starts as it would anyway, after the imports.

**One zygote, not two.** On Linux Chromium starts two zygotes at its start: the sandboxed one that
forks every renderer, and an unsandboxed one for helpers that apply their own sandbox once
running (an out-of-process GPU, network or audio service). QtWebEngine runs the GPU and the
network service inside the browser process, so a consent page never uses the second: it cost
~50 MB, and its start competed with the first one's for the CPU (the cold click's page 10-20 ms
later on 2 cores, measured). :func:`spare_unsandboxed_zygote` gives Chromium its own
``--no-unsandboxed-zygote`` switch before the first profile; a helper that would have come from
that zygote is started by Chromium directly instead. Renderers are untouched: they still come from
the sandboxed zygote, with Chromium's sandbox as users have it.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, MutableMapping
from typing import TYPE_CHECKING, cast

from tiki_gui.qt_native import load_qt_library, qt_function
from tiki_gui.webengine.network import CHROMIUM_FLAGS_ENV

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEngineProfile

__all__ = [
    "NO_UNSANDBOXED_ZYGOTE",
    "chromium_started",
    "spare_unsandboxed_zygote",
    "start_chromium",
]

_log = logging.getLogger(__name__)

_OFF_THE_RECORD = "_ZN24QWebEngineProfileBuilder25createOffTheRecordProfileEP7QObject"
"""``QWebEngineProfileBuilder::createOffTheRecordProfile(QObject *parent)`` (static, Qt 6.9+)."""

_WIDGETS_LIBRARY = "libQt6WebEngineWidgets.so.6"
"""QtWebEngineWidgets' library, which loads QtWebEngineCore's and the others it needs."""

NO_UNSANDBOXED_ZYGOTE = "--no-unsandboxed-zygote"

_started = False


def spare_unsandboxed_zygote(
    environ: MutableMapping[str, str] | None = None, platform: str = sys.platform
) -> bool:
    """On Linux, add :data:`NO_UNSANDBOXED_ZYGOTE` to Chromium's switches (call before the first
    profile is made; the user's own switches are kept). True when it was added."""
    env = os.environ if environ is None else environ
    flags = env.get(CHROMIUM_FLAGS_ENV, "").split()
    if not platform.startswith("linux") or NO_UNSANDBOXED_ZYGOTE in flags:
        return False
    env[CHROMIUM_FLAGS_ENV] = " ".join([*flags, NO_UNSANDBOXED_ZYGOTE])
    return True


def chromium_started() -> bool:
    """True once :func:`start_chromium` has run in this process."""
    return _started


def start_chromium(modules: Iterable[str] = ()) -> QWebEngineProfile | None:
    """Start Chromium, importing ``modules`` while it does (see the module docstring). Returns
    the new off-the-record profile that started it (parentless: the caller's to parent or
    delete), or None, having done nothing, if Chromium was started already.

    An import that fails on the thread is left to the caller's own import, which raises it."""
    global _started
    if _started:
        return None
    _started = True
    libraries = threading.Event()  # set once Qt's libraries are loaded (or will not be here)
    importer = threading.Thread(
        target=_import, args=(list(modules), libraries), name="chromium imports"
    )
    importer.start()
    try:
        create = _profile_maker()  # Qt's libraries loaded, the GIL released meanwhile
    finally:
        libraries.set()
    address = _off_the_record_profile(create)
    importer.join()
    from PySide6.QtWebEngineCore import QWebEngineProfile

    if not address:
        return QWebEngineProfile()
    import shiboken6

    # A wrapper that does not own the C++ profile: its parent or deleteLater() ends it.
    return cast(QWebEngineProfile, shiboken6.wrapInstance(address, QWebEngineProfile))


def _off_the_record_profile(create: Callable[[object], int | None] | None) -> int | None:
    """The C++ profile's address, or None; Chromium starts (the GIL released for the call)."""
    return create(None) if create is not None else None


def _profile_maker() -> Callable[[object], int | None] | None:
    """Qt's function making the first profile, its libraries loaded through :mod:`ctypes` (the
    GIL released; the importer waits for them); None where it cannot be had so."""
    if not load_qt_library(_WIDGETS_LIBRARY):  # QtWebEngineCore's with it, the largest by far
        return None
    return cast(
        "Callable[[object], int | None] | None",
        qt_function("libQt6WebEngineCore.so.6", _OFF_THE_RECORD, ("c_void_p",), "c_void_p"),
    )


def _import(names: list[str], libraries: threading.Event) -> None:
    # Till then the GUI thread holds the dynamic loader's lock: an import would wait for it
    # holding the GIL, which the other threads need.
    libraries.wait()
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the GUI thread's import of it raises it again, to its caller
            _log.debug("could not import %s while Chromium started", name, exc_info=True)
            return
