"""Update the translation sources and build the catalogs: ``python -m tiki_gui.i18n_build``.

    python -m tiki_gui.i18n_build update   # pyside6-lupdate: UI sources -> resources/i18n/*.ts
    python -m tiki_gui.i18n_build build    # pyside6-lrelease: *.ts -> *.qm (what the app loads)
    python -m tiki_gui.i18n_build          # both

The sources are every module that shows text: ``tiki_gui/ui/``, ``tiki_gui/webengine/`` and
``tiki_gui/app.py`` (:func:`sources`). Messages no longer in the code are dropped (``-no-obsolete``)
and no line numbers are written, so the ``.ts`` changes only when a text changes. ``qt_vi.ts``
holds Qt's own texts (standard buttons, the file dialog), which Qt ships no Vietnamese for: it is
written by hand and only built here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["I18N_DIR", "LANGUAGES", "build", "lupdate_command", "sources", "update"]

ROOT = Path(__file__).resolve().parent.parent
I18N_DIR = ROOT / "resources" / "i18n"
LANGUAGES = ("vi",)  # English is the source language


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: it comes with PySide6 (uv sync)")
    return found


def sources(root: Path = ROOT) -> list[Path]:
    """The Python modules whose texts are translated."""
    package = root / "tiki_gui"
    found = [*package.joinpath("ui").rglob("*.py"), *package.joinpath("webengine").rglob("*.py")]
    found.append(package / "app.py")
    return sorted(found)


def lupdate_command(ts_file: Path, root: Path = ROOT) -> list[str]:
    files = [str(path.relative_to(root)) for path in sources(root)]
    return [
        _tool("pyside6-lupdate"),
        *files,
        "-no-obsolete",
        "-locations",
        "none",
        "-target-language",
        ts_file.stem.rsplit("_", 1)[-1],
        "-ts",
        str(ts_file),
    ]


def update() -> None:
    I18N_DIR.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts_file = I18N_DIR / f"tiki_gui_{language}.ts"
        subprocess.run(lupdate_command(ts_file), cwd=ROOT, check=True)  # noqa: S603


def build(out_dir: Path = I18N_DIR) -> list[Path]:
    """Build every catalog: the app's own, and Qt's texts that Qt ships no catalog for."""
    built = []
    for language in LANGUAGES:
        for name in (f"tiki_gui_{language}", f"qt_{language}"):
            ts_file = I18N_DIR / f"{name}.ts"
            if not ts_file.exists():
                continue
            qm_file = out_dir / f"{name}.qm"
            command = [_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)]
            subprocess.run(command, check=True)  # noqa: S603
            built.append(qm_file)
    return built


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    what = args[0] if args else "all"
    if what not in ("update", "build", "all"):
        print(__doc__, file=sys.stderr)
        return 2
    if what in ("update", "all"):
        update()
    if what in ("build", "all"):
        build()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
