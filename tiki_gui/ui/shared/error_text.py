"""Turn what went wrong in a flow into words: a readable sentence, the server's raw fields, and
what to try, in the UI's language (``QCoreApplication.translate``: no window needed, so every
case is tested without one).

The server's ``error``, ``error_description`` and ``error_hint`` are kept exactly as sent; the
sentence and the advice are ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale

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
    TlsError,
    TransportError,
    ValidationError,
)
from tiki_gui.core.options import AuthMethod
from tiki_gui.core.preflight import TokenEndpointUnreachableError
from tiki_gui.signin.errors import LoopbackError, PortInUseError
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.shared.labels import label
from tiki_gui.ui.shared.oauth_advice import oauth_advice

__all__ = [
    "ConsentPageError",
    "ErrorReport",
    "LoopbackTimeoutError",
    "describe_error",
    "duration_text",
]


class ConsentPageError(TransportError):
    """The embedded browser could not load a page of the sign-in (server down, wrong URL)."""


class LoopbackTimeoutError(LoopbackError):
    """No redirect reached the loopback listener in time; the listener was closed."""

    def __init__(self, message: str, *, timeout_s: float | None = None) -> None:
        super().__init__(message)
        self.timeout_s = timeout_s


def duration_text(seconds: float) -> str:
    """``10 minutes``, ``1 minute``, ``90 seconds``, ``0.5 seconds``, in the UI's language."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        if minutes == 1:
            return QCoreApplication.translate("ErrorText", "1 minute")
        return QCoreApplication.translate("ErrorText", "{n} minutes").format(
            n=QLocale().toString(minutes)
        )
    if seconds == 1:
        return QCoreApplication.translate("ErrorText", "1 second")
    return QCoreApplication.translate("ErrorText", "{n} seconds").format(
        n=QLocale().toString(seconds, "g", 6)
    )


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
        what_to_try = QCoreApplication.translate("ErrorText", "What to try: {advice}")
        lines = [self.message, what_to_try.format(advice=self.advice)]
        for name, value in (
            ("error", self.error),
            ("error_description", self.description),
            ("error_hint", self.hint),
            (
                QCoreApplication.translate("ErrorReport", "HTTP status"),
                None if self.status_code is None else str(self.status_code),
            ),
            ("detail", self.detail),
        ):
            if value:
                lines.append(f"{name}: {value}")
        return "\n".join(lines)


_METHOD_HINT = re.compile(r"supports client authentication method '([a-z_]+)'")


def _registered_method(exc: OAuthError) -> str | None:
    """The auth method the server says the app is registered for (a hint), if it says."""
    text = " ".join(part for part in (exc.hint, exc.description) if part)
    match = _METHOD_HINT.search(text)
    return None if match is None else match.group(1)


def _method_advice(exc: OAuthError) -> str | None:
    registered = _registered_method(exc)
    if registered is None:
        return None
    labels = {method.value: label(method) for method in AuthMethod}
    shown = labels.get(registered, registered)
    return QCoreApplication.translate(
        "ErrorText",
        "This app is registered for {method}; switch the auth method to \u201c{method}\u201d "
        "and try again.",
    ).format(method=shown)


def _describe_oauth(exc: OAuthError) -> tuple[str, str]:
    if isinstance(exc, AuthorizationDeniedError):
        return (
            QCoreApplication.translate(
                "ErrorText",
                "The seller declined the request (access_denied): no code and no tokens "
                "were issued.",
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Ask the seller to allow access, or request fewer scopes, then start again.",
            ),
        )
    if isinstance(exc, ErrorPageError):
        return _describe_error_page(exc)
    if exc.error == "invalid_client":
        method = _method_advice(exc)
        if method is not None:
            return QCoreApplication.translate(
                "ErrorText", "Tiki rejected the client authentication method (invalid_client)."
            ), method
        return (
            QCoreApplication.translate(
                "ErrorText", "Tiki did not accept the client credentials (invalid_client)."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Check the client ID and client secret (copy them again from Tiki's console) "
                "and the auth method the app was registered with.",
            ),
        )
    if exc.error == "invalid_request" and "redirect" in (exc.description or "").lower():
        return (
            QCoreApplication.translate(
                "ErrorText", "Tiki refused the redirect URI (invalid_request)."
            ),
            QCoreApplication.translate(
                "ErrorText", "Use exactly a redirect URI registered for the app in Tiki's console."
            ),
        )
    known = oauth_advice(exc.error)
    if known is not None:
        return known
    return (
        QCoreApplication.translate(
            "ErrorText", "Tiki answered with the error \u201c{error}\u201d."
        ).format(error=exc.error),
        QCoreApplication.translate(
            "ErrorText",
            "Read the server's description below, fix the setting it names and start again.",
        ),
    )


def _describe_error_page(exc: ErrorPageError) -> tuple[str, str]:
    text = " ".join(part for part in (exc.error, exc.description, exc.hint) if part).lower()
    message = QCoreApplication.translate(
        "ErrorText",
        "Tiki stopped the sign-in on its own error page, so the flow cannot reach the app "
        "({error}).",
    ).format(error=exc.error)
    if "redirect" in text:
        return message, QCoreApplication.translate(
            "ErrorText", "Use exactly a redirect URI registered for the app in Tiki's console."
        )
    if exc.error == "invalid_client" or "client" in text:
        return message, QCoreApplication.translate(
            "ErrorText", "Check the client ID: copy it again from Tiki's console."
        )
    if exc.error == "invalid_scope":
        _, advice = oauth_advice("invalid_scope") or ("", "")
        return message, advice
    return message, QCoreApplication.translate(
        "ErrorText", "Check the client ID, redirect URI and scopes, then start again."
    )


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
            message=QCoreApplication.translate(
                "ErrorText",
                "The answer did not belong to this request (state mismatch), so the code "
                "was discarded and no token request was made.",
            ),
            advice=QCoreApplication.translate(
                "ErrorText",
                "This is a possible CSRF (cross-site request forgery) attempt or a stale page: "
                "start again.",
            ),
            detail=str(exc),
        )
    if isinstance(exc, RedirectError):
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText", "The redirect back from Tiki could not be used."
            ),
            advice=QCoreApplication.translate(
                "ErrorText", "Start again. If it keeps happening, check the redirect URI."
            ),
            detail=str(exc),
        )
    if isinstance(exc, ConsentPageError):
        reason = str(exc).strip()  # the embedded browser's own sentence (host and reason)
        if reason and not reason.endswith((".", "!", "?")):
            reason += "."
        if "certificate" in reason.lower():
            advice = QCoreApplication.translate(
                "ErrorText",
                "The server did not prove it is the site it claims to be, so nothing was sent "
                "to it. Check the authorization endpoint under Advanced (Tiki's is "
                "{endpoint}), and the computer's clock.",
            ).format(endpoint=TIKI_PRODUCTION.authorization_endpoint)
        else:
            advice = QCoreApplication.translate(
                "ErrorText",
                "Check your network connection and the authorization endpoint under Advanced.",
            )
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText", "The sign-in page could not be loaded. {reason}"
            )
            .format(reason=reason)
            .strip(),
            advice=advice,
            detail=str(exc),
            field="authorization_endpoint",
        )
    if isinstance(exc, TokenEndpointUnreachableError):
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText",
                "The token endpoint did not answer, so the seller was not sent to sign in "
                "(the code could not have been exchanged).",
            ),
            advice=QCoreApplication.translate(
                "ErrorText",
                "Check the token endpoint under Advanced (Tiki's is {endpoint}) and your "
                "network connection, then start again.",
            ).format(endpoint=TIKI_PRODUCTION.token_endpoint),
            detail=str(exc),
            field="token_endpoint",
        )
    if isinstance(exc, TransportError):
        if isinstance(exc, RequestTimeoutError):
            message = QCoreApplication.translate(
                "ErrorText", "The token endpoint did not answer in time."
            )
        elif isinstance(exc, TlsError):
            message = QCoreApplication.translate(
                "ErrorText", "The secure (TLS) connection to the token endpoint failed."
            )
        elif isinstance(exc, ConnectionFailedError):
            message = QCoreApplication.translate(
                "ErrorText", "Could not connect to the token endpoint."
            )
        else:
            message = QCoreApplication.translate(
                "ErrorText", "The token request failed on the network."
            )
        return ErrorReport(
            message=message,
            advice=QCoreApplication.translate(
                "ErrorText",
                "Check your network connection and the token endpoint under Advanced. "
                "The code may already be spent: start again rather than retrying.",
            ),
            detail=str(exc),
            field="token_endpoint",
        )
    if isinstance(exc, MalformedResponseError):
        if exc.status_code is None:
            message = QCoreApplication.translate(
                "ErrorText",
                "The token endpoint answered with something that is not an OAuth token response.",
            )
        else:
            message = QCoreApplication.translate(
                "ErrorText",
                "The token endpoint answered with something that is not an OAuth token "
                "response (HTTP {status}).",
            ).format(status=exc.status_code)
        return ErrorReport(
            message=message,
            advice=QCoreApplication.translate(
                "ErrorText",
                "Check that the token endpoint under Advanced is Tiki's token URL; the server "
                "may also be failing. Start again.",
            ),
            status_code=exc.status_code,
            detail=str(exc),
            field="token_endpoint",
        )
    if isinstance(exc, LoopbackTimeoutError):
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText",
                "No redirect arrived within {duration}, so the app stopped listening. Press "
                "Authorize to start again.",
            ).format(duration=duration_text(exc.timeout_s or 0)),
            detail=str(exc),
            advice=QCoreApplication.translate(
                "ErrorText",
                "Sign in and allow access in the browser sooner after pressing Authorize. If "
                "the browser did go back to the redirect URI, check that it is the one in the "
                'form, or sign in with "Paste the redirect URL" instead.',
            ),
        )
    if isinstance(exc, PortInUseError):
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText",
                "Port {port} on {host} is already in use by another program, so the app cannot "
                "receive the redirect there.",
            ).format(port=exc.port, host=exc.host),
            advice=QCoreApplication.translate(
                "ErrorText",
                "Close that program (or another tiki-gui sign-in), or use a redirect URI with "
                'another port (and register it), or sign in with "Paste the redirect URL" '
                "instead.",
            ),
            detail=str(exc),
        )
    if isinstance(exc, LoopbackError):
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText", "The app could not listen for the redirect on this computer."
            ),
            detail=str(exc),
            advice=QCoreApplication.translate(
                "ErrorText",
                "Choose another port in the redirect URI (and register it), close the program "
                'that uses it, or sign in with "Paste the redirect URL" instead.',
            ),
            field="redirect_uri",
        )
    if isinstance(exc, ValidationError):
        return ErrorReport(
            message=QCoreApplication.translate(
                "ErrorText", "A value in the form cannot be used: {problem}"
            ).format(problem=core_text(str(exc))),
            advice=QCoreApplication.translate("ErrorText", "Correct it and start again."),
        )
    return ErrorReport(
        message=QCoreApplication.translate(
            "ErrorText", "Something unexpected went wrong ({name})."
        ).format(name=type(exc).__name__),
        advice=QCoreApplication.translate(
            "ErrorText",
            "Start again. If it keeps happening, please report it with the details below.",
        ),
        detail=str(exc)[:300],
    )
