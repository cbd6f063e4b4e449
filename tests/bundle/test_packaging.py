"""The packaging scripts' contract: the README's bundle command, what CI runs, the icons."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import icons  # noqa: E402 - packaging/icons.py


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```sh\n(.+?)\n```", readme, flags=re.MULTILINE)


def test_the_readme_bundle_command_is_what_ci_runs() -> None:
    command = next(c for c in _readme_commands() if "packaging/build.py" in c)
    assert command == "uv run --locked --group bundle python packaging/build.py"
    ci_lines = (ROOT / ".ci" / "bundle").read_text(encoding="utf-8").splitlines()
    assert command in ci_lines


def test_the_two_source_commands_stay_in_the_readme() -> None:
    commands = _readme_commands()
    assert "uv run tiki-gui --sandbox" in commands
    assert "uv run --locked pytest" in commands


def test_icons_are_rendered_from_the_svg_at_every_size(qapp: object, tmp_path: Path) -> None:
    # qapp: pytest-qt's QApplication, made first (the script makes a QGuiApplication when none
    # exists, which would not do for the widget tests that follow in this process).
    paths = icons.render_pngs(icons.SOURCE, tmp_path, sizes=(16, 256))
    assert [p.name for p in paths] == ["tiki-gui-16.png", "tiki-gui-256.png"]
    for path, size in zip(paths, (16, 256), strict=True):
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # the tile's rounded corner is transparent
        centre = image.pixelColor(size // 2, size // 2)
        assert centre.alpha() == 255  # the tile itself is drawn
