"""shiboken6's support code is compiled once and then read from tiki-gui's cache; a cache that is
missing, damaged, stale or unwritable only costs the compile (tiki_gui/ui/shiboken_support.py,
issue 11). Each case in a fresh process: this one imported PySide6 long ago."""

from __future__ import annotations
import __future__

import marshal
import zlib
from pathlib import Path
from typing import Any

from child_processes import run_qt_driver

from tiki_gui.ui.shiboken_support import cache_file

# Imports PySide6 through the cache in argv[1] (or plainly with "-"), then uses what the support
# code does: an instance, and the error message of a call with wrong arguments (errorhandler).
_DRIVER = """
import __future__, builtins, json, sys, types
folder = sys.argv[1]
real = builtins.compile
if folder == "-":
    import PySide6.QtCore
    outcome = [0, 0]
else:
    from pathlib import Path
    from tiki_gui.ui.shiboken_support import import_pyside
    outcome = list(import_pyside(Path(folder)))
# The __future__ flags each support module was compiled with, seen on its functions' code.
mask = sum({getattr(__future__, name).compiler_flag for name in __future__.all_feature_names})
future = {}
for module in list(sys.modules.values()):
    where = getattr(module, "__file__", None) or ""
    if where.startswith("shibokensupport/") or where == "signature_bootstrap.py":
        for value in vars(module).values():
            if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
                future[where] = value.__code__.co_flags & mask
                break
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
field = QLineEdit("x")
try:
    field.setText(1, 2)
except TypeError as error:
    message = str(error)
print(json.dumps({
    "outcome": outcome, "compile_hooked": builtins.compile is not real,
    "text": field.text(), "message": message, "future": future,
}))
"""


def _run(folder: Path | str) -> dict[str, Any]:
    return run_qt_driver(_DRIVER, str(folder))


def _entries(folder: Path) -> dict[str, tuple[int, int, bytes, Any]]:
    data = cache_file(folder).read_bytes()
    assert zlib.crc32(data[4:]).to_bytes(4, "big") == data[:4]
    entries: dict[str, tuple[int, int, bytes, Any]] = marshal.loads(data[4:])  # noqa: S302
    return entries


def _write(folder: Path, entries: dict[str, tuple[int, int, bytes, Any]]) -> None:
    payload = marshal.dumps(entries)
    cache_file(folder).write_bytes(zlib.crc32(payload).to_bytes(4, "big") + payload)


def test_compiled_once_then_read_with_the_same_flags_and_behaviour(tmp_path: Path) -> None:
    plain = _run("-")
    first = _run(tmp_path)
    reused, compiled = first["outcome"]
    assert reused == 0
    assert compiled >= 10
    path = cache_file(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    entries = _entries(tmp_path)
    assert len(entries) == compiled
    assert set(plain["future"]) <= set(entries)  # the support code's modules, all cached
    annotations = __future__.annotations.compiler_flag
    # Compiled from the cache with the __future__ flags compile() inherits when called by
    # shiboken's importer, whose own module has "from __future__ import annotations".
    assert any(flags & annotations for flags in plain["future"].values())

    second = _run(tmp_path)
    assert second["outcome"] == [compiled, 0]  # nothing compiled: all from the cache
    for seen in (first, second):
        assert seen["future"] == plain["future"]
        assert seen["compile_hooked"] is False  # compile() is Python's own again
        assert seen["text"] == "x"
        assert seen["message"] == plain["message"]  # the support code's wording, unchanged
    assert "setText" in plain["message"]  # the comparison is not between two empty strings


def test_a_damaged_cache_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    compiled = _run(tmp_path)["outcome"][1]
    cache_file(tmp_path).write_bytes(b"\0\0\0\0 not a cache")
    assert _run(tmp_path)["outcome"] == [0, compiled]
    payload = b"\x99 garbage that marshal refuses"  # a right checksum over garbage
    cache_file(tmp_path).write_bytes(zlib.crc32(payload).to_bytes(4, "big") + payload)
    assert _run(tmp_path)["outcome"] == [0, compiled]
    assert _run(tmp_path)["outcome"] == [compiled, 0]  # written again, whole


def test_an_entry_whose_source_changed_is_never_run(tmp_path: Path) -> None:
    compiled = _run(tmp_path)["outcome"][1]
    entries = _entries(tmp_path)
    name = "shibokensupport/signature/loader.py"
    flags, optimize, source, _code = entries[name]
    # As after a PySide6 upgrade: the cached code is for another source. Run, it would fail.
    entries[name] = (flags, optimize, source + b"\n# changed", compile("1/0", name, "exec"))
    _write(tmp_path, entries)
    seen = _run(tmp_path)
    assert seen["outcome"] == [compiled - 1, 1]
    assert seen["text"] == "x"
    assert _entries(tmp_path)[name][2] == source  # the entry now holds the source in use


def test_an_unwritable_cache_folder_only_costs_the_compile(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    seen = _run(blocked / "cache")
    assert seen["outcome"][0] == 0
    assert seen["outcome"][1] >= 10
    assert seen["text"] == "x"
    assert blocked.read_text("utf-8") == "not a folder"
