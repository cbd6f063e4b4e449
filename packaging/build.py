"""Build the double-click bundle for this system: ``python packaging/build.py [--no-archive]``.

Run from the repository root through uv, as the README says::

    uv run --locked --group bundle python packaging/build.py

Leaves the one-folder bundle in ``dist/tiki-gui/`` (executables ``tiki-gui``, windowed, and
``tiki-gui-cli``, console; ``.exe`` on Windows), on macOS also ``dist/tiki-gui.app``, and on
Linux the archive ``dist/tiki-gui-VERSION-linux-ARCH.tar.gz``. Prints one summary line: size,
file count, archive. Steps: icons from the SVG (packaging/icons.py), PyInstaller with
packaging/tiki-gui.spec, checks (Linux: no C++ runtime bundled, Qt's X11 plugin finds all its
libraries), the desktop-entry script and icons beside the Linux executables, the archive.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
WORK = ROOT / "build"
ICONS = WORK / "icons"
BUNDLE = DIST / "tiki-gui"
SPEC = ROOT / "packaging" / "tiki-gui.spec"
DESKTOP_SCRIPT = ROOT / "packaging" / "linux" / "install-desktop-entry.sh"
LINUX_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

sys.path.insert(0, str(ROOT / "packaging"))
import icons  # noqa: E402 - packaging/icons.py, beside this file


def _run(*command: str, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True, env=env)


def build_icons() -> None:
    icons.main([str(ICONS)])


def run_pyinstaller(app_version: str) -> None:
    env = dict(os.environ, TIKI_GUI_ICON_DIR=str(ICONS), TIKI_GUI_VERSION=app_version)
    _run(
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--distpath={DIST}",
        f"--workpath={WORK / 'pyinstaller'}",
        env=env,
    )


def _internal() -> Path:
    return BUNDLE / "_internal"


def check_linux_bundle() -> None:
    """Fail the build on the Linux pitfalls: a bundled C++ runtime (or another library that must
    match the user's system), a Qt X11 plugin whose libraries were not there to collect
    (PyInstaller leaves them out without a word)."""
    system_only = ("libstdc++", "libgcc_s", "libgbm", "libfontconfig", "libfreetype", "libasound")
    bundled = sorted(p.name for p in _internal().rglob("*") if p.name.startswith(system_only))
    if bundled:
        raise SystemExit(f"libraries that must come from the user's system were bundled: {bundled}")
    plugin = next(_internal().rglob("platforms/libqxcb.so"), None)
    if plugin is None:
        raise SystemExit("Qt's X11 platform plugin (libqxcb.so) is not in the bundle")
    env = dict(os.environ, LD_LIBRARY_PATH=str(_internal()))
    ldd = subprocess.run(
        ["ldd", str(plugin)], capture_output=True, text=True, check=True, env=env
    ).stdout
    missing = [line.split()[0] for line in ldd.splitlines() if "not found" in line]
    if missing:
        raise SystemExit(
            f"libqxcb.so needs libraries the build machine lacks: {missing}; install "
            "packaging/debian-build-packages.txt and build again"
        )


def check_locales() -> None:
    """Only English and Vietnamese Chromium locales were kept (the spec's filter worked)."""
    paks = sorted(p.name for p in BUNDLE.rglob("qtwebengine_locales/*.pak"))
    if paks != ["en-US.pak", "vi.pak"]:
        raise SystemExit(f"Chromium locales in the bundle: {paks}; expected en-US and vi only")


def add_linux_extras() -> None:
    """The desktop-entry script and the icons, beside the executables."""
    shutil.copy2(DESKTOP_SCRIPT, BUNDLE / DESKTOP_SCRIPT.name)
    hicolor = BUNDLE / "share" / "icons" / "hicolor"
    (hicolor / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICONS / "tiki-gui.svg", hicolor / "scalable" / "apps" / "tiki-gui.svg")
    for size in LINUX_ICON_SIZES:
        folder = hicolor / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ICONS / "png" / f"tiki-gui-{size}.png", folder / "tiki-gui.png")


def make_archive(app_version: str) -> Path:
    """``dist/tiki-gui-VERSION-linux-ARCH.tar.gz`` holding the ``tiki-gui/`` folder."""
    archive = DIST / f"tiki-gui-{app_version}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname="tiki-gui")
    return archive


def measure(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder``, symbolic links not followed."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-archive", action="store_true", help="skip the Linux tar.gz")
    args = parser.parse_args(argv)
    started = time.monotonic()
    app_version = version("tiki-gui")
    build_icons()
    run_pyinstaller(app_version)
    archive: Path | None = None
    if sys.platform.startswith("linux"):
        check_locales()  # (where the other platforms keep them is not checked here)
        check_linux_bundle()
        add_linux_extras()
        if not args.no_archive:
            archive = make_archive(app_version)
    size, files = measure(BUNDLE)
    summary = {
        "bundle": str(BUNDLE.relative_to(ROOT)),
        "megabytes": round(size / 1e6),
        "files": files,
        "archive": str(archive.relative_to(ROOT)) if archive else None,
        "archive_megabytes": round(archive.stat().st_size / 1e6) if archive else None,
        "build_seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
