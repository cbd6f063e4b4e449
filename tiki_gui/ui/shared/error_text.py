"""Turn what went wrong in a flow into words: a readable sentence, the server's raw fields, and
what to try. Qt-free, so every case is tested without a window.

The server's ``error``, ``error_description`` and ``error_hint`` are kept exactly as sent; the
sentence and the advice are ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    ConnectionFailedError,
    ErrorPageError,
    MalformedResponseError,
    OAuthError,
    RedirectError,
    RequestTimeoutError,
    StateMismatchError,
    TikiGuiError,
    TlsError,
    TransportError,
    ValidationError,
)
from tiki_gui.core.options import AuthMethod
from tiki_gui.core.preflight import TokenEndpointUnreachableError
from tiki_gui.signin.errors import LoopbackError
from tiki_gui.storage.errors import STATUS_SENTENCE_ERRORS

__all__ = [
    "ConsentPageError",
    "ErrorReport",
    "LoopbackTimeoutError",
    "describe_error",
    "storage_text",
]


class ConsentPageError(TransportError):
    """The embedded browser could not load a page of the sign-in (server down, wrong URL)."""


class LoopbackTimeoutError(LoopbackError):
    """No redirect reached the loopback listener in time; the listener was closed."""


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """What the error panel shows. ``error``/``description``/``hint`` are the server's words."""

    message: str
    advice: str
    error: str | None = None
    description: str | None = None
    hint: str | None = None
    status_code: int | None = None
    detail: str | None = None  # our own technical detail (transport reason, body excerpt)
    field: str | None = None  # the form field at fault (its objectName), if one is
    switch_to: str | None = None  # the auth method (AuthMethod value) the server asks for

    @property
    def server_answered(self) -> bool:
        """The details are the server's words (else our own: no server answered)."""
        return bool(self.error or self.status_code is not None)

    def as_text(self) -> str:
        """Everything, as plain text for the clipboard or a bug report."""
        lines = [self.message, f"What to try: {self.advice}"]
        for name, value in (
            ("error", self.error),
            ("error_description", self.description),
            ("error_hint", self.hint),
            ("HTTP status", None if self.status_code is None else str(self.status_code)),
            ("detail", self.detail),
        ):
            if value:
                lines.append(f"{name}: {value}")
        return "\n".join(lines)


_METHOD_HINT = re.compile(r"supports client authentication method '([a-z_]+)'")

_OAUTH_ADVICE: dict[str, tuple[str, str]] = {
    "invalid_scope": (
        "Tiki refused the requested scopes.",
        "Request only scopes your app is registered for, separated by spaces "
        "(for example 'offline product order').",
    ),
    "request_forbidden": (
        "Tiki refused to continue the sign-in (request_forbidden).",
        "This usually means the sign-in cookies did not match, for example because two "
        "sign-ins overlapped or the page stayed open too long. Start again and finish one "
        "sign-in at a time.",
    ),
    "invalid_grant": (
        "The authorization code was not accepted (expired, already used, or issued for "
        "another redirect URI).",
        "Start again: a code can be used once and only for a few minutes.",
    ),
    "invalid_state": (
        "Tiki refused the request's state.",
        "Start again (the app makes a new random state each time).",
    ),
    "unauthorized_client": (
        "This app is not allowed to use the authorization code flow.",
        "Check the app's grant types in Tiki's console.",
    ),
    "login_required": (
        "Tiki needs the seller to sign in again.",
        "Start again and sign in on the consent page.",
    ),
    "consent_required": (
        "Tiki needs the seller's consent again.",
        "Start again and allow the request on the consent page.",
    ),
    "server_error": (
        "Tiki's authorization server had an internal error.",
        "Try again in a moment; if it keeps happening, check Tiki's status or the endpoints.",
    ),
    "temporarily_unavailable": (
        "Tiki's authorization server is temporarily unavailable.",
        "Try again in a moment.",
    ),
}


def _registered_method(exc: OAuthError) -> str | None:
    """The auth method the server says the app is registered for (a hint), if it says."""
    text = " ".join(part for part in (exc.hint, exc.description) if part)
    match = _METHOD_HINT.search(text)
    return None if match is None else match.group(1)


def _method_advice(exc: OAuthError) -> str | None:
    registered = _registered_method(exc)
    if registered is None:
        return None
    labels = {method.value: method.label for method in AuthMethod}
    label = labels.get(registered, registered)
    return (
        f"This app is registered for {label}; switch the auth method to \u201c{label}\u201d "
        "and try again."
    )


def _describe_oauth(exc: OAuthError) -> tuple[str, str]:
    if isinstance(exc, AuthorizationDeniedError):
        return (
            "The seller declined the request (access_denied): no code and no tokens were issued.",
            "Ask the seller to allow access, or request fewer scopes, then start again.",
        )
    if isinstance(exc, ErrorPageError):
        return _describe_error_page(exc)
    if exc.error == "invalid_client":
        method = _method_advice(exc)
        if method is not None:
            return "Tiki rejected the client authentication method (invalid_client).", method
        return (
            "Tiki did not accept the client credentials (invalid_client).",
            "Check the client ID and client secret (copy them again from Tiki's console) and the "
            "auth method the app was registered with.",
        )
    if exc.error == "invalid_request" and "redirect" in (exc.description or "").lower():
        return (
            "Tiki refused the redirect URI (invalid_request).",
            "Use exactly a redirect URI registered for the app in Tiki's console.",
        )
    known = _OAUTH_ADVICE.get(exc.error)
    if known is not None:
        return known
    return (
        f"Tiki answered with the error \u201c{exc.error}\u201d.",
        "Read the server's description below, fix the setting it names and start again.",
    )


def _describe_error_page(exc: ErrorPageError) -> tuple[str, str]:
    text = " ".join(part for part in (exc.error, exc.description, exc.hint) if part).lower()
    message = (
        "Tiki stopped the sign-in on its own error page, so the flow cannot reach the app "
        f"({exc.error})."
    )
    if "redirect" in text:
        return message, "Use exactly a redirect URI registered for the app in Tiki's console."
    if exc.error == "invalid_client" or "client" in text:
        return message, "Check the client ID: copy it again from Tiki's console."
    if exc.error == "invalid_scope":
        return message, _OAUTH_ADVICE["invalid_scope"][1]
    return message, "Check the client ID, redirect URI and scopes, then start again."


def _oauth_field(exc: OAuthError, switch_to: str | None) -> str | None:
    """The form field an OAuth error points at."""
    if switch_to is not None:
        return "auth_method"
    text = " ".join(part for part in (exc.description, exc.hint) if part).lower()
    if exc.error == "invalid_scope":
        return "scope"
    if "redirect" in text:
        return "redirect_uri"
    if exc.error == "invalid_client":
        return "client_id" if isinstance(exc, ErrorPageError) else "client_secret"
    return None


def describe_error(exc: BaseException) -> ErrorReport:
    """The report for ``exc``; every message is free of secrets (core errors guarantee it)."""
    if isinstance(exc, OAuthError):
        message, advice = _describe_oauth(exc)
        switch_to = _registered_method(exc) if exc.error == "invalid_client" else None
        if switch_to not in {method.value for method in AuthMethod}:
            switch_to = None
        return ErrorReport(
            message=message,
            advice=advice,
            error=exc.error,
            description=exc.description,
            hint=exc.hint,
            status_code=exc.status_code,
            field=_oauth_field(exc, switch_to),
            switch_to=switch_to,
        )
    if isinstance(exc, StateMismatchError):
        return ErrorReport(
            message="The answer did not belong to this request (state mismatch), so the code "
            "was discarded and no token request was made.",
            advice="This is a possible CSRF (cross-site request forgery) attempt or a stale page: "
            "start again.",
            detail=str(exc),
        )
    if isinstance(exc, RedirectError):
        return ErrorReport(
            message="The redirect back from Tiki could not be used.",
            advice="Start again. If it keeps happening, check the redirect URI.",
            detail=str(exc),
        )
    if isinstance(exc, ConsentPageError):
        reason = str(exc).strip()  # the embedded browser's own sentence (host and reason)
        if reason and not reason.endswith((".", "!", "?")):
            reason += "."
        if "certificate" in reason.lower():
            advice = (
                "The server did not prove it is the site it claims to be, so nothing was sent "
                "to it. Check the authorization endpoint under Advanced (Tiki's is "
                f"{TIKI_PRODUCTION.authorization_endpoint}), and the computer's clock."
            )
        else:
            advice = "Check your network connection and the authorization endpoint under Advanced."
        return ErrorReport(
            message=f"The sign-in page could not be loaded. {reason}".strip(),
            advice=advice,
            detail=str(exc),
            field="authorization_endpoint",
        )
    if isinstance(exc, TokenEndpointUnreachableError):
        return ErrorReport(
            message="The token endpoint did not answer, so the seller was not sent to sign in "
            "(the code could not have been exchanged).",
            advice="Check the token endpoint under Advanced (Tiki's is "
            f"{TIKI_PRODUCTION.token_endpoint}) and your network connection, then start again.",
            detail=str(exc),
            field="token_endpoint",
        )
    if isinstance(exc, TransportError):
        if isinstance(exc, RequestTimeoutError):
            message = "The token endpoint did not answer in time."
        elif isinstance(exc, TlsError):
            message = "The secure (TLS) connection to the token endpoint failed."
        elif isinstance(exc, ConnectionFailedError):
            message = "Could not connect to the token endpoint."
        else:
            message = "The token request failed on the network."
        return ErrorReport(
            message=message,
            advice="Check your network connection and the token endpoint under Advanced. "
            "The code may already be spent: start again rather than retrying.",
            detail=str(exc),
            field="token_endpoint",
        )
    if isinstance(exc, MalformedResponseError):
        status = "" if exc.status_code is None else f" (HTTP {exc.status_code})"
        return ErrorReport(
            message=f"The token endpoint answered with something that is not an OAuth token "
            f"response{status}.",
            advice="Check that the token endpoint under Advanced is Tiki's token URL; the server "
            "may also be failing. Start again.",
            status_code=exc.status_code,
            detail=str(exc),
            field="token_endpoint",
        )
    if isinstance(exc, LoopbackTimeoutError):
        return ErrorReport(
            message=str(exc),
            advice="Sign in and allow access in the browser sooner after pressing Authorize. If "
            "the browser did go back to the redirect URI, check that it is the one in the form, "
            'or sign in with "Paste the redirect URL" instead.',
        )
    if isinstance(exc, LoopbackError):
        return ErrorReport(
            message=str(exc),
            advice="Choose another port in the redirect URI (and register it), close the program "
            'that uses it, or sign in with "Paste the redirect URL" instead.',
            field="redirect_uri",
        )
    if isinstance(exc, ValidationError):
        return ErrorReport(message=str(exc), advice="Correct it and start again.")
    return ErrorReport(
        message=f"Something unexpected went wrong ({type(exc).__name__}).",
        advice="Start again. If it keeps happening, please report it with the details below.",
        detail=str(exc)[:300],
    )


def storage_text(error: BaseException) -> str:
    """A status-bar sentence for an error from the storage, a worker or the network."""
    if isinstance(error, STATUS_SENTENCE_ERRORS):
        return str(error)  # plain sentences from names and ids only (storage.errors)
    if isinstance(error, TikiGuiError | OSError):
        report = describe_error(error)
        return f"{report.message} {report.advice}".strip()
    return f"Unexpected {type(error).__name__}."
