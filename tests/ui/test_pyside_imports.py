"""PySide6's ``__feature__`` import hook, which runs Python code at every import statement and
reads each new module's source, is out of ``builtins.__import__`` once the app is imported; its
lazy import, which makes PySide6's classes on first use, stays (tiki_gui/ui/pyside_imports.py,
issue 11). In a fresh process: this one imported the app long ago."""

from __future__ import annotations

from pathlib import Path

from child_processes import run_qt_driver

_DRIVER = """
import builtins, json, sys
sys.path.insert(0, sys.argv[1])
import PySide6.QtCore
hooked = builtins.__import__ is builtins.__feature_import__
import tiki_gui.app
from tiki_gui.ui.pyside_imports import drop_feature_hook
import staged_uses_qt  # a module imported after the app, that uses PySide6
verdicts = sys.modules["shibokensupport.feature"].pyside_feature_dict
print(json.dumps({
    "hooked_before": hooked,
    "lazy_import_now": builtins.__import__ is builtins.__orig_import__,
    "again": drop_feature_hook(),
    "verdict": verdicts.get("staged_uses_qt"),
    "label": staged_uses_qt.LABEL,
}))
"""


def test_the_feature_hook_is_dropped_and_pyside_still_imports(tmp_path: Path) -> None:
    (tmp_path / "staged_uses_qt.py").write_text(
        "from PySide6.QtWidgets import QLabel\nLABEL = QLabel.__name__\n", "utf-8"
    )
    seen = run_qt_driver(_DRIVER, str(tmp_path))
    assert seen["hooked_before"] is True  # PySide6 6.12 installs it: the test is not vacuous
    assert seen["lazy_import_now"] is True
    assert seen["again"] is False  # once: a second call finds nothing to drop
    assert seen["verdict"] is None  # PySide's hook never saw the new module
    assert seen["label"] == "QLabel"  # the lazy import still makes PySide6's classes
