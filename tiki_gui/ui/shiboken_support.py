"""PySide6 imported with shiboken6's support code compiled once, not at every start (issue 11).

shiboken6 carries its Python support code (``shibokensupport``: signatures, error messages,
features; ~130 KB of source in 14 modules) inside its binary, and its importer compiles that
source with ``compile()`` at every start: ~20 ms of the 2-core build machine's ~80 ms import of
``PySide6.QtCore``, paid by every process before it can show anything. Python's own byte-code
cache never sees it. Its ``SBK_EMBED=0`` switch would write the files into the installed package
(``files.dir``), where a PySide6 upgrade would leave them stale.

:func:`import_pyside` imports ``PySide6.QtCore`` with ``builtins.compile`` wrapped for that one
import: a call for a ``shibokensupport/`` file (or the importer's own) whose source, flags and
optimisation level equal those of an entry of the cache gets that entry's code object; any other
call is compiled as before. The cache is one file in tiki-gui's cache folder
(:func:`~tiki_gui.storage.paths.cache_dir`), named for the Python's byte-code format
(:data:`importlib.util.MAGIC_NUMBER`), holding each file's flags, source and code, and a CRC of
the whole. The source is compared in full, so a changed PySide6 misses: it is compiled and
written again, never run stale. The file is written (atomically, readable by its owner only)
only when something was compiled. A missing, unreadable, corrupt or unwritable cache only costs
the compile, as before: nothing here can stop the app from starting.
"""

from __future__ import annotations
import __future__

import builtins
import logging
import marshal
import os
import sys
import tempfile
import zlib
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any

__all__ = ["SUPPORT_PREFIX", "cache_file", "import_pyside"]

_log = logging.getLogger(__name__)

SUPPORT_PREFIX = "shibokensupport/"
"""The file names shiboken6's importer passes to ``compile()`` (``shibokensupport/...py``)."""

_BOOTSTRAP = "signature_bootstrap.py"  # the importer itself, compiled by shiboken6's C code

_FUTURE_FLAGS = sum(
    {getattr(__future__, name).compiler_flag for name in __future__.all_feature_names}
)
"""The ``__future__`` flags a ``compile()`` call inherits from its caller (distinct bits)."""

_Entry = tuple[int, int, bytes | str, Any]  # flags, optimize, source, code object


def cache_file(folder: Path) -> Path:
    """The cache's file in ``folder``, for this Python's byte-code format."""
    return folder / f"shiboken-support-{MAGIC_NUMBER.hex()}.marshal"


def _read(path: Path) -> dict[str, _Entry]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    checksum, payload = data[:4], data[4:]
    if len(checksum) != 4 or zlib.crc32(payload).to_bytes(4, "big") != checksum:
        return {}  # torn or damaged: never handed to marshal
    try:
        # The user's own private folder, as trusted as Python's own __pycache__ (also marshal).
        entries = marshal.loads(payload)  # noqa: S302
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _write(path: Path, entries: dict[str, _Entry]) -> None:
    payload = marshal.dumps(entries)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".shiboken-support-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(temporary, path)  # two starts at once: one file or the other, whole
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def import_pyside(folder: Path | None) -> tuple[int, int]:
    """Import ``PySide6.QtCore``, shiboken6's support code from the cache in ``folder`` (None:
    no cache). Returns how many support files came from the cache and how many were compiled;
    ``(0, 0)`` if PySide6 was imported already."""
    if "shiboken6" in sys.modules or folder is None:
        import PySide6.QtCore

        return 0, 0
    path = cache_file(folder)
    cached = _read(path)
    used: dict[str, _Entry] = {}
    compiled = 0
    real_compile = builtins.compile

    def compile_once(
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **more: Any,
    ) -> Any:
        nonlocal compiled
        if not dont_inherit:  # what compile() inherits from its caller's __future__ imports
            flags |= sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
        if (
            more
            or mode != "exec"
            or not isinstance(source, bytes | str)
            or not isinstance(filename, str)
            or not (filename.startswith(SUPPORT_PREFIX) or filename == _BOOTSTRAP)
        ):
            return real_compile(source, filename, mode, flags, True, optimize, **more)
        entry = cached.get(filename)
        if entry is None or entry[:3] != (flags, optimize, source):
            code = real_compile(source, filename, mode, flags, True, optimize)
            entry = (flags, optimize, source, code)
            compiled += 1
        used[filename] = entry
        return entry[3]

    builtins.compile = compile_once
    try:
        import PySide6.QtCore  # noqa: F401
    finally:
        builtins.compile = real_compile
    if compiled:
        try:
            _write(path, used)
        except (OSError, ValueError) as error:
            _log.debug("shiboken6's support code not cached: %s", type(error).__name__)
    return len(used) - compiled, compiled
