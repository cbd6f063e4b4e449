"""Turn what went wrong in a flow into words: a readable sentence, the server's raw fields, and
what to try, in the UI's language (``QCoreApplication.translate``: no window needed, so every
case is tested without one).

The server's ``error``, ``error_description`` and ``error_hint`` are kept exactly as sent
(:mod:`~tiki_gui.ui.shared.oauth_error_text`); the sentence and the advice are ours. The report
itself is :class:`~tiki_gui.ui.shared.error_report.ErrorReport`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QLocale

from tiki_gui.core.endpoints import TIKI_PRODUCTION
from tiki_gui.core.errors import (
    ConnectionFailedError,
    MalformedResponseError,
    OAuthError,
    RedirectError,
    RequestTimeoutError,
    StateMismatchError,
    TlsError,
    TransportError,
    ValidationError,
)
from tiki_gui.core.preflight import TokenEndpointUnreachableError
from tiki_gui.retranslatable import written_again
from tiki_gui.signin.errors import LoopbackError, PortInUseError
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.shared.error_report import ErrorReport
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP
from tiki_gui.ui.shared.oauth_error_text import describe_oauth_error

__all__ = [
    "ConsentPageError",
    "ErrorReport",
    "LoopbackTimeoutError",
    "describe_error",
    "duration_text",
]

E = TypeVar("E", bound=BaseException)


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
        n=QLocale().toString(float(seconds), "g", 6)  # an int (0, 90) is refused
    )


@dataclass(frozen=True, slots=True)
class _Told(Generic[E]):
    """How one kind of failure is told: our sentence and advice (source texts, translated when
    shown), the form field at fault, and the values their placeholders name."""

    kind: type[E]
    message: str
    advice: str
    field: str | None = None
    values: Callable[[E], Mapping[str, object]] = lambda _: {}


def _timeout_values(exc: LoopbackTimeoutError) -> Mapping[str, object]:
    return {"duration": duration_text(exc.timeout_s or 0)}


def _port_values(exc: PortInUseError) -> Mapping[str, object]:
    return {"port": exc.port, "host": exc.host}


# Failures told by their class alone. The first kind ``exc`` is an instance of wins, so
# subclasses come before their bases.
_TOLD_BY_KIND: tuple[_Told[Any], ...] = (
    _Told(
        TokenEndpointUnreachableError,
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The token endpoint did not answer, so the seller was not sent to sign in "
            "(the code could not have been exchanged).",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Check the token endpoint under Advanced (Tiki's is {endpoint}) and your "
            "network connection, then start again.",
        ),
        "token_endpoint",
        lambda _: {"endpoint": TIKI_PRODUCTION.token_endpoint},
    ),
    _Told(
        StateMismatchError,
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The answer did not belong to this request (state mismatch), so the code "
            "was discarded and no token request was made.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "This is a possible CSRF (cross-site request forgery) attempt or a stale page: "
            "start again.",
        ),
    ),
    _Told(
        RedirectError,
        QT_TRANSLATE_NOOP("ErrorText", "The redirect back from Tiki could not be used."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Start again. If it keeps happening, check the redirect URI."
        ),
    ),
    _Told(
        LoopbackTimeoutError,
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "No redirect arrived within {duration}, so the app stopped listening. Press "
            "Authorize to start again.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Sign in and allow access in the browser sooner after pressing Authorize. If "
            "the browser did go back to the redirect URI, check that it is the one in the "
            'form, or sign in with "Paste the redirect URL" instead.',
        ),
        values=_timeout_values,
    ),
    _Told(
        PortInUseError,
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Port {port} on {host} is already in use by another program, so the app cannot "
            "receive the redirect there.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Close that program (or another tiki-gui sign-in), or use a redirect URI with "
            'another port (and register it), or sign in with "Paste the redirect URL" '
            "instead.",
        ),
        values=_port_values,
    ),
    _Told(
        LoopbackError,
        QT_TRANSLATE_NOOP(
            "ErrorText", "The app could not listen for the redirect on this computer."
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Choose another port in the redirect URI (and register it), close the program "
            'that uses it, or sign in with "Paste the redirect URL" instead.',
        ),
        "redirect_uri",
    ),
)

# What failed on the network, by the transport error's class (else a generic sentence).
_TRANSPORT_MESSAGES: tuple[tuple[type[TransportError], str], ...] = (
    (
        RequestTimeoutError,
        QT_TRANSLATE_NOOP("ErrorText", "The token endpoint did not answer in time."),
    ),
    (
        TlsError,
        QT_TRANSLATE_NOOP("ErrorText", "The secure (TLS) connection to the token endpoint failed."),
    ),
    (
        ConnectionFailedError,
        QT_TRANSLATE_NOOP("ErrorText", "Could not connect to the token endpoint."),
    ),
)


def describe_error(exc: BaseException) -> ErrorReport:
    """The report for ``exc``; every message is free of secrets (core errors guarantee it)."""
    if isinstance(exc, OAuthError):
        return describe_oauth_error(exc)
    if isinstance(exc, ConsentPageError):
        # The embedded browser's own sentence (host and reason), in the UI's language now.
        reason = written_again(exc.args[0] if exc.args else "").strip()
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
    for told in _TOLD_BY_KIND:
        if isinstance(exc, told.kind):
            values = told.values(exc)
            return ErrorReport(
                message=QCoreApplication.translate("ErrorText", told.message).format(**values),
                advice=QCoreApplication.translate("ErrorText", told.advice).format(**values),
                detail=str(exc),
                field=told.field,
            )
    if isinstance(exc, TransportError):
        message = next(
            (text for kind, text in _TRANSPORT_MESSAGES if isinstance(exc, kind)),
            QT_TRANSLATE_NOOP("ErrorText", "The token request failed on the network."),
        )
        return ErrorReport(
            message=QCoreApplication.translate("ErrorText", message),
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
