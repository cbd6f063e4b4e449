"""tiki_gui/platform_check.py: a missing system library is named, with its package, before Qt
could abort; and a real run of ``tiki-gui`` on a machine where libxcb-cursor0 is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tiki_gui.platform_check import (
    BROWSER,
    COMMON,
    EXIT_MISSING_LIBRARIES,
    PLATFORM_LIBRARIES,
    Library,
    library_folders,
    loads,
    missing_libraries,
    platforms_to_try,
    problem,
)

ROOT = Path(__file__).resolve().parents[1]
ABSENT = Library("libtiki-gui-absent.so.0", "tiki-gui-absent0")
EVERY_LIBRARY = COMMON + BROWSER + PLATFORM_LIBRARIES["xcb"] + PLATFORM_LIBRARIES["wayland"]


def _debian_packages(name: str) -> set[str]:
    lines = (ROOT / ".ci" / name).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _all_but(*sonames: str) -> Callable[[str], bool]:
    return lambda soname: soname not in sonames and loads(soname)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ("xcb",)),
        ({"XDG_SESSION_TYPE": "x11"}, ("xcb",)),
        ({"XDG_SESSION_TYPE": "wayland"}, ("wayland", "xcb")),
        ({"QT_QPA_PLATFORM": "offscreen"}, ("offscreen",)),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "XDG_SESSION_TYPE": "x11"}, ("wayland", "xcb")),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, ("xcb",)),
    ],
)
def test_the_platforms_are_the_ones_qt_tries(
    environ: dict[str, str], expected: tuple[str, ...]
) -> None:
    assert platforms_to_try(environ) == expected


def test_the_readme_package_list_has_every_library_the_check_needs() -> None:
    listed = _debian_packages("debian-packages.txt")
    assert {library.package for library in EVERY_LIBRARY} - listed == set()


@pytest.mark.parametrize("platform", ["xcb", "wayland", "offscreen"])
def test_this_machine_has_everything(platform: str) -> None:
    # .ci/run installs .ci/debian-packages.txt: nothing may be missing for X11 or Wayland.
    assert missing_libraries(EVERY_LIBRARY) == ()
    assert problem({"QT_QPA_PLATFORM": platform}) is None


def test_a_library_that_is_not_there_is_found_missing() -> None:
    assert loads("libc.so.6")
    assert not loads(ABSENT.soname)
    assert missing_libraries([COMMON[0], ABSENT]) == (ABSENT,)


def test_a_missing_x11_library_is_named_with_its_package() -> None:
    message = problem({}, can_load=_all_but("libxcb-cursor.so.0"))
    assert message is not None
    assert "for X11" in message
    assert "libxcb-cursor.so.0" in message
    assert "sudo apt install libxcb-cursor0\n" in message


def test_each_package_is_named_once() -> None:
    message = problem(
        {"QT_QPA_PLATFORM": "xcb"},
        can_load=_all_but("libnss3.so", "libsmime3.so", "libxcb-icccm.so.4"),
    )
    assert message is not None
    assert "sudo apt install libnss3 libxcb-icccm4\n" in message


def test_a_wayland_session_falls_back_to_x11_like_qt() -> None:
    wayland = {"XDG_SESSION_TYPE": "wayland"}
    no_wayland = _all_but(*(library.soname for library in PLATFORM_LIBRARIES["wayland"]))
    assert problem(wayland, can_load=no_wayland) is None
    neither = _all_but("libwayland-client.so.0", "libxcb-keysyms.so.1")
    message = problem(wayland, can_load=neither)
    assert message is not None
    assert "for Wayland" in message  # Qt's first choice
    assert "libwayland-client0" in message


def test_offscreen_needs_no_window_system_but_qt_itself() -> None:
    offscreen = {"QT_QPA_PLATFORM": "offscreen"}
    assert problem(offscreen, can_load=_all_but("libxcb-cursor.so.0")) is None
    message = problem(offscreen, can_load=_all_but("libGL.so.1"))
    assert message is not None
    assert "sudo apt install libgl1\n" in message


def test_other_systems_are_not_checked() -> None:
    assert problem({}, platform="darwin", can_load=lambda soname: False) is None
    assert problem({}, platform="win32", can_load=lambda soname: False) is None


# A machine without libxcb-cursor0, made for one process: in new user and mount namespaces, the
# system library folder is replaced by a folder of links to all its files but libxcb-cursor's.
_WITHOUT_XCB_CURSOR = textwrap.dedent(
    r"""
    set -eu
    lib=$(dirname "$(readlink -f "$LIBRARY")")
    work=$(mktemp -d)
    mkdir "$work/original" "$work/links"
    mount --bind "$lib" "$work/original"
    "$PYTHON" -c '
    import os, sys
    original, links, hidden = sys.argv[1:]
    for name in os.listdir(original):
        if not name.startswith(hidden):
            os.symlink(os.path.join(original, name), os.path.join(links, name))
    ' "$work/original" "$work/links" libxcb-cursor.so
    mount --bind "$work/links" "$lib"
    exec "$@"
    """
)


def _without_xcb_cursor(command: list[str]) -> subprocess.CompletedProcess[str]:
    library = next(
        path
        for path in library_folders()
        if os.path.exists(os.path.join(path, "libxcb-cursor.so.0"))
    )
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":99")
    env.update(LIBRARY=os.path.join(library, "libxcb-cursor.so.0"), PYTHON=sys.executable)
    return subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            _WITHOUT_XCB_CURSOR,
            "sh",
            *command,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_libxcb_cursor0_qt_alone_aborts() -> None:
    """What users saw (issue 8): Qt's xcb plugin aborts the process. Shows the hiding works."""
    result = _without_xcb_cursor(
        [sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"]
    )
    assert result.returncode != 0
    assert "libxcb-cursor0 is needed to load the Qt xcb platform plugin" in result.stderr


def test_without_libxcb_cursor0_tiki_gui_says_which_package_to_install() -> None:
    result = _without_xcb_cursor([sys.executable, "-m", "tiki_gui", "--sandbox"])
    assert result.returncode == EXIT_MISSING_LIBRARIES, result.stderr[-3000:]
    assert "sudo apt install libxcb-cursor0\n" in result.stderr
    assert "libxcb-cursor.so.0" in result.stderr
    assert "Aborted" not in result.stderr
    assert "qt.qpa" not in result.stderr  # Qt never started
    assert "Traceback" not in result.stderr
