"""OAuth 2.0 errors as Ory Hydra (fosite) writes them: error code, description, hint, status.

The descriptions are fosite's fixed sentences for each RFC 6749 error code; the hint says what
exactly went wrong. Neither ever contains a secret, a code or a token.
"""

from __future__ import annotations

__all__ = ["DESCRIPTIONS", "OAuthFailure"]

DESCRIPTIONS: dict[str, str] = {
    "invalid_request": (
        "The request is missing a required parameter, includes an invalid parameter value, "
        "includes a parameter more than once, or is otherwise malformed."
    ),
    "invalid_client": (
        "Client authentication failed (e.g., unknown client, no client authentication included, "
        "or unsupported authentication method)."
    ),
    "invalid_grant": (
        "The provided authorization grant (e.g., authorization code, resource owner credentials) "
        "or refresh token is invalid, expired, revoked, does not match the redirection URI used "
        "in the authorization request, or was issued to another client."
    ),
    "unauthorized_client": "The client is not authorized to request a token using this method.",
    "unsupported_grant_type": (
        "The authorization grant type is not supported by the authorization server."
    ),
    "unsupported_response_type": (
        "The authorization server does not support obtaining a token using this method."
    ),
    "invalid_scope": "The requested scope is invalid, unknown, or malformed.",
    "invalid_state": (
        "The state is missing or does not have enough characters and is therefore considered "
        "too weak."
    ),
    "access_denied": "The resource owner or authorization server denied the request.",
    "request_forbidden": "The request is not allowed.",
    "request_unauthorized": "The request could not be authorized.",
    "server_error": (
        "The authorization server encountered an unexpected condition that prevented it from "
        "fulfilling the request."
    ),
}

_STATUS: dict[str, int] = {
    "invalid_client": 401,
    "request_unauthorized": 401,
    "access_denied": 403,
    "request_forbidden": 403,
    "server_error": 500,
}


class OAuthFailure(Exception):  # noqa: N818 -- named like fosite's RFC6749Error values
    """One RFC 6749 error answer: ``error``, ``error_description``, ``error_hint``, status."""

    def __init__(self, error: str, hint: str | None = None) -> None:
        self.error = error
        self.description = DESCRIPTIONS.get(error, error.replace("_", " ").capitalize() + ".")
        self.hint = hint
        self.status_code = _STATUS.get(error, 400)
        super().__init__(f"{error}: {hint}" if hint else error)

    def as_json(self) -> dict[str, object]:
        """The token endpoint's JSON error body (older Hydra: hint and status code included)."""
        body: dict[str, object] = {"error": self.error, "error_description": self.description}
        if self.hint:
            body["error_hint"] = self.hint
        body["status_code"] = self.status_code
        return body

    def as_query(self, state: str) -> dict[str, str]:
        """The parameters of an error redirect to the app (older Hydra style, hint separate)."""
        return {
            "error": self.error,
            "error_description": self.description,
            "error_hint": self.hint or "",
            "state": state,
        }
