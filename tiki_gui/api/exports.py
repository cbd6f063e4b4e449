"""A seller's token as an environment for Postman, Insomnia and Bruno, in each tool's own format.

Variables: ``base_url``, ``seller_id``, ``access_token``, ``expires_at`` (ISO 8601, UTC), and
``refresh_token`` only when it was asked for. Secret values are marked where the format can
carry the value and the mark together:

- Postman environment (``*.postman_environment.json``): tokens have ``"type": "secret"`` (masked
  in Postman's UI), other values ``"default"``; the file layout is the one Postman exports.
- Insomnia export format 4 (JSON): a workspace, its base environment (base_url, seller_id,
  expires_at) and a private sub-environment (``isPrivate``: never synced) holding the tokens.
- Bruno environment (``environments/<name>.bru``): a ``vars { ... }`` block. Bruno's
  ``vars:secret [ ... ]`` lists names only and keeps the values outside the file, so a token
  marked secret there would arrive empty: the tokens are plain ``vars``.

Every file holds a live token: :data:`LIVE_TOKEN_WARNING` says so, for the export dialog.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.tokens import TokenSet

__all__ = [
    "LIVE_TOKEN_WARNING",
    "ExportFormat",
    "TokenExport",
    "bruno_environment",
    "export_file",
    "insomnia_export",
    "postman_environment",
]

LIVE_TOKEN_WARNING = (
    "This file holds a live access token{refresh}: anyone who has it can call Tiki's API as "  # noqa: S105
    "this seller until the token expires. Keep it out of shared folders and version control, "
    "and delete it when you are done."
)


class ExportFormat(StrEnum):
    POSTMAN = "postman"
    INSOMNIA = "insomnia"
    BRUNO = "bruno"

    @property
    def label(self) -> str:
        return {"postman": "Postman", "insomnia": "Insomnia", "bruno": "Bruno"}[self.value]


@dataclass(frozen=True, slots=True)
class TokenExport:
    """What an export holds. ``refresh_token`` is set only when the person asked for it."""

    name: str
    base_url: str
    seller_id: int | None
    access_token: str = field(repr=False)
    expires_at: datetime | None
    refresh_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        validate_url(self.base_url, what="API base URL")
        if not self.name.strip() or any(not ch.isprintable() for ch in self.name):
            raise ValidationError("The environment name must be a printable, non-empty text.")
        for value in (self.access_token, self.refresh_token or "x"):
            if not value or any(ch.isspace() or not ch.isprintable() for ch in value):
                raise ValidationError("A token to export is empty or contains spaces.")

    @classmethod
    def from_token(
        cls,
        token: TokenSet,
        *,
        name: str,
        base_url: str,
        seller_id: int | None,
        include_refresh_token: bool = False,
    ) -> TokenExport:
        return cls(
            name=name,
            base_url=base_url,
            seller_id=seller_id,
            access_token=token.access_token,
            expires_at=token.expires_at,
            refresh_token=token.refresh_token if include_refresh_token else None,
        )

    @property
    def warning(self) -> str:
        refresh = " and a refresh token" if self.refresh_token else ""
        return LIVE_TOKEN_WARNING.format(refresh=refresh)

    def variables(self) -> list[tuple[str, str, bool]]:
        """``(name, value, is_secret)`` in the order every format writes them."""
        expires = "" if self.expires_at is None else _iso(self.expires_at)
        found = [
            ("base_url", self.base_url.rstrip("/"), False),
            ("seller_id", "" if self.seller_id is None else str(self.seller_id), False),
            ("access_token", self.access_token, True),
            ("expires_at", expires, False),
        ]
        if self.refresh_token:
            found.append(("refresh_token", self.refresh_token, True))
        return found


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else now.astimezone(UTC)


def postman_environment(export: TokenExport, *, now: datetime | None = None) -> str:
    """A Postman environment file, as Postman's own "Export" writes one."""
    moment = _now(now)
    document = {
        "id": str(uuid.uuid4()),
        "name": export.name,
        "values": [
            {"key": key, "value": value, "type": "secret" if secret else "default", "enabled": True}
            for key, value, secret in export.variables()
        ],
        "_postman_variable_scope": "environment",
        "_postman_exported_at": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "_postman_exported_using": "tiki-gui",
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def insomnia_export(export: TokenExport, *, now: datetime | None = None) -> str:
    """An Insomnia export (format 4): a workspace with a base and a private token environment."""
    moment = _now(now)
    millis = int(moment.timestamp() * 1000)
    workspace = f"wrk_{uuid.uuid4().hex}"
    base_env = f"env_{uuid.uuid4().hex}"
    plain = {k: v for k, v, secret in export.variables() if not secret}
    tokens = {k: v for k, v, secret in export.variables() if secret}

    def environment(
        env_id: str, parent: str, name: str, data: dict[str, str], private: bool
    ) -> dict[str, object]:
        return {
            "_id": env_id,
            "parentId": parent,
            "modified": millis,
            "created": millis,
            "name": name,
            "data": data,
            "dataPropertyOrder": {"&": list(data)},
            "color": None,
            "isPrivate": private,
            "metaSortKey": millis,
            "_type": "environment",
        }

    document = {
        "_type": "export",
        "__export_format": 4,
        "__export_date": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "__export_source": "tiki-gui",
        "resources": [
            {
                "_id": workspace,
                "parentId": None,
                "modified": millis,
                "created": millis,
                "name": export.name,
                "description": "Tiki seller API token exported by tiki-gui",
                "scope": "collection",
                "_type": "workspace",
            },
            environment(base_env, workspace, "Base Environment", plain, False),
            environment(f"env_{uuid.uuid4().hex}", base_env, "Tiki token", tokens, True),
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def bruno_environment(export: TokenExport) -> str:
    """A Bruno environment file (``.bru``): one ``vars`` block, one ``name: value`` per line."""
    lines = ["vars {"]
    for key, value, _secret in export.variables():
        if value != value.strip() or "\n" in value or "\r" in value:
            raise ValidationError(f"{key} cannot be written to a Bruno file (spaces or lines).")
        lines.append(f"  {key}: {value}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _file_stem(name: str) -> str:
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name).strip("-.")
    return stem or "tiki"


def export_file(
    export: TokenExport, fmt: ExportFormat, *, now: datetime | None = None
) -> tuple[str, str]:
    """``(suggested file name, content)`` of ``export`` in ``fmt``."""
    stem = _file_stem(export.name)
    if fmt is ExportFormat.POSTMAN:
        return f"{stem}.postman_environment.json", postman_environment(export, now=now)
    if fmt is ExportFormat.INSOMNIA:
        return f"{stem}.insomnia.json", insomnia_export(export, now=now)
    return f"{stem}.bru", bruno_environment(export)
