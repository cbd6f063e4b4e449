"""OAuth 2.0 clients the sandbox knows: Hydra-style client objects, the demo pair, a JSON loader.

A client file is a JSON list of objects shaped like Hydra's admin API clients::

    [{"client_id": "my-app", "client_secret": "s3cret",
      "token_endpoint_auth_method": "client_secret_post",
      "redirect_uris": ["http://127.0.0.1/callback"],
      "scope": "offline product order",
      "grant_types": ["authorization_code", "refresh_token"]}]

Missing keys take Hydra's defaults (``client_secret_basic``, scope ``offline_access offline
openid``, grant ``authorization_code``); keys the sandbox does not use are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from tiki_gui.sandbox.errors import OAuthFailure

__all__ = [
    "AUTH_METHODS",
    "DEMO_BASIC_CLIENT",
    "DEMO_POST_CLIENT",
    "GRANT_TYPES",
    "ClientConfigError",
    "SandboxClient",
    "load_clients",
    "redirect_uri_registered",
]

AUTH_METHODS: tuple[str, ...] = ("client_secret_basic", "client_secret_post")
GRANT_TYPES: tuple[str, ...] = ("authorization_code", "refresh_token", "client_credentials")
_LOOPBACK_HOSTS = ("127.0.0.1", "::1")


class ClientConfigError(ValueError):
    """A client object or client file the sandbox cannot serve; the message says which field."""


@dataclass(frozen=True, slots=True)
class SandboxClient:
    """One registered OAuth 2.0 client, as Hydra stores it."""

    client_id: str
    client_secret: str = field(repr=False)
    token_endpoint_auth_method: str
    redirect_uris: tuple[str, ...]
    scope: str
    grant_types: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.client_id:
            raise ClientConfigError("'client_id' must be a non-empty string")
        if not self.client_secret:
            raise ClientConfigError("'client_secret' must be a non-empty string")
        if self.token_endpoint_auth_method not in AUTH_METHODS:
            raise ClientConfigError(
                f"'token_endpoint_auth_method' must be one of {', '.join(AUTH_METHODS)}, "
                f"not {self.token_endpoint_auth_method!r}"
            )
        if not self.redirect_uris:
            raise ClientConfigError("'redirect_uris' must list at least one URL")
        for uri in self.redirect_uris:
            parts = urlsplit(uri)
            if not parts.scheme or not parts.netloc or parts.fragment:
                raise ClientConfigError(
                    f"redirect URI {uri!r} must be an absolute URL without a fragment"
                )
        for grant in self.grant_types:
            if grant not in GRANT_TYPES:
                raise ClientConfigError(
                    f"grant type {grant!r} is not supported (use {', '.join(GRANT_TYPES)})"
                )
        if not self.grant_types:
            raise ClientConfigError("'grant_types' must list at least one grant type")

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes the client may request (its ``scope`` split on spaces)."""
        return tuple(s for s in self.scope.split(" ") if s)

    @classmethod
    def from_json(cls, obj: Mapping[str, object]) -> SandboxClient:
        """Build a client from a Hydra-style JSON object; ClientConfigError names the bad field."""
        if not isinstance(obj, Mapping):
            raise ClientConfigError("a client must be a JSON object")
        return cls(
            client_id=_string(obj, "client_id", None),
            client_secret=_string(obj, "client_secret", None),
            token_endpoint_auth_method=_string(
                obj, "token_endpoint_auth_method", "client_secret_basic"
            ),
            redirect_uris=_strings(obj, "redirect_uris", None),
            scope=_string(obj, "scope", "offline_access offline openid"),
            grant_types=_strings(obj, "grant_types", ("authorization_code",)),
        )


def _string(obj: Mapping[str, object], key: str, default: str | None) -> str:
    value = obj.get(key, default)
    if value is None:
        raise ClientConfigError(f"{key!r} is required")
    if not isinstance(value, str):
        raise ClientConfigError(f"{key!r} must be a string, not {type(value).__name__}")
    return value


def _strings(
    obj: Mapping[str, object], key: str, default: tuple[str, ...] | None
) -> tuple[str, ...]:
    value = obj.get(key, default)
    if value is None:
        raise ClientConfigError(f"{key!r} is required")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ClientConfigError(f"{key!r} must be a list of strings")
    return tuple(str(v) for v in value)


def load_clients(path: str | Path) -> tuple[SandboxClient, ...]:
    """Read a JSON list of Hydra-style client objects; ClientConfigError says what is wrong."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ClientConfigError(f"{source}: cannot read the clients file: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClientConfigError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(data, list) or not data:
        raise ClientConfigError(f"{source}: must hold a non-empty JSON list of client objects")
    clients: list[SandboxClient] = []
    for index, item in enumerate(data, start=1):
        name = f"client #{index}"
        if isinstance(item, dict) and isinstance(item.get("client_id"), str):
            name += f" ({item['client_id']!r})"
        if not isinstance(item, dict):
            raise ClientConfigError(f"{source}: {name}: must be a JSON object")
        try:
            client = SandboxClient.from_json(item)
        except ClientConfigError as exc:
            raise ClientConfigError(f"{source}: {name}: {exc}") from None
        if any(c.client_id == client.client_id for c in clients):
            raise ClientConfigError(f"{source}: {name}: client_id is used twice")
        clients.append(client)
    return tuple(clients)


def redirect_uri_registered(client: SandboxClient, redirect_uri: str) -> bool:
    """Hydra's rule: exact string match, or a loopback URI whose port alone differs.

    For a registered ``http://127.0.0.1/...`` or ``http://[::1]/...`` URI any port matches
    (RFC 8252 section 7.3); scheme, host, path and query must still be the same.
    """
    if redirect_uri in client.redirect_uris:
        return True
    try:
        requested = urlsplit(redirect_uri)
        _ = requested.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    if requested.fragment or requested.username is not None or requested.password is not None:
        return False
    for registered_uri in client.redirect_uris:
        registered = urlsplit(registered_uri)
        if (
            registered.scheme == "http"
            and registered.hostname in _LOOPBACK_HOSTS
            and requested.scheme == registered.scheme
            and requested.hostname == registered.hostname
            and requested.path == registered.path
            and requested.query == registered.query
        ):
            return True
    return False


# Public demo secrets, with characters a Basic header must form-encode (RFC 6749 2.3.1).
DEMO_BASIC_CLIENT = SandboxClient(
    client_id="tiki-demo-basic",
    client_secret="sandbox basic+secret:with/odd%chars",  # noqa: S106 -- public demo secret
    token_endpoint_auth_method="client_secret_basic",  # noqa: S106 -- a method name
    redirect_uris=("https://example.com/tiki/callback", "http://127.0.0.1/callback"),
    scope="offline offline_access product order inventory multichannel all",
    grant_types=GRANT_TYPES,
)
"""Demo client authenticating with the Basic header (Tiki: "Basic header")."""

DEMO_POST_CLIENT = replace(
    DEMO_BASIC_CLIENT,
    client_id="tiki-demo-post",
    client_secret="sandbox post+secret:with/odd%chars",  # noqa: S106 -- public demo secret
    token_endpoint_auth_method="client_secret_post",  # noqa: S106 -- a method name
)
"""Demo client sending its secret in the form body (Tiki: "Request body")."""


def granted_scopes(client: SandboxClient, requested: str) -> tuple[str, ...]:
    """The space-separated ``requested`` scopes, each one allowed for ``client``, in order and
    without repeats; ``invalid_scope`` (as Hydra words it) for the first one that is not.
    A comma-joined list is one unknown scope."""
    scopes: list[str] = []
    for scope in requested.split(" "):
        if not scope or scope in scopes:
            continue
        if scope not in client.scopes:
            raise OAuthFailure(
                "invalid_scope",
                f"The OAuth 2.0 Client is not allowed to request scope '{scope}'.",
            )
        scopes.append(scope)
    return tuple(scopes)
