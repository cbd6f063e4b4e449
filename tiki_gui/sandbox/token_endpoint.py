"""``POST /sc/oauth2/token``: client authentication and the three grants Tiki documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tiki_gui.sandbox.client_auth import (
    authenticate_client,
    form_decode,
    parse_basic,
    requested_method,
)
from tiki_gui.sandbox.clients import SandboxClient, granted_scopes
from tiki_gui.sandbox.errors import OAuthFailure
from tiki_gui.sandbox.messages import FormError, Request, Response, json_response, parse_form
from tiki_gui.sandbox.store import IssuedTokens, SandboxStore

__all__ = ["TOKEN_PATH", "TokenEndpoint", "TokenOutcome"]

TOKEN_PATH = "/sc/oauth2/token"  # noqa: S105 -- a path, not a secret
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class TokenOutcome:
    """The answer to one token request, and what the server records about it."""

    response: Response
    grant_type: str | None
    client_id: str | None
    auth_method: str


def _success(tokens: IssuedTokens) -> Response:
    body: dict[str, object] = {
        "access_token": tokens.access_token,
        "expires_in": tokens.expires_in,
    }
    if tokens.refresh_token is not None:
        body["refresh_token"] = tokens.refresh_token
    body["scope"] = " ".join(tokens.scopes)
    body["token_type"] = "bearer"  # noqa: S105 -- the token type name
    return json_response(200, body)


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name, "")
    if not value:
        raise OAuthFailure("invalid_request", f"The POST body parameter '{name}' is missing.")
    return value


class TokenEndpoint:
    """Answers token requests as Hydra does, errors as JSON with the matching status."""

    def __init__(self, clients: Mapping[str, SandboxClient], store: SandboxStore) -> None:
        self._clients = clients
        self._store = store

    def handle(self, request: Request) -> TokenOutcome:
        form: dict[str, str] = {}
        authorization = request.header("authorization")
        basic = parse_basic(authorization)
        response: Response
        if request.method != "POST":
            failure = OAuthFailure(
                "invalid_request", "The token endpoint only accepts HTTP POST requests."
            )
            body = {**failure.as_json(), "status_code": 405}
            response = json_response(405, body, headers=(("Allow", "POST"),))
        else:
            try:
                form = self._parse(request)
                client = authenticate_client(self._clients, authorization, form)
                response = _success(self._grant(client, form))
            except OAuthFailure as failure:
                response = json_response(failure.status_code, failure.as_json())
        client_id = form.get("client_id") or None
        if basic is not None:
            try:
                client_id = form_decode(basic.raw_id)
            except ValueError:
                client_id = None
        return TokenOutcome(
            response=response,
            grant_type=form.get("grant_type") or None,
            client_id=client_id,
            auth_method=requested_method(basic, form),
        )

    @staticmethod
    def _parse(request: Request) -> dict[str, str]:
        if request.content_type != FORM_TYPE:
            got = request.content_type or "no Content-Type"
            raise OAuthFailure(
                "invalid_request",
                f"The request body must be encoded as '{FORM_TYPE}', not '{got}'.",
            )
        try:
            form = parse_form(request.body.decode("utf-8"))
        except (UnicodeDecodeError, FormError) as exc:
            raise OAuthFailure(
                "invalid_request", f"Unable to parse the HTTP body: {exc}."
            ) from None
        _required(form, "grant_type")
        return form

    def _grant(self, client: SandboxClient, form: Mapping[str, str]) -> IssuedTokens:
        grant_type = form["grant_type"]
        if grant_type not in ("authorization_code", "refresh_token", "client_credentials"):
            raise OAuthFailure(
                "unsupported_grant_type", f"The grant type '{grant_type}' is not supported."
            )
        if grant_type not in client.grant_types:
            raise OAuthFailure(
                "unauthorized_client",
                f"The OAuth 2.0 Client is not allowed to use authorization grant '{grant_type}'.",
            )
        if grant_type == "authorization_code":
            return self._store.redeem_code(
                _required(form, "code"),
                client_id=client.client_id,
                redirect_uri=form.get("redirect_uri"),
                code_verifier=form.get("code_verifier") or None,
                may_refresh="refresh_token" in client.grant_types,
            )
        if grant_type == "refresh_token":
            return self._store.rotate_refresh_token(
                _required(form, "refresh_token"), client_id=client.client_id
            )
        scopes = granted_scopes(client, form.get("scope", ""))
        return self._store.issue_client_credentials(client.client_id, scopes)
