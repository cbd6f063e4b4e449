"""What Tiki's OAuth error codes mean and what to try, in the UI's language.

The server's ``error`` code picks the sentence; the code itself and the server's description stay
as sent (the error panel shows them apart).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP

__all__ = ["oauth_advice"]

_ADVICE: dict[str, tuple[str, str]] = {
    "invalid_scope": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki refused the requested scopes."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Request only scopes your app is registered for, separated by spaces "
            "(for example 'offline product order').",
        ),
    ),
    "request_forbidden": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki refused to continue the sign-in (request_forbidden)."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "This usually means the sign-in cookies did not match, for example because two "
            "sign-ins overlapped or the page stayed open too long. Start again and finish one "
            "sign-in at a time.",
        ),
    ),
    "invalid_grant": (
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The authorization code was not accepted (expired, already used, or issued for "
            "another redirect URI).",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Start again: a code can be used once and only for a few minutes."
        ),
    ),
    "invalid_state": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki refused the request's state."),
        QT_TRANSLATE_NOOP("ErrorText", "Start again (the app makes a new random state each time)."),
    ),
    "unauthorized_client": (
        QT_TRANSLATE_NOOP(
            "ErrorText", "This app is not allowed to use the authorization code flow."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Check the app's grant types in Tiki's console."),
    ),
    "login_required": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki needs the seller to sign in again."),
        QT_TRANSLATE_NOOP("ErrorText", "Start again and sign in on the consent page."),
    ),
    "consent_required": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki needs the seller's consent again."),
        QT_TRANSLATE_NOOP("ErrorText", "Start again and allow the request on the consent page."),
    ),
    "server_error": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki's authorization server had an internal error."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Try again in a moment; if it keeps happening, check Tiki's status or the endpoints.",
        ),
    ),
    "temporarily_unavailable": (
        QT_TRANSLATE_NOOP("ErrorText", "Tiki's authorization server is temporarily unavailable."),
        QT_TRANSLATE_NOOP("ErrorText", "Try again in a moment."),
    ),
}


def oauth_advice(error: str | None) -> tuple[str, str] | None:
    """(what happened, what to try) for a known OAuth ``error`` code, else None."""
    known = _ADVICE.get(error or "")
    if known is None:
        return None
    message, advice = known
    return (
        QCoreApplication.translate("ErrorText", message),
        QCoreApplication.translate("ErrorText", advice),
    )
