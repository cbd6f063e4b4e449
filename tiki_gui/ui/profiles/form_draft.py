"""The form's draft: the fields typed but not saved in a profile, kept across a crash.

:class:`FormDrafts` turns the form's :class:`~tiki_gui.storage.profiles.Profile` into the fields
that differ from the profile as it was loaded or last saved (its *base*) and back. The
:class:`~tiki_gui.ui.profiles.controller.ProfilesController` calls :meth:`FormDrafts.keep` when it
saves (500 ms after the last edit, on a switch, before a sign-in and on quit) and
:meth:`FormDrafts.restore` when it opens a profile; the file itself is the Qt-free
:class:`~tiki_gui.storage.drafts.DraftStore`. A profile has no secret, so none is ever part of a
draft; nor are the Sandbox profile's server addresses (its local server gets a new port every
run). The draft's keys are the form's field names (``scope`` is the scopes as one string), as
the drafts written before the form's value was a profile.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from typing import Any

from tiki_gui.storage import SANDBOX_PROFILE_NAME
from tiki_gui.storage.drafts import SECRET_FIELDS, DraftFields, DraftStore
from tiki_gui.storage.profiles import Profile

__all__ = ["SANDBOX_SERVER_FIELDS", "FormDrafts", "draft_fields", "with_draft"]

_log = logging.getLogger(__name__)

_SCOPE = "scope"  # the draft's key for Profile.scopes, written as one string
_FIELDS = tuple(
    _SCOPE if f.name == "scopes" else f.name
    for f in dataclasses.fields(Profile)
    if f.name != "name" and f.name not in SECRET_FIELDS
)
SANDBOX_SERVER_FIELDS = frozenset(
    {"authorization_endpoint", "token_endpoint", "api_base", "issuer"}
)
"""Where the built-in Sandbox profile's server is: a new port every run, so never drafted."""


def _value(profile: Profile, name: str) -> str | bool:
    """The field ``name`` of ``profile`` as a draft holds it (options as their values)."""
    if name == _SCOPE:
        return profile.scope
    field = getattr(profile, name)
    value: str | bool = field.value if isinstance(field, enum.Enum) else field
    return value


def draft_fields(base: Profile, profile: Profile) -> DraftFields:
    """The fields of ``profile`` that differ from ``base``."""
    return {
        name: _value(profile, name)
        for name in _FIELDS
        if _value(profile, name) != _value(base, name)
    }


def with_draft(base: Profile, fields: DraftFields) -> Profile:
    """``base`` with the draft's fields; a field this version cannot use is left out."""
    profile = base
    for name in _FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if type(value) is not type(_value(base, name)):
            continue  # a bool where a string belongs, or the reverse
        change: dict[str, Any] = {name: value}
        if name == _SCOPE and isinstance(value, str):
            change = {"scopes": tuple(value.split())}
        try:  # a string option becomes its enum in the class
            profile = dataclasses.replace(profile, **change)
        except ValueError:  # an option this version does not know
            continue
    return profile


class FormDrafts:
    """The drafts of the form, per profile name; see the module."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store

    def keep(self, name: str, profile: Profile, saved: Profile | None) -> None:
        """Keep what ``profile`` changes of ``saved`` (None: a profile not saved yet, whose base
        is the empty form) as the draft of ``name``; nothing changed: the draft is dropped."""
        if not name:
            return
        fields = draft_fields(saved or Profile(), profile)
        if name == SANDBOX_PROFILE_NAME:
            fields = {k: v for k, v in fields.items() if k not in SANDBOX_SERVER_FIELDS}
        try:
            self.store.save(name, fields)
        except OSError as exc:  # a draft is a convenience: never fail a save over it
            _log.warning("form draft not written: %s", type(exc).__name__)

    def restore(self, name: str, base: Profile) -> Profile | None:
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
