"""PySide6's import hook asks of every new module whether its source mentions PySide6; the app
answers from the file's bytes instead of keeping each module's source in ``linecache``
(tiki_gui/ui/pyside_imports.py, issue 11). Same answers, nothing kept."""

from __future__ import annotations

import linecache
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tiki_gui.ui.pyside_imports import read_sources_raw


@pytest.fixture
def modules_dir(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in ("staged_uses_qt", "staged_plain"):
        sys.modules.pop(name, None)


def test_new_modules_are_classified_from_their_bytes_and_not_kept(modules_dir: Path) -> None:
    assert read_sources_raw()
    assert read_sources_raw()  # once: a second call changes nothing
    (modules_dir / "staged_uses_qt.py").write_text("from PySide6 import QtCore\n", "utf-8")
    (modules_dir / "staged_plain.py").write_text("VALUE = 1\n", "utf-8")
    # An import statement's way (PySide6 hooks builtins.__import__, not importlib's function).
    uses_qt = __import__("staged_uses_qt")
    plain = __import__("staged_plain")
    feature = sys.modules["shibokensupport.feature"]
    verdicts = feature.pyside_feature_dict
    assert verdicts["staged_uses_qt"] == 0  # uses PySide: features may be switched there
    assert verdicts["staged_plain"] == -1  # ignored by PySide's feature switching
    for module in (uses_qt, plain):
        assert module.__file__ not in linecache.cache
