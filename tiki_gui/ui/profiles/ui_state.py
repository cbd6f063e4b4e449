"""Small, non-secret UI state next to the settings file: the name of the last used profile."""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path

from tiki_gui.storage.files import write_private_text

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
    """Remember ``name`` (atomically; errors are ignored: this is a convenience). Nothing is
    written when ``name`` is already remembered: not at every start (an fsync, issue 11)."""
    if read_last_profile(settings_dir) == name:
        return
    with suppress(OSError):
        write_private_text(_path(settings_dir), json.dumps({"last_profile": name}))
