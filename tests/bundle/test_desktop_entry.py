"""packaging/linux/install-desktop-entry.sh, run for real in a throw-away home.

The script is copied into a stand-in of the unpacked bundle (an executable ``tiki-gui`` and the
icons, as packaging/build.py lays them out); `.ci/bundle` runs it again on the real bundle and
checks the entry with ``desktop-file-validate``.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "linux" / "install-desktop-entry.sh"
ICON_SIZES = ("48x48", "256x256")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "unpacked" / "tiki-gui"
    folder.mkdir(parents=True)
    shutil.copy2(SCRIPT, folder / SCRIPT.name)
    executable = folder / "tiki-gui"
    executable.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    executable.chmod(0o755)
    hicolor = folder / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        (hicolor / size / "apps").mkdir(parents=True)
        (hicolor / size / "apps" / "tiki-gui.png").write_bytes(b"\x89PNG stand-in")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copyfile(ROOT / "resources" / "tiki-gui.svg", hicolor / "scalable/apps/tiki-gui.svg")
    return folder


def _run(
    bundle: Path, home: Path, *args: str, data_home: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    if data_home:
        env["XDG_DATA_HOME"] = data_home
    return subprocess.run(
        ["/bin/sh", str(bundle / SCRIPT.name), *args],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_install_writes_an_absolute_exec_and_the_icons_then_uninstall_removes_them(
    bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    installed = _run(bundle, home)
    assert installed.returncode == 0, installed.stderr
    share = home / ".local" / "share"
    entry_path = share / "applications" / "tiki-gui.desktop"
    entry = _entry(entry_path)
    executable = str((bundle / "tiki-gui").resolve())
    assert entry["Exec"] == executable
    assert Path(entry["Exec"]).is_absolute()
    assert entry["TryExec"] == executable
    assert entry["Icon"] == "tiki-gui"
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / size / "apps" / "tiki-gui.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "tiki-gui.svg").is_file()

    removed = _run(bundle, home, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert not entry_path.exists()
    assert list((share / "icons").rglob("tiki-gui.*")) == []


def test_xdg_data_home_is_honoured(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    data_home = tmp_path / "data"
    home.mkdir()
    result = _run(bundle, home, data_home=str(data_home))
    assert result.returncode == 0, result.stderr
    assert (data_home / "applications" / "tiki-gui.desktop").is_file()
    assert not (home / ".local").exists()


def test_a_folder_without_the_executable_is_refused(bundle: Path, tmp_path: Path) -> None:
    (bundle / "tiki-gui").unlink()
    home = tmp_path / "home"
    home.mkdir()
    result = _run(bundle, home)
    assert result.returncode == 1
    assert "not found" in result.stderr
    assert not (home / ".local" / "share" / "applications" / "tiki-gui.desktop").exists()


def test_a_path_with_a_space_is_refused_rather_than_written_unquoted(tmp_path: Path) -> None:
    folder = tmp_path / "my apps" / "tiki-gui"
    folder.mkdir(parents=True)
    shutil.copy2(SCRIPT, folder / SCRIPT.name)
    (folder / "tiki-gui").write_text("#!/bin/sh\n", encoding="utf-8")
    (folder / "tiki-gui").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    result = _run(folder, home)
    assert result.returncode == 1
    assert "space or quote" in result.stderr
