"""Client authentication at the token endpoint (RFC 6749 section 2.3.1).

Tiki lets an app pick exactly one method when it is registered, and rejects the other:

- ``client_secret_basic`` ("Basic header"): ``Authorization: Basic base64(id ":" secret)`` where id
  and secret are each form-urlencoded first, as section 2.3.1 and Appendix B require (Hydra
  form-decodes both, so a raw ``+`` in a secret would become a space). ``client_id`` is also sent
  in the body, as Tiki's documentation does; ``client_secret`` never is.
- ``client_secret_post`` ("Request body"): ``client_id`` and ``client_secret`` in the form body,
  no Authorization header.
"""

from __future__ import annotations

import base64
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote_plus

import httpx

from tiki_gui.core.errors import ValidationError
from tiki_gui.core.fields import check_client_id, check_client_secret
from tiki_gui.core.options import AuthMethod

__all__ = [
    "AuthMethod",
    "ClientCredentials",
    "ClientSecretBasicAuth",
    "authenticate_form",
    "basic_authorization",
]


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """An app's client id and secret, and the one method the server accepts them by."""

    client_id: str
    client_secret: str = field(repr=False)
    method: AuthMethod = AuthMethod.CLIENT_SECRET_BASIC

    def __post_init__(self) -> None:
        check_client_id(self.client_id)
        check_client_secret(self.client_secret)
        if not isinstance(self.method, AuthMethod):
            raise ValidationError(
                "The client authentication method must be 'client_secret_basic' or "
                "'client_secret_post'."
            )


def basic_authorization(client_id: str, client_secret: str) -> str:
    """``"Basic " + base64(form_urlencode(id) + ":" + form_urlencode(secret))`` (RFC 6749 2.3.1)."""
    userpass = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return "Basic " + base64.b64encode(userpass.encode("ascii")).decode("ascii")


class ClientSecretBasicAuth(httpx.Auth):
    """An ``httpx.Auth`` setting the form-encoded Basic header of :func:`basic_authorization`."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self._authorization = basic_authorization(client_id, client_secret)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._authorization
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


def authenticate_form(
    credentials: ClientCredentials, form: Mapping[str, str]
) -> tuple[dict[str, str], httpx.Auth | None]:
    """The token request body with the client's fields added, and the ``httpx.Auth`` to use.

    Both methods put ``client_id`` in the body. ``client_secret_post`` adds ``client_secret`` there;
    ``client_secret_basic`` never does (Hydra refuses a secret sent both ways) and returns a
    :class:`ClientSecretBasicAuth` instead.
    """
    if "client_secret" in form:
        raise ValueError("The form must not carry client_secret itself; credentials add it.")
    fields = dict(form)
    fields["client_id"] = credentials.client_id
    if credentials.method is AuthMethod.CLIENT_SECRET_POST:
        fields["client_secret"] = credentials.client_secret
        return fields, None
    return fields, ClientSecretBasicAuth(credentials.client_id, credentials.client_secret)
