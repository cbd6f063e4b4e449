"""Make every platform's icon from the one SVG: ``python packaging/icons.py [OUT_DIR]``.

Renders ``resources/tiki-gui.svg`` with Qt's SVG renderer (PySide6, already a dependency) to
PNGs of the usual sizes, then writes ``tiki-gui.ico`` (Windows) and ``tiki-gui.icns`` (macOS)
from them with Pillow (the ``bundle`` dependency group). OUT_DIR defaults to ``build/icons``.
Nothing generated is committed: ``packaging/build.py`` runs this before PyInstaller.

    OUT_DIR/tiki-gui.svg                 the source, copied (Linux: hicolor/scalable)
    OUT_DIR/png/tiki-gui-<N>.png         N in PNG_SIZES (Linux: hicolor/NxN)
    OUT_DIR/tiki-gui.ico                 16 to 256 pixels
    OUT_DIR/tiki-gui.icns                16 to 1024 pixels
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "tiki-gui.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render_pngs(source: Path, out_dir: Path, sizes: tuple[int, ...] = PNG_SIZES) -> list[Path]:
    """Render ``source`` to ``out_dir/tiki-gui-<N>.png`` for each size; return the paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source}: not a valid SVG")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"tiki-gui-{size}.png"
        if not image.save(str(path)):  # PNG, from the suffix
            raise SystemExit(f"could not write {path}")
        paths.append(path)
    del app
    return paths


def write_ico_icns(png_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    """Write ``tiki-gui.ico`` and ``tiki-gui.icns`` from the largest PNG (Pillow resamples)."""
    from PIL import Image  # type: ignore[import-not-found,unused-ignore]  # bundle group

    largest = Image.open(png_dir / f"tiki-gui-{max(PNG_SIZES)}.png").convert("RGBA")
    ico = out_dir / "tiki-gui.ico"
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    icns = out_dir / "tiki-gui.icns"
    extra = [Image.open(png_dir / f"tiki-gui-{s}.png").convert("RGBA") for s in ICNS_SIZES]
    largest.save(icns, format="ICNS", append_images=extra)
    return ico, icns


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else ROOT / "build" / "icons"
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, out_dir / "tiki-gui.svg")
    pngs = render_pngs(SOURCE, out_dir / "png")
    ico, icns = write_ico_icns(out_dir / "png", out_dir)
    print(f"icons: {len(pngs)} PNGs, {ico.name}, {icns.name} in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
