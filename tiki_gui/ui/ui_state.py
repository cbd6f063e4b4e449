"""Small, non-secret UI state next to the settings file: the name of the last used profile."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path

__all__ = ["read_last_profile", "write_last_profile"]

FILE_NAME = "ui-state.json"


def _path(settings_dir: Path) -> Path:
    return settings_dir / FILE_NAME


def read_last_profile(settings_dir: Path) -> str | None:
    """The profile name remembered by :func:`write_last_profile`, or None."""
    try:
        data = json.loads(_path(settings_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("last_profile") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def write_last_profile(settings_dir: Path, name: str) -> None:
    """Remember ``name`` (atomically; errors are ignored: this is a convenience)."""
    from tiki_gui.storage.paths import ensure_private_dir

    with suppress(OSError):
        ensure_private_dir(settings_dir)
        fd, tmp = tempfile.mkstemp(dir=settings_dir, prefix=".ui-state-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"last_profile": name}, handle)
            os.replace(tmp, _path(settings_dir))
        except OSError:
            with suppress(OSError):
                os.unlink(tmp)
            raise
