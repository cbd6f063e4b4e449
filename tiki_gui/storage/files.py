"""The one way tiki-gui writes a file of its own: atomically, flushed to disk, private.

:func:`write_private_text` writes to a temporary file in the same directory, flushes and fsyncs
it, gives it mode 0600 and renames it over the target (``os.replace``), so a reader sees either
the old or the new content, never half a file, and no other user can read it.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from tiki_gui.storage.paths import ensure_private_dir

__all__ = ["write_private_text"]


def write_private_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; its folder is made private if new."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
