"""The form's draft: the fields typed but not saved in a profile, kept across a crash.

:class:`FormDrafts` turns a :class:`~tiki_gui.ui.signin.client_config.ClientConfig` into the
fields that differ from the profile as it was loaded or last saved (its *base*) and back. The
:class:`~tiki_gui.ui.profiles.controller.ProfilesController` calls :meth:`FormDrafts.keep` when it
saves (500 ms after the last edit, on a switch, before a sign-in and on quit) and
:meth:`FormDrafts.restore` when it opens a profile; the file itself is the Qt-free
:class:`~tiki_gui.storage.drafts.DraftStore`. The client secret is never part of a draft, nor the
Sandbox profile's server addresses (its local server gets a new port every run).
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from typing import Any

from tiki_gui.storage import SANDBOX_PROFILE_NAME
from tiki_gui.storage.drafts import SECRET_FIELDS, DraftFields, DraftStore
from tiki_gui.ui.signin.client_config import ClientConfig

__all__ = ["SANDBOX_SERVER_FIELDS", "FormDrafts", "draft_fields", "with_draft"]

_log = logging.getLogger(__name__)

_FIELDS = tuple(f.name for f in dataclasses.fields(ClientConfig) if f.name not in SECRET_FIELDS)
SANDBOX_SERVER_FIELDS = frozenset(
    {"authorization_endpoint", "token_endpoint", "api_base", "issuer"}
)
"""Where the built-in Sandbox profile's server is: a new port every run, so never drafted."""


def draft_fields(base: ClientConfig, config: ClientConfig) -> DraftFields:
    """The fields of ``config`` that differ from ``base`` (options as their string values)."""
    fields: DraftFields = {}
    for name in _FIELDS:
        value = getattr(config, name)
        if value != getattr(base, name):
            fields[name] = value.value if isinstance(value, enum.Enum) else value
    return fields


def with_draft(base: ClientConfig, fields: DraftFields) -> ClientConfig:
    """``base`` with the draft's fields; a field this version cannot use is left out."""
    config = base
    for name in _FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if type(value) is not type(_plain(getattr(base, name))):
            continue  # a bool where a string belongs, or the reverse
        change: dict[str, Any] = {name: value}  # a string option becomes its enum in the class
        try:
            config = dataclasses.replace(config, **change)
        except ValueError:  # an option this version does not know
            continue
    return config


def _plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


class FormDrafts:
    """The drafts of the form, per profile name; see the module."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store

    def keep(self, name: str, config: ClientConfig, saved: ClientConfig | None) -> None:
        """Keep what ``config`` changes of ``saved`` (None: a profile not saved yet, whose base
        is the empty form) as the draft of ``name``; nothing changed: the draft is dropped."""
        if not name:
            return
        fields = draft_fields(saved or ClientConfig(), config)
        if name == SANDBOX_PROFILE_NAME:
            fields = {k: v for k, v in fields.items() if k not in SANDBOX_SERVER_FIELDS}
        try:
            self.store.save(name, fields)
        except OSError as exc:  # a draft is a convenience: never fail a save over it
            _log.warning("form draft not written: %s", type(exc).__name__)

    def restore(self, name: str, base: ClientConfig) -> ClientConfig | None:
        """``base`` with the draft of ``name``, or None if there is none."""
        fields = self.store.load(name)
        if name == SANDBOX_PROFILE_NAME:
            fields = {k: v for k, v in fields.items() if k not in SANDBOX_SERVER_FIELDS}
        if not fields:
            return None
        return with_draft(base, fields)

    def unsaved_names(self, known: list[str]) -> list[str]:
        """Profiles never saved that have a draft (the Sandbox's only with a sandbox running)."""
        return [
            name
            for name in self.store.names()
            if name not in known and name != SANDBOX_PROFILE_NAME
        ]
