"""Token requests (RFC 6749 4.1.3, 4.4, 6): code exchange, refresh, client credentials.

Every request is a form-encoded POST with ``Accept: application/json`` on the shared
``httpx.Client``, authenticated by exactly one method (:mod:`tiki_gui.core.client_auth`), and is
never retried: Tiki revokes the tokens issued from a code when the code is used twice, and a
reused refresh token revokes the whole chain.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.client_auth import (
    ClientCredentials,
    authenticate_form,
    basic_authorization,
)
from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.errors import MalformedResponseError, OAuthError, ValidationError
from tiki_gui.core.http import DEFAULT_DEADLINE, clean_text, read_json, send
from tiki_gui.core.observer import HttpObserver, observed
from tiki_gui.core.redact import excerpt
from tiki_gui.core.redirect import AuthorizationResponse
from tiki_gui.core.scopes import format_scope
from tiki_gui.core.tokens import TokenSet, token_set_from_response

__all__ = ["TokenClient", "oauth_error_from_body"]

_log = logging.getLogger(__name__)
_WHAT = "The token endpoint"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _fingerprint(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def oauth_error_from_body(
    body: Mapping[str, object], *, status_code: int | None, secrets: Iterable[str] = ()
) -> OAuthError | None:
    """The :class:`OAuthError` a JSON error body describes, or None if it has no ``error`` string.

    The request's ``secrets`` are removed from every field; the description is otherwise kept as
    sent (newer Hydra folds the hint into it), and ``error_hint`` is used when present.
    """
    secret_list = [s for s in secrets if s]
    error = clean_text(body.get("error"), secret_list)
    if error is None:
        return None
    return OAuthError(
        error,
        clean_text(body.get("error_description"), secret_list),
        clean_text(body.get("error_hint"), secret_list),
        clean_text(body.get("error_uri"), secret_list),
        status_code,
    )


class TokenClient:
    """Talks to one token endpoint as one client, over a shared ``httpx.Client``.

    ``clock`` returns the current aware time; it is read when the answer has been received, to
    compute ``expires_at`` (tests pass a fixed clock). ``deadline`` is the most seconds one
    request may take in all (:func:`tiki_gui.core.http.send`). Each request method takes a
    ``cancellation`` (:class:`~tiki_gui.core.cancellation.Cancellation`) whose ``cancel()`` from
    another thread ends the request under way with ``RequestCancelledError``. ``observer`` (the
    flow's timeline) is told about each request of this client and its response.
    """

    def __init__(
        self,
        token_endpoint: str,
        credentials: ClientCredentials,
        http: httpx.Client,
        *,
        clock: Callable[[], datetime] = _utc_now,
        deadline: float = DEFAULT_DEADLINE,
        observer: HttpObserver | None = None,
    ) -> None:
        if not deadline > 0:
            raise ValueError("deadline must be positive")
        self._token_endpoint = validate_url(token_endpoint, what="Token endpoint")
        self._deadline = deadline
        self._credentials = credentials
        self._http = http
        self._clock = clock
        self._observer = observer  # e.g. the flow's Timeline: sees this client's requests only
        self._lock = threading.Lock()
        # Fingerprints (SHA-256), never the values: codes sent, refresh tokens in use or rotated.
        self._sent_codes: set[bytes] = set()
        self._refreshing: set[bytes] = set()
        self._rotated_refresh_tokens: set[bytes] = set()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self._token_endpoint!r}, "
            f"client_id={self._credentials.client_id!r}, method={self._credentials.method.value!r})"
        )

    @property
    def token_endpoint(self) -> str:
        return self._token_endpoint

    @property
    def credentials(self) -> ClientCredentials:
        return self._credentials

    def exchange_code(
        self,
        response: AuthorizationResponse,
        request: AuthorizationRequest,
        *,
        cancellation: Cancellation | None = None,
    ) -> TokenSet:
        """Exchange the code of ``response`` (grant ``authorization_code``).

        Sends ``code``, the request's ``redirect_uri``, ``client_id`` and, if the request used
        PKCE, ``code_verifier``. Never retried, and one client never sends the same code twice
        (a second use makes Tiki revoke the tokens already issued): a repeat raises
        :class:`ValidationError` without any request.
        """
        if request.client_id != self._credentials.client_id:
            raise ValidationError(
                f"The authorization was requested for client {request.client_id!r}, but the "
                f"token request would be made as {self._credentials.client_id!r}."
            )
        if not response.code:
            raise ValidationError("The authorization response has no code to exchange.")
        self._claim(
            response.code,
            self._sent_codes,
            refused_if_in=(
                (
                    self._sent_codes,
                    "This authorization code was already sent to the token endpoint. It is not "
                    "sent again (Tiki would revoke the tokens issued from it): start the "
                    "authorization again.",
                ),
            ),
        )
        form = {
            "grant_type": "authorization_code",
            "code": response.code,
            "redirect_uri": request.redirect_uri,
        }
        secrets = [response.code]
        if request.pkce is not None:
            form["code_verifier"] = request.pkce.verifier
            secrets.append(request.pkce.verifier)
        return self._token_request(form, secrets, cancellation)

    def refresh(self, token: TokenSet, *, cancellation: Cancellation | None = None) -> TokenSet:
        """Use the refresh token of ``token`` (grant ``refresh_token``) for a new token set.

        Refresh tokens rotate: store the result before anything else. Reusing a rotated refresh
        token makes Tiki revoke the whole chain, so this client refuses (ValidationError, no
        request) a refresh token it already rotated or is refreshing right now. The old refresh
        token (and scope) are kept if the answer has none.
        """
        if not token.refresh_token:
            raise ValidationError(
                "This token set has no refresh token (request the 'offline' scope to get one): "
                "run the authorization again instead."
            )
        fingerprint = self._claim(
            token.refresh_token,
            self._refreshing,
            refused_if_in=(
                (
                    self._rotated_refresh_tokens,
                    "This refresh token was already exchanged for a new one; using it again "
                    "would make Tiki revoke the new tokens too. Use the newest token set.",
                ),
                (
                    self._refreshing,
                    "This token is already being refreshed; refresh one token once at a time.",
                ),
            ),
        )
        try:
            form = {"grant_type": "refresh_token", "refresh_token": token.refresh_token}
            new = self._token_request(form, [token.refresh_token, token.access_token], cancellation)
        finally:
            with self._lock:
                self._refreshing.discard(fingerprint)
        if new.refresh_token and new.refresh_token != token.refresh_token:
            with self._lock:
                self._rotated_refresh_tokens.add(fingerprint)
        return replace(
            new,
            refresh_token=new.refresh_token or token.refresh_token,
            scope=new.scope if new.scope is not None else token.scope,
        )

    def client_credentials(
        self,
        scope: str | Iterable[str] | None = None,
        *,
        cancellation: Cancellation | None = None,
    ) -> TokenSet:
        """A token for the app itself (grant ``client_credentials``); no refresh token expected."""
        form = {"grant_type": "client_credentials"}
        if scope is not None:
            text = format_scope(scope)
            if text:
                form["scope"] = text
        return self._token_request(form, [], cancellation)

    def _claim(
        self, secret: str, claimed: set[bytes], *, refused_if_in: Iterable[tuple[set[bytes], str]]
    ) -> bytes:
        """Add the fingerprint of ``secret`` to ``claimed`` and return it, in one step under the
        lock; ValidationError (nothing added) with the message of the first of ``refused_if_in``
        that already holds it."""
        fingerprint = _fingerprint(secret)
        with self._lock:
            for seen, refusal in refused_if_in:
                if fingerprint in seen:
                    raise ValidationError(refusal)
            claimed.add(fingerprint)
        return fingerprint

    def _token_request(
        self,
        form: Mapping[str, str],
        secrets: list[str],
        cancellation: Cancellation | None = None,
    ) -> TokenSet:
        fields, auth = authenticate_form(self._credentials, form)
        secrets = [
            *secrets,
            self._credentials.client_secret,
            # The Basic header's base64 value, in case a server echoes request headers.
            basic_authorization(self._credentials.client_id, self._credentials.client_secret)[6:],
        ]
        _log.info(
            "token request: grant_type=%s client_id=%s method=%s",
            form["grant_type"],
            self._credentials.client_id,
            self._credentials.method.value,
        )
        response = send(
            self._http,
            "POST",
            self._token_endpoint,
            what=_WHAT,
            secrets=secrets,
            data=fields,
            headers={"Accept": "application/json"},
            auth=observed(auth, self._observer),
            deadline=self._deadline,
            cancellation=cancellation,
        )
        received_at = self._clock()
        body = read_json(response, what=_WHAT, secrets=secrets)
        error = oauth_error_from_body(body, status_code=response.status_code, secrets=secrets)
        if error is not None:
            _log.info("token request failed: HTTP %s %s", response.status_code, error.error)
            raise error
        if not response.is_success:
            keys = ", ".join(sorted(str(k) for k in body))
            raise MalformedResponseError(
                f"{_WHAT} answered with an error status but no OAuth 'error' field",
                status_code=response.status_code,
                excerpt=excerpt(f"fields: {keys}", secrets),
            )
        try:
            return token_set_from_response(body, received_at=received_at)
        except MalformedResponseError as exc:
            raise MalformedResponseError(
                exc.message,
                status_code=response.status_code,
                excerpt=exc.excerpt,
            ) from None
