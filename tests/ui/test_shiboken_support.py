"""shiboken6's support code and regular expressions are compiled once and then read from
tiki-gui's cache; a cache that is missing, damaged, stale or unwritable only costs the compiling
(tiki_gui/ui/shiboken_support.py, issue 11). Each case in a fresh process: this one imported
PySide6 long ago."""

from __future__ import annotations
import __future__

import marshal
import re
import zlib
from pathlib import Path
from typing import Any

from child_processes import run_qt_driver

from tiki_gui.ui.shiboken_support import cache_file

# Imports PySide6 through the cache in argv[1] (or plainly with "-"), then uses what the support
# code does: an instance, and the error message of a call with wrong arguments (errorhandler).
_DRIVER = """
import __future__, builtins, json, re, sys, types
folder = sys.argv[1]
real, real_regex = builtins.compile, re._compiler.compile
if folder == "-":
    import PySide6.QtCore
    outcome = [0, 0, 0, 0]
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
    "outcome": outcome,
    "compile_hooked": builtins.compile is not real or re._compiler.compile is not real_regex,
    "text": field.text(), "message": message, "future": future,
}))
"""


def _run(folder: Path | str) -> dict[str, Any]:
    return run_qt_driver(_DRIVER, str(folder))


_Contents = tuple[int, str, dict[str, tuple[int, int, bytes, Any]], dict[Any, Any]]


def _contents(folder: Path) -> _Contents:
    """The cache file's format, engine, compiled support files and regular expressions."""
    data = cache_file(folder).read_bytes()
    assert zlib.crc32(data[4:]).to_bytes(4, "big") == data[:4]
    contents: _Contents = marshal.loads(data[4:])  # noqa: S302
    return contents


def _write(folder: Path, contents: _Contents) -> None:
    payload = marshal.dumps(contents)
    cache_file(folder).write_bytes(zlib.crc32(payload).to_bytes(4, "big") + payload)


def test_compiled_once_then_read_with_the_same_flags_and_behaviour(tmp_path: Path) -> None:
    plain = _run("-")
    first = _run(tmp_path)
    code_reused, code_compiled, regex_reused, regex_compiled = first["outcome"]
    assert (code_reused, regex_reused) == (0, 0)
    assert code_compiled >= 10  # PySide6 6.12: the importer and 13 support files
    assert regex_compiled >= 3  # among them the support code's three large patterns
    path = cache_file(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    _format, _engine, code, regexes = _contents(tmp_path)
    assert len(code) == code_compiled
    assert len(regexes) == regex_compiled
    assert set(plain["future"]) <= set(code)  # the support code's modules, all cached
    annotations = __future__.annotations.compiler_flag
    # Compiled from the cache with the __future__ flags compile() inherits when called by
    # shiboken's importer, whose own module has "from __future__ import annotations".
    assert any(flags & annotations for flags in plain["future"].values())

    second = _run(tmp_path)
    assert second["outcome"] == [code_compiled, 0, regex_compiled, 0]  # all from the cache
    for seen in (first, second):
        assert seen["future"] == plain["future"]
        assert seen["compile_hooked"] is False  # compile() and re's compiler are their own again
        assert seen["text"] == "x"
        assert seen["message"] == plain["message"]  # the support code's wording, unchanged
    assert "setText" in plain["message"]  # the comparison is not between two empty strings


def test_each_cached_regular_expression_is_the_one_re_compiles(tmp_path: Path) -> None:
    _run(tmp_path)
    _format, _engine, _code, regexes = _contents(tmp_path)
    assert any(len(pattern) > 1000 for pattern, _flags in regexes)  # the large ones are there
    engine: Any = re._compiler._sre  # type: ignore[attr-defined]
    for (pattern, flags), entry in regexes.items():
        fresh = re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]
        # Pattern equality compares the flags, the pattern and the compiled program itself.
        assert engine.compile(pattern, *entry) == fresh, pattern[:60]


def test_regular_expressions_of_another_interpreter_are_compiled_again(tmp_path: Path) -> None:
    counts = _run(tmp_path)["outcome"]
    format_, _engine, code, regexes = _contents(tmp_path)
    _write(tmp_path, (format_, "another Python", code, regexes))
    assert _run(tmp_path)["outcome"] == [counts[1], 0, 0, counts[3]]


def test_a_damaged_cache_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    counts = _run(tmp_path)["outcome"]
    everything_compiled = [0, counts[1], 0, counts[3]]
    cache_file(tmp_path).write_bytes(b"\0\0\0\0 not a cache")
    assert _run(tmp_path)["outcome"] == everything_compiled
    payload = b"\x99 garbage that marshal refuses"  # a right checksum over garbage
    cache_file(tmp_path).write_bytes(zlib.crc32(payload).to_bytes(4, "big") + payload)
    assert _run(tmp_path)["outcome"] == everything_compiled
    _write(tmp_path, {"a": "dict"})  # type: ignore[arg-type]  # readable, not a cache
    assert _run(tmp_path)["outcome"] == everything_compiled
    format_, engine, code, regexes = _contents(tmp_path)
    # Entries of the wrong shape, under the right keys: compiled again, never run.
    junk_code = dict.fromkeys(code, "junk")
    junk_regexes: dict[Any, Any] = {key: (0, [1, 2, 3], 0, {}, ()) for key in regexes}  # no program
    _write(tmp_path, (format_, engine, junk_code, junk_regexes))  # type: ignore[arg-type]
    seen = _run(tmp_path)
    assert seen["outcome"] == everything_compiled
    assert seen["text"] == "x"
    assert _run(tmp_path)["outcome"] == [counts[1], 0, counts[3], 0]  # written again, whole


def test_an_entry_whose_source_changed_is_never_run(tmp_path: Path) -> None:
    counts = _run(tmp_path)["outcome"]
    format_, engine, code, regexes = _contents(tmp_path)
    name = "shibokensupport/signature/loader.py"
    flags, optimize, source, _code = code[name]
    # As after a PySide6 upgrade: the cached code is for another source. Run, it would fail.
    code[name] = (flags, optimize, source + b"\n# changed", compile("1/0", name, "exec"))
    _write(tmp_path, (format_, engine, code, regexes))
    seen = _run(tmp_path)
    assert seen["outcome"] == [counts[1] - 1, 1, counts[3], 0]
    assert seen["text"] == "x"
    assert _contents(tmp_path)[2][name][2] == source  # the entry now holds the source in use


def test_an_unwritable_cache_folder_only_costs_the_compile(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    seen = _run(blocked / "cache")
    assert seen["outcome"][0] == 0
    assert seen["outcome"][1] >= 10
    assert seen["text"] == "x"
    assert blocked.read_text("utf-8") == "not a folder"
