"""Before Qt starts: are the system libraries it needs there? If not, say which packages to install.

On Linux, PySide6's wheels bring Qt but not the system libraries Qt links against. When one is
missing, Qt either fails at ``import PySide6.QtWidgets`` with a bare ``ImportError``, or, worse,
aborts the process when the window system plugin cannot load ("xcb-cursor0 or libxcb-cursor0 is
needed to load the Qt xcb platform plugin", then ``Aborted``). :func:`problem` looks for each
library Qt will need and, when some are missing, returns a plain-words message naming the
Debian/Ubuntu packages to install. It is on the start-up path, so it is cheap (under a
millisecond, no subprocess): a library file in the system's usual folders counts as there; only
one that is not is asked of the dynamic linker (``dlopen`` through :mod:`ctypes`), so a library
installed elsewhere is never reported missing.

Which window system: Qt's own choice, from ``QT_QPA_PLATFORM`` (a ``;``-separated list tried in
order, ``name:options``), else Wayland then X11 in a Wayland session (``XDG_SESSION_TYPE``), else
X11. Other platforms (``offscreen``, ...) need only the common libraries.

Qt-free: imported by the launcher before anything of Qt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

__all__ = [
    "BROWSER",
    "COMMON",
    "EXIT_MISSING_LIBRARIES",
    "PLATFORM_LIBRARIES",
    "Library",
    "library_folders",
    "loads",
    "missing_libraries",
    "platforms_to_try",
    "problem",
]

EXIT_MISSING_LIBRARIES = 69
"""Exit status of ``tiki-gui`` when system libraries are missing (sysexits' EX_UNAVAILABLE)."""


class Library(NamedTuple):  # not a dataclass: this check runs before the app imports one
    """A shared library by its soname, and the Debian/Ubuntu package that ships it."""

    soname: str
    package: str


def _libraries(pairs: str) -> tuple[Library, ...]:
    return tuple(Library(*line.split()) for line in pairs.strip().splitlines())


COMMON = _libraries(
    """
    libGL.so.1 libgl1
    libEGL.so.1 libegl1
    libX11.so.6 libx11-6
    libxkbcommon.so.0 libxkbcommon0
    libfontconfig.so.1 libfontconfig1
    libfreetype.so.6 libfreetype6
    libglib-2.0.so.0 libglib2.0-0
    libgthread-2.0.so.0 libglib2.0-0
    libdbus-1.so.3 libdbus-1-3
    """
)
"""What Qt's core, GUI and widgets libraries link against, whatever the window system."""

BROWSER = _libraries(
    """
    libnss3.so libnss3
    libnssutil3.so libnss3
    libsmime3.so libnss3
    libnspr4.so libnspr4
    libgbm.so.1 libgbm1
    libxcb-dri3.so.0 libxcb-dri3-0
    libXcomposite.so.1 libxcomposite1
    libXdamage.so.1 libxdamage1
    libXext.so.6 libxext6
    libXfixes.so.3 libxfixes3
    libXrandr.so.2 libxrandr2
    libXtst.so.6 libxtst6
    libxkbfile.so.1 libxkbfile1
    libexpat.so.1 libexpat1
    libasound.so.2 libasound2
    libudev.so.1 libudev1
    libgssapi_krb5.so.2 libgssapi-krb5-2
    """
)
"""What QtWebEngine (the embedded browser, loaded at the first Authorize) links against."""

PLATFORM_LIBRARIES: Mapping[str, tuple[Library, ...]] = {
    # Qt's xcb plugin (libqxcb.so and libQt6XcbQpa): Qt 6.5+ needs libxcb-cursor0.
    "xcb": _libraries(
        """
        libxcb.so.1 libxcb1
        libX11-xcb.so.1 libx11-xcb1
        libxcb-cursor.so.0 libxcb-cursor0
        libxcb-icccm.so.4 libxcb-icccm4
        libxcb-image.so.0 libxcb-image0
        libxcb-keysyms.so.1 libxcb-keysyms1
        libxcb-randr.so.0 libxcb-randr0
        libxcb-render.so.0 libxcb-render0
        libxcb-render-util.so.0 libxcb-render-util0
        libxcb-shape.so.0 libxcb-shape0
        libxcb-shm.so.0 libxcb-shm0
        libxcb-sync.so.1 libxcb-sync1
        libxcb-util.so.1 libxcb-util1
        libxcb-xfixes.so.0 libxcb-xfixes0
        libxcb-xkb.so.1 libxcb-xkb1
        libxkbcommon-x11.so.0 libxkbcommon-x11-0
        """
    ),
    # Qt's wayland plugin and its EGL integration.
    "wayland": _libraries(
        """
        libwayland-client.so.0 libwayland-client0
        libwayland-cursor.so.0 libwayland-cursor0
        libwayland-egl.so.1 libwayland-egl1
        """
    ),
}
_WINDOW_SYSTEM_NAMES = {"xcb": "X11", "wayland": "Wayland"}


def library_folders() -> tuple[str, ...]:
    """Where the dynamic linker looks first: a bundle's own folders (PyInstaller puts the
    libraries it collected there, found through their run paths), ``LD_LIBRARY_PATH``, then the
    system's folders."""
    multiarch = str(getattr(sys.implementation, "_multiarch", ""))  # x86_64-linux-gnu
    folders: list[str] = []
    bundle = getattr(sys, "_MEIPASS", None) if getattr(sys, "frozen", False) else None
    if isinstance(bundle, str):
        folders += [bundle, os.path.join(bundle, "PySide6", "Qt", "lib")]
    folders += os.environ.get("LD_LIBRARY_PATH", "").split(":")
    for base in ("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib"):
        folders += [os.path.join(base, multiarch), base] if multiarch else [base]
    return tuple(folder for folder in folders if folder)


def loads(soname: str) -> bool:
    """Whether the dynamic linker can load ``soname``.

    Fast path: the file is in one of the system's usual library folders (a ``stat``, nothing
    loaded). Otherwise the dynamic linker is asked (``dlopen``), so a library installed
    elsewhere is never reported missing."""
    if any(os.path.exists(os.path.join(folder, soname)) for folder in library_folders()):
        return True
    import ctypes  # only now: importing it costs more than the whole fast path

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def platforms_to_try(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The Qt platform plugins Qt will try, in order, as Qt itself decides."""
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        names = (entry.split(":", 1)[0].strip() for entry in requested.split(";"))
        return tuple(name for name in names if name)
    if environ.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return ("wayland", "xcb")
    return ("xcb",)


def missing_libraries(
    libraries: Sequence[Library], can_load: Callable[[str], bool] = loads
) -> tuple[Library, ...]:
    """The ``libraries`` that cannot be loaded."""
    return tuple(library for library in libraries if not can_load(library.soname))


def _window_system_gap(
    candidates: Sequence[str], can_load: Callable[[str], bool]
) -> tuple[str, tuple[Library, ...]]:
    """("", ()) when one of the ``candidates`` can load, else the first one and what it lacks."""
    first: tuple[str, tuple[Library, ...]] | None = None
    for name in candidates:
        needed = PLATFORM_LIBRARIES.get(name)
        if needed is None:
            return "", ()  # another plugin (offscreen, vnc, ...): the common libraries only
        lacking = missing_libraries(needed, can_load)
        if not lacking:
            return "", ()  # Qt will use this one
        first = first or (name, lacking)
    return first or ("", ())


def problem(
    environ: Mapping[str, str] | None = None,
    *,
    platform: str = sys.platform,
    can_load: Callable[[str], bool] = loads,
) -> str | None:
    """``None`` when Qt can start, else what to install, in words (Linux only)."""
    if not platform.startswith("linux"):
        return None  # Qt's wheels bring everything they need on macOS and Windows
    env = os.environ if environ is None else environ
    missing = missing_libraries(COMMON + BROWSER, can_load)
    window_system, lacking = _window_system_gap(platforms_to_try(env), can_load)
    missing += lacking
    if not missing:
        return None
    packages = sorted({library.package for library in missing})
    sonames = ", ".join(library.soname for library in missing)
    where = f" for {_WINDOW_SYSTEM_NAMES[window_system]}" if window_system else ""
    return (
        f"tiki-gui cannot start: system libraries that Qt needs{where} are missing "
        f"({sonames}).\n"
        f"On Debian or Ubuntu, install them with:\n\n"
        f"    sudo apt install {' '.join(packages)}\n\n"
        "(On Ubuntu 24.04 and later some of these packages end in 't64', e.g. libasound2t64.) "
        "The README lists every package the app needs."
    )
