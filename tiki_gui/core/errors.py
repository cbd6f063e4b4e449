"""One error tree with one root: everything tiki-gui raises is a :class:`TikiGuiError`.

The whole tree, with the module each class lives in (this module unless named)::

    TikiGuiError
    ├── ValidationError (also ValueError)      bad user input: scope with commas, bad URL, ...
    │   ├── ReservedProfileError               storage.errors: the built-in "Sandbox" profile
    │   └── WriteNotAllowedError               api.console: a write without the explicit switch
    ├── OAuthError                             an RFC 6749 error answered by the server
    │   ├── AuthorizationDeniedError           "access_denied" in the redirect
    │   └── ErrorPageError                     Hydra's own /oauth2/fallbacks/error page
    ├── RedirectError                          the redirect URL is unusable
    │   ├── StateMismatchError                 missing or different state: the code is discarded
    │   └── IssuerMismatchError                core.redirect: ``iss`` is not the expected issuer
    ├── TransportError                         the network failed; no answer from the server
    │   ├── RequestTimeoutError                a phase timed out, or the total deadline passed
    │   ├── RequestCancelledError              cancelled by the user while under way
    │   ├── ConnectionFailedError              refused, DNS, reset
    │   │   └── ProxyFailedError               the proxy refused (407, 403, 502) or is unreachable
    │   ├── TlsError
    │   ├── TokenEndpointUnreachableError      core.preflight: no answer before the sign-in
    │   └── ConsentPageError                   ui.shared.error_text: a sign-in page did not load
    ├── MalformedResponseError                 an answer that is not the JSON we expect
    │   └── ResponseTooLargeError              more than the size cap (decoded), not read further
    ├── ApiError                               Tiki seller API ``{"errors": [...]}``
    │   ├── ApiUnauthorizedError               401
    │   ├── ApiForbiddenError                  403
    │   └── ApiRateLimitedError                429
    ├── LoopbackError                          signin.errors: cannot receive the redirect itself
    │   ├── PortInUseError                     signin.errors: the redirect URI's port is taken
    │   └── LoopbackTimeoutError               ui.shared.error_text: no redirect arrived in time
    ├── BrowserLaunchError                     signin.errors: the system browser did not open
    ├── KeyringUnavailableError                storage.errors: no usable OS keyring
    │   └── TokenNotSavedError                 storage.errors: a rotated pair could not be stored
    ├── ProfileNotFoundError                   storage.errors
    ├── ProfileExistsError                     storage.errors
    ├── MissingClientSecretError               storage.errors
    ├── NoTokenError                           storage.errors
    ├── SellerAmbiguousError                   storage.errors
    ├── ReauthorizationRequiredError           storage.errors: refresh refused or impossible
    ├── LockTimeoutError                       storage.errors: another process held the lock
    └── SettingsFileError                      storage.errors: profiles.json cannot be read

Outside the tree on purpose: the sandbox's own errors (``sandbox.errors.OAuthFailure``,
``sandbox.messages.FormError``, ``sandbox.clients.ClientConfigError``,
``sandbox.seller_api._BadQueryError``, ``sandbox.order_writes.WriteRefusedError``: the sandbox
never imports the client),
``core.seller._BadFieldError`` (private, turned into a MalformedResponseError before it leaves
the module), ``core.routing.ProxyRefusal`` (an ``httpx.ProxyError`` raised inside the transport,
turned into ProxyFailedError by ``core.routing.proxy_failed_error``) and
``webengine.js.JavaScriptTimeoutError`` (a test and self-test helper).

Messages are built only from values that are not secret (error codes, server descriptions from
which the request's secrets were removed, host names, status codes), so ``str()`` and ``repr()`` of
every error are safe to show and to log.
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "ApiForbiddenError",
    "ApiRateLimitedError",
    "ApiUnauthorizedError",
    "AuthorizationDeniedError",
    "ConnectionFailedError",
    "ErrorPageError",
    "MalformedResponseError",
    "OAuthError",
    "ProxyFailedError",
    "RedirectError",
    "RequestCancelledError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "StateMismatchError",
    "TikiGuiError",
    "TlsError",
    "TransportError",
    "ValidationError",
]


class TikiGuiError(Exception):
    """Root of every error the core raises."""


class ValidationError(TikiGuiError, ValueError):
    """Input that cannot be used (a scope list with commas, an http:// endpoint, ...).

    The message is a sentence meant for the person who typed the value.
    """


class OAuthError(TikiGuiError):
    """An OAuth 2.0 error answered by the authorization server (RFC 6749 4.1.2.1 and 5.2).

    ``error`` is the RFC error code (``invalid_client``, ``invalid_grant``, ...). ``description``
    is kept exactly as sent (newer Hydra folds the hint into it); ``hint`` is older Hydra's
    ``error_hint`` and may be None. ``status_code`` is the HTTP status of a token endpoint answer,
    None for errors carried by a redirect.
    """

    error: str
    description: str | None
    hint: str | None
    uri: str | None
    status_code: int | None

    def __init__(
        self,
        error: str,
        description: str | None = None,
        hint: str | None = None,
        uri: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.error = error
        self.description = description
        self.hint = hint
        self.uri = uri
        self.status_code = status_code
        super().__init__(self._message())

    def _message(self) -> str:
        text = self.error
        if self.description:
            text += f": {self.description}"
        if self.hint and self.hint not in (self.description or ""):
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self._message()


class AuthorizationDeniedError(OAuthError):
    """The seller (or the server on their behalf) refused the request: ``access_denied``."""


class ErrorPageError(OAuthError):
    """The flow ended on Hydra's own error page and can never reach the redirect URI.

    Hydra shows this page instead of redirecting when ``client_id`` or ``redirect_uri`` is
    invalid, so the app must stop waiting and say why.
    """


class RedirectError(TikiGuiError):
    """The URL the browser was sent to cannot be used (wrong target, no code and no error)."""


class StateMismatchError(RedirectError):
    """The redirect's ``state`` is missing or differs from the one sent: the code was discarded."""


class TransportError(TikiGuiError):
    """The request did not get an answer: timeout, refused or reset connection, TLS failure.

    Kept apart from :class:`OAuthError`: the server said nothing, so nothing is known about the
    code or token sent (a code must still not be sent again). ``reason`` is a short, secret-free
    description of the low-level failure. ``maybe_sent`` is False only when the request surely
    never left (no connection could be made, cancelled before sending): then the server did
    nothing with it.
    """

    reason: str
    maybe_sent: bool

    def __init__(self, message: str, *, reason: str = "", maybe_sent: bool = True) -> None:
        self.reason = reason
        self.maybe_sent = maybe_sent
        super().__init__(message)


class RequestTimeoutError(TransportError):
    """The server did not answer in time (connect, read, write or pool timeout)."""


class RequestCancelledError(TransportError):
    """The request was cancelled (Cancel pressed, window closed) before its answer was read.

    Like any :class:`TransportError`, nothing is known of what the server did with it: a code
    sent may have been used, a refresh token may have been rotated.
    """


class ConnectionFailedError(TransportError):
    """The connection could not be made or broke: refused, unknown host, reset mid-answer."""


class ProxyFailedError(ConnectionFailedError):
    """The proxy in the way refused the connection (``407`` wants credentials, ``403``, ``502``)
    or could not be reached. ``proxy`` is its ``host:port`` (never its credentials);
    ``status_code`` the proxy's HTTP status, None when it was not reached."""

    proxy: str
    status_code: int | None

    def __init__(
        self, message: str, *, proxy: str, status_code: int | None = None, reason: str = ""
    ) -> None:
        self.proxy = proxy
        self.status_code = status_code
        # The proxy stood between us and the server: nothing reached the server.
        super().__init__(message, reason=reason, maybe_sent=False)


class TlsError(TransportError):
    """The TLS handshake failed: bad or self-signed certificate, or a server not speaking TLS."""


class MalformedResponseError(TikiGuiError):
    """The server answered, but not with the JSON shape expected.

    ``excerpt`` is at most 120 characters of the body, with the request's secrets and anything
    that looks like a token removed. ``status_code`` is the HTTP status, when there was one;
    ``message`` is the sentence without status and excerpt.
    """

    message: str
    status_code: int | None
    excerpt: str

    def __init__(self, message: str, *, status_code: int | None = None, excerpt: str = "") -> None:
        self.message = message
        self.status_code = status_code
        self.excerpt = excerpt
        text = message
        if status_code is not None:
            text += f" (HTTP {status_code})"
        if excerpt:
            text += f"; the answer began: {excerpt!r}"
        super().__init__(text)


class ResponseTooLargeError(MalformedResponseError):
    """The server sent more than the app reads from one answer (``limit`` bytes, once decoded).

    A token response is a few KB: a bigger one is a faulty or hostile server (a compression
    bomb, an endless stream), so reading stops at the cap and nothing of it is used.
    """

    limit: int

    def __init__(self, message: str, *, limit: int, status_code: int | None = None) -> None:
        self.limit = limit
        super().__init__(message, status_code=status_code)


class ApiError(TikiGuiError):
    """An error answer of the Tiki seller API, whose body is ``{"errors": [...]}``.

    ``messages`` are the server's error messages (empty when the body carried none).
    """

    status_code: int
    messages: tuple[str, ...]

    def __init__(self, status_code: int, messages: tuple[str, ...] = ()) -> None:
        self.status_code = status_code
        self.messages = tuple(messages)
        text = f"The Tiki API answered HTTP {status_code}"
        explanation = self._explanation()
        if explanation:
            text += f" ({explanation})"
        if self.messages:
            text += ": " + "; ".join(self.messages)
        super().__init__(text)

    def _explanation(self) -> str:
        return ""


class ApiUnauthorizedError(ApiError):
    """401: the access token is missing, expired, revoked or not linked to a seller."""

    def _explanation(self) -> str:
        return "the access token is missing, expired or not linked to a seller"


class ApiForbiddenError(ApiError):
    """403: the scope needed was not granted, or the seller is inactive."""

    def _explanation(self) -> str:
        return "the scope was not granted or the seller is inactive"


class ApiRateLimitedError(ApiError):
    """429: too many requests. ``retry_after`` is in seconds, when the server said."""

    retry_after: float | None

    def __init__(
        self, status_code: int, messages: tuple[str, ...] = (), *, retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status_code, messages)

    def _explanation(self) -> str:
        text = "too many requests"
        if self.retry_after is not None:
            text += f"; retry after {self.retry_after:g} s"
        return text
