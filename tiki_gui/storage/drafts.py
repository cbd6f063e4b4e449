"""Drafts of the credentials form: what was typed, valid or not, kept across a crash.

A profile is saved only once the form can be one (a client ID, valid URLs), and the built-in
Sandbox profile is never saved at all; without drafts, edits made meanwhile are lost when the app
stops. A :class:`DraftStore` keeps, per profile name, the form's fields that differ from the
profile as loaded (an overlay, so that a Sandbox profile whose server moved to another port gets
the person's edits back, not the old port), in ``form-drafts.json`` next to the settings file,
written atomically and privately (:func:`~tiki_gui.storage.files.write_private_text`).

Field values are strings or booleans. No secret is ever kept: :data:`SECRET_FIELDS` are refused
(the client secret goes to the keyring, or nowhere). A file that cannot be read is ignored (a
draft is a convenience; the profile itself stays in ``profiles.json``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Final

from tiki_gui.storage.files import write_private_text

__all__ = ["DRAFTS_FILE_NAME", "SECRET_FIELDS", "DraftFields", "DraftStore"]

_log = logging.getLogger(__name__)

DRAFTS_FILE_NAME: Final = "form-drafts.json"
DRAFTS_FORMAT: Final = "tiki-gui-form-drafts"
_VERSION: Final = 1
SECRET_FIELDS: Final = frozenset({"client_secret"})
"""Fields never written to a draft, whatever the caller hands over."""

DraftFields = dict[str, str | bool]


class DraftStore:
    """The form drafts of every profile, in ``settings_dir / DRAFTS_FILE_NAME``."""

    def __init__(self, settings_dir: Path) -> None:
        self._path = settings_dir / DRAFTS_FILE_NAME

    def __repr__(self) -> str:
        return f"DraftStore({str(self._path)!r})"

    @property
    def path(self) -> Path:
        return self._path

    def _read(self) -> dict[str, DraftFields]:
        try:
            document = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            _log.warning("form drafts ignored: %s", type(exc).__name__)
            return {}
        drafts = document.get("drafts") if isinstance(document, dict) else None
        if not isinstance(drafts, dict):
            return {}
        return {
            name: _clean(fields)
            for name, fields in drafts.items()
            if isinstance(name, str) and name and isinstance(fields, dict)
        }

    def _write(self, drafts: Mapping[str, DraftFields]) -> None:
        document = {"format": DRAFTS_FORMAT, "version": _VERSION, "drafts": dict(drafts)}
        write_private_text(self._path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    def names(self) -> list[str]:
        """The profiles that have a draft, in the order first drafted."""
        return list(self._read())

    def load(self, name: str) -> DraftFields:
        """The draft of ``name`` (empty: none)."""
        return dict(self._read().get(name, {}))

    def save(self, name: str, fields: Mapping[str, str | bool]) -> None:
        """Keep ``fields`` as the draft of ``name`` (secret fields dropped; empty: discard).

        Raises ``OSError`` if the file cannot be written.
        """
        drafts = self._read()
        cleaned = _clean(fields)
        if drafts.get(name) == cleaned or (not cleaned and name not in drafts):
            return  # nothing changes: no write
        if cleaned:
            drafts[name] = cleaned
        else:
            drafts.pop(name, None)
        self._write(drafts)

    def discard(self, name: str) -> None:
        """Forget the draft of ``name`` (errors ignored: a stale draft is harmless)."""
        with suppress(OSError):
            self.save(name, {})

    def rename(self, old: str, new: str) -> None:
        """Move the draft of ``old`` to ``new`` (errors ignored)."""
        drafts = self._read()
        if old not in drafts:
            return
        drafts[new] = drafts.pop(old)
        with suppress(OSError):
            self._write(drafts)


def _clean(fields: Mapping[str, object]) -> DraftFields:
    """Only string keys with string or boolean values; never a secret field."""
    return {
        key: value
        for key, value in fields.items()
        if isinstance(key, str) and key not in SECRET_FIELDS and isinstance(value, str | bool)
    }
