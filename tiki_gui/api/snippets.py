""" "Copy as" code: curl, Python httpx, Node fetch and PHP for the requests the app sends.

An :class:`HttpCall` is what the app sends, field for field: a seller API request (Bearer token,
``Accept: application/json``), or a token request (form-encoded body in the order
:mod:`tiki_gui.core.token_client` writes it, ``client_id`` in the body, and either the Basic
header with id and secret form-encoded first, RFC 6749 2.3.1, or ``client_secret`` in the body).

Secrets (client secret, code, code verifier, tokens) are :class:`EnvSecret` parts: rendered as a
reference to an environment variable (``"${TIKI_CLIENT_SECRET}"``, ``os.environ[...]``,
``process.env...``, ``getenv(...)``) unless ``include_secrets=True``. Literal text is quoted for
the target language (:mod:`tiki_gui.api.quoting`) by :mod:`tiki_gui.api.snippet_code`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from tiki_gui.api.console import ApiRequest, request_url
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.endpoints import validate_url

__all__ = [
    "ENV_ACCESS_TOKEN",
    "ENV_AUTH_CODE",
    "ENV_CLIENT_SECRET",
    "ENV_CODE_VERIFIER",
    "ENV_REFRESH_TOKEN",
    "EnvSecret",
    "HttpCall",
    "Part",
    "SnippetLanguage",
    "api_call",
    "refresh_call",
    "token_exchange_call",
]

ENV_CLIENT_SECRET = "TIKI_CLIENT_SECRET"  # noqa: S105 (a variable name)
ENV_ACCESS_TOKEN = "TIKI_ACCESS_TOKEN"  # noqa: S105
ENV_REFRESH_TOKEN = "TIKI_REFRESH_TOKEN"  # noqa: S105
ENV_AUTH_CODE = "TIKI_AUTH_CODE"
ENV_CODE_VERIFIER = "TIKI_CODE_VERIFIER"


class SnippetLanguage(StrEnum):
    CURL = "curl"
    PYTHON = "python"
    NODE = "node"
    PHP = "php"

    @property
    def label(self) -> str:
        return {
            "curl": "curl",
            "python": "Python (httpx)",
            "node": "Node.js (fetch)",
            "php": "PHP (curl)",
        }[self.value]


@dataclass(frozen=True, slots=True)
class EnvSecret:
    """A secret value, shown as the environment variable ``env`` unless secrets are included.

    ``value`` is None when the app does not have it (a code not received yet): the snippet then
    always refers to the variable.
    """

    env: str
    value: str | None = field(default=None, repr=False)


Part = str | EnvSecret


@dataclass(frozen=True, slots=True)
class HttpCall:
    """One request as the app sends it.

    ``headers`` and ``form`` values are sequences of parts joined without separator; ``body``
    is a request body sent as it is (the console's JSON, its ``Content-Type`` in ``headers``).
    ``basic`` is ``(client_id, secret)`` for ``client_secret_basic``: the header is
    ``Basic base64(form_urlencode(id) ":" form_urlencode(secret))``.
    """

    title: str
    method: str
    url: str
    headers: tuple[tuple[str, tuple[Part, ...]], ...] = ()
    form: tuple[tuple[str, tuple[Part, ...]], ...] = ()
    basic: tuple[str, EnvSecret] | None = None
    body: str = ""

    def secrets(self) -> tuple[EnvSecret, ...]:
        found: list[EnvSecret] = []
        parts = [p for _, v in (*self.headers, *self.form) for p in v]
        if self.basic is not None:
            parts.append(self.basic[1])
        for part in parts:
            if isinstance(part, EnvSecret) and part.env not in {s.env for s in found}:
                found.append(part)
        return tuple(found)


# -- building calls ---------------------------------------------------------------------------


def api_call(api_base: str, request: ApiRequest, access_token: str | None) -> HttpCall:
    """A seller API request with the Bearer token (from ``TIKI_ACCESS_TOKEN``), and its JSON
    body if it has one."""
    headers: tuple[tuple[str, tuple[Part, ...]], ...] = (
        ("Authorization", ("Bearer ", EnvSecret(ENV_ACCESS_TOKEN, access_token))),
        ("Accept", ("application/json",)),
    )
    if request.body:
        headers += (("Content-Type", ("application/json",)),)
    return HttpCall(
        title=f"Tiki seller API: {request.method} {request.path}",
        method=request.method,
        url=request_url(api_base, request),
        headers=headers,
        body=request.body,
    )


def _token_call(
    title: str,
    token_endpoint: str,
    credentials: ClientCredentials,
    form: Sequence[tuple[str, tuple[Part, ...]]],
) -> HttpCall:
    fields = [*form, ("client_id", (credentials.client_id,))]
    secret = EnvSecret(ENV_CLIENT_SECRET, credentials.client_secret)
    basic: tuple[str, EnvSecret] | None = None
    if credentials.method is AuthMethod.CLIENT_SECRET_POST:
        fields.append(("client_secret", (secret,)))
    else:
        basic = (credentials.client_id, secret)
    return HttpCall(
        title=title,
        method="POST",
        url=validate_url(token_endpoint, what="Token endpoint"),
        headers=(("Accept", ("application/json",)),),
        form=tuple(fields),
        basic=basic,
    )


def token_exchange_call(
    token_endpoint: str,
    credentials: ClientCredentials,
    *,
    redirect_uri: str,
    code: str | None = None,
    code_verifier: str | None = None,
    uses_pkce: bool = False,
) -> HttpCall:
    """The ``authorization_code`` grant as :meth:`TokenClient.exchange_code` sends it."""
    form: list[tuple[str, tuple[Part, ...]]] = [
        ("grant_type", ("authorization_code",)),
        ("code", (EnvSecret(ENV_AUTH_CODE, code),)),
        ("redirect_uri", (redirect_uri,)),
    ]
    if uses_pkce or code_verifier is not None:
        form.append(("code_verifier", (EnvSecret(ENV_CODE_VERIFIER, code_verifier),)))
    return _token_call(
        "Tiki token exchange (authorization_code)", token_endpoint, credentials, form
    )


def refresh_call(
    token_endpoint: str, credentials: ClientCredentials, refresh_token: str | None = None
) -> HttpCall:
    """The ``refresh_token`` grant as :meth:`TokenClient.refresh` sends it."""
    form: list[tuple[str, tuple[Part, ...]]] = [
        ("grant_type", ("refresh_token",)),
        ("refresh_token", (EnvSecret(ENV_REFRESH_TOKEN, refresh_token),)),
    ]
    return _token_call("Tiki token refresh (refresh_token)", token_endpoint, credentials, form)


# -- rendering --------------------------------------------------------------------------------
