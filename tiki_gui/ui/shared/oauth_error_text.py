"""Turn an OAuth error Tiki answered with into an :class:`ErrorReport`, in the UI's language.

The sentence and advice come from the error code (with :func:`oauth_advice` for the plain cases);
an ``invalid_client`` that names the auth method the app is registered for also says which method
to switch to, and the report names the form field at fault.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from tiki_gui.core.errors import AuthorizationDeniedError, ErrorPageError, OAuthError
from tiki_gui.core.options import AuthMethod
from tiki_gui.ui.shared.error_report import ErrorReport
from tiki_gui.ui.shared.labels import label
from tiki_gui.ui.shared.oauth_advice import oauth_advice

__all__ = ["describe_oauth_error"]


def describe_oauth_error(exc: OAuthError) -> ErrorReport:
    """The report for an OAuth error: the server's fields kept exactly as sent."""
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
