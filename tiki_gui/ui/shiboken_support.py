"""PySide6 imported with shiboken6's support code compiled once, not at every start (issue 11).

shiboken6 carries its Python support code (``shibokensupport``: signatures, error messages,
features; ~130 KB of source in 14 modules) inside its binary, and its importer compiles that
source with ``compile()`` at every start: ~20 ms of the 2-core build machine's ~80 ms import of
``PySide6.QtCore``, paid by every process before it can show anything. Python's own byte-code
cache never sees it. Those modules also compile three large regular expressions (~16 ms: Python's
``re`` parses and compiles patterns in Python, and keeps the result only in the process). Its
``SBK_EMBED=0`` switch would write the files into the installed package (``files.dir``), where a
PySide6 upgrade would leave them stale.

:func:`import_pyside` imports ``PySide6.QtCore`` with two hooks in place for that one import:

- ``builtins.compile``: a call for a ``shibokensupport/`` file (or the importer's own) whose
  source, flags and optimisation level equal those of an entry of the cache gets that entry's
  code object; any other call is compiled as before;
- ``re._compiler.compile``, below ``re``'s own in-process cache: a pattern and flags found in the
  cache are handed to ``re``'s engine (``_sre.compile``) with the program ``re``'s compiler made
  for them before; the others are compiled by ``re`` as before, and what its compiler hands the
  engine is kept. The regular expressions are kept for the exact interpreter (``sys.version``)
  and engine (``_sre.MAGIC``) that made them.

The cache is one file in tiki-gui's cache folder (:func:`~tiki_gui.storage.paths.cache_dir`),
named for the Python's byte-code format (:data:`importlib.util.MAGIC_NUMBER`), with a CRC of the
whole. Sources and patterns are compared in full, so a changed PySide6 misses: it is compiled and
written again, never run stale. The file is written (atomically, readable by its owner only) only
when something was compiled. A missing, unreadable, corrupt or unwritable cache only costs the
compiling, as before: nothing here can stop the app from starting.
"""

from __future__ import annotations
import __future__

import builtins
import importlib
import logging
import marshal
import os
import re
import sys
import tempfile
import zlib
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["SUPPORT_PREFIX", "Outcome", "cache_file", "import_pyside"]

_log = logging.getLogger(__name__)

_re_compiler: Any = importlib.import_module("re._compiler")  # re's compiler (no stub of its own)

SUPPORT_PREFIX = "shibokensupport/"
"""The file names shiboken6's importer passes to ``compile()`` (``shibokensupport/...py``)."""

_BOOTSTRAP = "signature_bootstrap.py"  # the importer itself, compiled by shiboken6's C code

_FUTURE_FLAGS = sum(
    {getattr(__future__, name).compiler_flag for name in __future__.all_feature_names}
)
"""The ``__future__`` flags a ``compile()`` call inherits from its caller (distinct bits)."""

_FORMAT = 2  # of the cache file's contents

_CodeEntry = tuple[int, int, bytes | str, Any]  # flags, optimize, source, code object
_RegexKey = tuple[str | bytes, int]  # pattern, flags as given to re
_RegexEntry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
"""What ``re``'s compiler hands its engine: flags, program, groups, group index, index group."""


class Outcome(NamedTuple):
    """What came from the cache and what was compiled, in one :func:`import_pyside`."""

    code_reused: int
    code_compiled: int
    regex_reused: int
    regex_compiled: int


def cache_file(folder: Path) -> Path:
    """The cache's file in ``folder``, for this Python's byte-code format."""
    return folder / f"shiboken-support-{MAGIC_NUMBER.hex()}.marshal"


def _engine_id() -> str:
    engine = _re_compiler._sre
    return f"{sys.version}|{engine.MAGIC}|{engine.CODESIZE}"


def _read(path: Path) -> tuple[dict[str, _CodeEntry], dict[_RegexKey, _RegexEntry]]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}, {}
    checksum, payload = data[:4], data[4:]
    if len(checksum) != 4 or zlib.crc32(payload).to_bytes(4, "big") != checksum:
        return {}, {}  # torn or damaged: never handed to marshal
    try:
        # The user's own private folder, as trusted as Python's own __pycache__ (also marshal).
        contents = marshal.loads(payload)  # noqa: S302
    except (EOFError, ValueError, TypeError):
        return {}, {}
    if not (isinstance(contents, tuple) and len(contents) == 4 and contents[0] == _FORMAT):
        return {}, {}
    _format, engine, code, regexes = contents
    if not isinstance(code, dict) or not isinstance(regexes, dict):
        return {}, {}
    return code, regexes if engine == _engine_id() else {}


def _write(path: Path, code: dict[str, _CodeEntry], regexes: dict[_RegexKey, _RegexEntry]) -> None:
    payload = marshal.dumps((_FORMAT, _engine_id(), code, regexes))
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".shiboken-support-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(temporary, path)  # two starts at once: one file or the other, whole
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Engine:
    """``re``'s engine as ``re``'s compiler sees it during the import: the same, except that it
    remembers the last program it was asked to compile."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.last: _RegexEntry | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def compile(
        self,
        pattern: Any,
        flags: int,
        code: list[int],
        groups: int,
        groupindex: dict[str, int],
        indexgroup: tuple[str | None, ...],
    ) -> Any:
        compiled = self.engine.compile(pattern, flags, code, groups, groupindex, indexgroup)
        # As plain ints: the compiler emits its opcodes as int subclasses, which marshal refuses.
        self.last = (
            int(flags),
            [int(op) for op in code],
            groups,
            dict(groupindex),
            tuple(indexgroup),
        )
        return compiled


class _Hooks:
    """The two hooks of one import, and what they reused and compiled."""

    def __init__(self, code: dict[str, _CodeEntry], regexes: dict[_RegexKey, _RegexEntry]):
        self.cached_code, self.cached_regexes = code, regexes
        self.code: dict[str, _CodeEntry] = {}
        self.regexes: dict[_RegexKey, _RegexEntry] = {}
        self.code_compiled = self.regex_compiled = 0
        self.real_compile = builtins.compile
        self.real_regex = _re_compiler.compile
        self.engine = _re_compiler._sre
        self.recorder = _Engine(self.engine)

    def install(self) -> None:
        builtins.compile = self.compile_once
        _re_compiler.compile = self.regex_once
        _re_compiler._sre = self.recorder

    def remove(self) -> None:
        builtins.compile = self.real_compile
        _re_compiler.compile = self.real_regex
        _re_compiler._sre = self.engine

    def outcome(self) -> Outcome:
        return Outcome(
            len(self.code) - self.code_compiled,
            self.code_compiled,
            len(self.regexes) - self.regex_compiled,
            self.regex_compiled,
        )

    def compile_once(
        self,
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **more: Any,
    ) -> Any:
        if not dont_inherit:  # what compile() inherits from its caller's __future__ imports
            flags |= sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
        if (
            more
            or mode != "exec"
            or not isinstance(source, bytes | str)
            or not isinstance(filename, str)
            or not (filename.startswith(SUPPORT_PREFIX) or filename == _BOOTSTRAP)
        ):
            return self.real_compile(source, filename, mode, flags, True, optimize, **more)
        entry = self.cached_code.get(filename)
        if not (
            isinstance(entry, tuple) and len(entry) == 4 and entry[:3] == (flags, optimize, source)
        ):
            code = self.real_compile(source, filename, mode, flags, True, optimize)
            entry = (flags, optimize, source, code)
            self.code_compiled += 1
        self.code[filename] = entry
        return entry[3]

    def regex_once(self, pattern: Any, flags: int = 0) -> Any:
        if not isinstance(pattern, str | bytes) or int(flags) & re.DEBUG:
            return self.real_regex(pattern, flags)
        key = (pattern, int(flags))
        entry = self.cached_regexes.get(key)
        if isinstance(entry, tuple):
            try:
                compiled = self.engine.compile(pattern, *entry)
            except (TypeError, ValueError, RuntimeError):  # not a program: _sre checks it
                pass
            else:
                self.regexes[key] = entry
                return compiled
        self.recorder.last = None
        compiled = self.real_regex(pattern, flags)
        if self.recorder.last is not None:
            self.regexes[key] = self.recorder.last
            self.regex_compiled += 1
        return compiled


def import_pyside(folder: Path | None) -> Outcome:
    """Import ``PySide6.QtCore`` with shiboken6's support code and regular expressions from the
    cache in ``folder`` (None: no cache); what came from it and what was compiled (all zero if
    PySide6 was imported already)."""
    if "shiboken6" in sys.modules or folder is None:
        import PySide6.QtCore

        return Outcome(0, 0, 0, 0)
    path = cache_file(folder)
    hooks = _Hooks(*_read(path))
    hooks.install()
    try:
        import PySide6.QtCore  # noqa: F401
    finally:
        hooks.remove()
    if hooks.code_compiled or hooks.regex_compiled:
        try:
            _write(path, hooks.code, hooks.regexes)
        except (OSError, ValueError) as error:
            _log.debug("shiboken6's support code not cached: %s", type(error).__name__)
    return hooks.outcome()
