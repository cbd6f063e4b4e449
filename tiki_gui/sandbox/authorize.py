"""The authorization endpoint and its login and consent steps, chained as Hydra chains them.

``GET /sc/oauth2/auth`` validates the request and sets the CSRF cookie, then 303s to the login
page (``login_challenge``); the login POST returns to the authorization endpoint with a
``login_verifier``, which 303s to the consent page (``consent_challenge``); the consent POST
returns with a ``consent_verifier``, which finally 303s to the app's redirect URI. Every step
after the first must present the CSRF cookie set by the first.

A successful sign-in also sets a login-session cookie (Hydra's "remember me"): a later request
from the same browser skips the login page and goes straight to consent. With an ``issuer``, every
redirect back to the client carries ``iss`` (RFC 9207); the fallback error page does not.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Mapping
from urllib.parse import urlencode

from tiki_gui.sandbox import pages, pkce
from tiki_gui.sandbox.clients import SandboxClient, granted_scopes, redirect_uri_registered
from tiki_gui.sandbox.errors import OAuthFailure
from tiki_gui.sandbox.messages import (
    FormError,
    Request,
    Response,
    html_response,
    parse_form,
    redirect,
    with_query,
)
from tiki_gui.sandbox.store import Flow, FlowStage, SandboxStore

__all__ = [
    "AUTH_PATH",
    "CONSENT_PATH",
    "CSRF_COOKIE",
    "ERROR_PATH",
    "LOGIN_PATH",
    "SESSION_COOKIE",
    "AuthorizationEndpoint",
]

AUTH_PATH = "/sc/oauth2/auth"
LOGIN_PATH = "/sc/oauth2/login"
CONSENT_PATH = "/sc/oauth2/consent"
ERROR_PATH = "/sc/oauth2/fallbacks/error"
CSRF_COOKIE = "oauth2_authentication_csrf"
SESSION_COOKIE = "oauth2_authentication_session"
SESSION_LIFETIME = 86400
MIN_STATE_LENGTH = 8

_STEP_NAMES = {
    FlowStage.LOGIN: "login challenge",
    FlowStage.LOGIN_DONE: "login verifier",
    FlowStage.CONSENT: "consent challenge",
    FlowStage.CONSENT_DONE: "consent verifier",
}


def _origin(request: Request, fallback: str) -> str:
    """Where the browser reached us, so the CSRF cookie stays on one origin."""
    host = request.header("host")
    return f"http://{host}" if host else fallback


class AuthorizationEndpoint:
    """Handles ``/sc/oauth2/auth``, the login and consent pages and the fallback error page."""

    def __init__(
        self,
        clients: Mapping[str, SandboxClient],
        store: SandboxStore,
        base_url: str,
        *,
        issuer: str | None = None,
    ) -> None:
        self._clients = clients
        self._store = store
        self._base_url = base_url
        self._issuer = issuer
        self._sessions: dict[str, str] = {}  # login-session cookie value -> subject
        self._sessions_lock = threading.Lock()

    def _to_client(self, redirect_uri: str, params: Mapping[str, str]) -> Response:
        """The 303 back to the client's redirect URI (with ``iss`` when issuing it)."""
        if self._issuer is not None:
            params = {**params, "iss": self._issuer}
        return redirect(with_query(redirect_uri, params))

    def _remembered_subject(self, request: Request) -> str | None:
        value = request.cookie(SESSION_COOKIE)
        if not value:
            return None
        with self._sessions_lock:
            return self._sessions.get(value)

    def _new_session(self, subject: str) -> str:
        value = secrets.token_urlsafe(24)
        with self._sessions_lock:
            self._sessions[value] = subject
        return (
            f"{SESSION_COOKIE}={value}; Path=/; Max-Age={SESSION_LIFETIME}; HttpOnly; SameSite=Lax"
        )

    # -- /sc/oauth2/auth ------------------------------------------------------------------------

    def authorize(self, request: Request) -> Response:
        if "consent_verifier" in request.query:
            return self._consent_verified(request, request.query["consent_verifier"])
        if "login_verifier" in request.query:
            return self._login_verified(request, request.query["login_verifier"])
        return self._new_request(request)

    def _new_request(self, request: Request) -> Response:
        origin = _origin(request, self._base_url)
        query = request.query
        client = self._clients.get(query.get("client_id", ""))
        if client is None:
            failure = OAuthFailure(
                "invalid_client", "The requested OAuth 2.0 Client does not exist."
            )
            return self._fallback(origin, failure)
        redirect_uri = query.get("redirect_uri", "")
        redirect_uri_sent = bool(redirect_uri)
        if not redirect_uri_sent:
            if len(client.redirect_uris) != 1:
                return self._fallback(
                    origin,
                    OAuthFailure(
                        "invalid_request",
                        "The 'redirect_uri' parameter is required because the OAuth 2.0 Client "
                        "has more than one redirect URL registered.",
                    ),
                )
            redirect_uri = client.redirect_uris[0]
        elif not redirect_uri_registered(client, redirect_uri):
            return self._fallback(
                origin,
                OAuthFailure(
                    "invalid_request",
                    "The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's "
                    "pre-registered redirect urls.",
                ),
            )
        state = query.get("state", "")
        try:
            scopes = self._validate(client, query, state)
        except OAuthFailure as failure:
            return self._to_client(redirect_uri, failure.as_query(state))
        flow = self._store.begin_flow(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            redirect_uri_sent=redirect_uri_sent,
            state=state,
            scopes=scopes,
            code_challenge=query.get("code_challenge") or None,
            auth_query=request.raw_query,
        )
        cookie = f"{CSRF_COOKIE}={flow.csrf}; Path=/; HttpOnly; SameSite=Lax"
        subject = self._remembered_subject(request)
        if subject is not None:  # signed in before in this browser: no login page
            done = self._store.advance_flow(flow, FlowStage.LOGIN_DONE, subject=subject)
            if done is not None:
                return self._back_to_auth(
                    request, done, "login_verifier", headers=(("Set-Cookie", cookie),)
                )
        return redirect(
            f"{origin}{LOGIN_PATH}?{urlencode({'login_challenge': flow.handle})}",
            headers=(("Set-Cookie", cookie),),
        )

    @staticmethod
    def _validate(client: SandboxClient, query: Mapping[str, str], state: str) -> tuple[str, ...]:
        response_type = query.get("response_type", "")
        if response_type != "code":
            raise OAuthFailure(
                "unsupported_response_type",
                f"The client is not allowed to request response_type '{response_type}'.",
            )
        if len(state) < MIN_STATE_LENGTH:
            raise OAuthFailure(
                "invalid_state",
                f"Request parameter 'state' must be at least be {MIN_STATE_LENGTH} characters "
                "long to ensure sufficient entropy.",
            )
        scopes = granted_scopes(client, query.get("scope", ""))
        if query.get("code_challenge"):
            pkce.check_challenge_method(query.get("code_challenge_method"))
        return scopes

    def _fallback(self, origin: str, failure: OAuthFailure) -> Response:
        params = {
            "error": failure.error,
            "error_description": failure.description,
            "error_hint": failure.hint or "",
        }
        return redirect(f"{origin}{ERROR_PATH}?{urlencode(params)}")

    # -- the chain of steps ---------------------------------------------------------------------

    def _step(self, request: Request, stage: FlowStage, handle: str) -> Flow | Response:
        """The flow for this step, or the response that ends it (unknown, expired, no CSRF)."""
        origin = _origin(request, self._base_url)
        flow = self._store.find_flow(handle, stage) if handle else None
        if flow is None:
            name = _STEP_NAMES[stage]
            return self._fallback(
                origin,
                OAuthFailure(
                    "invalid_request",
                    f"The {name} has already been used, has expired, or does not exist.",
                ),
            )
        if self._store.flow_expired(flow):
            what = "login" if stage in (FlowStage.LOGIN, FlowStage.LOGIN_DONE) else "consent"
            return self._abort(
                flow,
                OAuthFailure(
                    "request_unauthorized", f"The {what} request has expired. Please try again."
                ),
            )
        cookie = request.cookie(CSRF_COOKIE)
        if not cookie:
            return self._abort(
                flow,
                OAuthFailure("request_forbidden", "No CSRF value available in the session cookie."),
            )
        if not hmac.compare_digest(cookie.encode(), flow.csrf.encode()):
            return self._abort(
                flow,
                OAuthFailure(
                    "request_forbidden",
                    "No CSRF value available in the session cookie for this authorization "
                    "request: the cookie belongs to another flow. Run one flow at a time per "
                    "browser session.",
                ),
            )
        return flow

    def _abort(self, flow: Flow, failure: OAuthFailure) -> Response:
        self._store.end_flow(flow)
        return self._to_client(flow.redirect_uri, failure.as_query(flow.state))

    def _back_to_auth(
        self,
        request: Request,
        flow: Flow,
        verifier: str,
        *,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Response:
        origin = _origin(request, self._base_url)
        extra = urlencode({verifier: flow.handle})
        return redirect(f"{origin}{AUTH_PATH}?{flow.auth_query}&{extra}", headers=headers)

    def _form(self, request: Request) -> dict[str, str] | Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return self._bad_form("The form must be sent as application/x-www-form-urlencoded.")
        try:
            return parse_form(request.body.decode("utf-8"), unique=False)
        except (UnicodeDecodeError, FormError):
            return self._bad_form("The form could not be decoded.")

    @staticmethod
    def _bad_form(hint: str) -> Response:
        failure = OAuthFailure("invalid_request", hint)
        page = pages.error_page(error=failure.error, description=failure.description, hint=hint)
        return html_response(400, page)

    def login(self, request: Request) -> Response:
        """``GET`` shows the sign-in form, ``POST`` signs in and returns to the auth endpoint."""
        if request.method == "GET":
            flow = self._step(request, FlowStage.LOGIN, request.query.get("login_challenge", ""))
            if isinstance(flow, Response):
                return flow
            page = pages.login_page(login_challenge=flow.handle, client_id=flow.client_id)
            return html_response(200, page)
        form = self._form(request)
        if isinstance(form, Response):
            return form
        flow = self._step(request, FlowStage.LOGIN, form.get("login_challenge", ""))
        if isinstance(flow, Response):
            return flow
        username = form.get("username", "").strip()
        if not username or not form.get("password"):
            page = pages.login_page(
                login_challenge=flow.handle,
                client_id=flow.client_id,
                username=username,
                error="Enter a seller name and a password (any non-empty password works).",
            )
            return html_response(200, page)
        done = self._store.advance_flow(flow, FlowStage.LOGIN_DONE, subject=username)
        if done is None:
            return self._replayed(request, FlowStage.LOGIN)
        remember = form.get("remember") == "1"  # the "Remember me" box, ticked by default
        headers = (("Set-Cookie", self._new_session(username)),) if remember else ()
        return self._back_to_auth(request, done, "login_verifier", headers=headers)

    def _login_verified(self, request: Request, verifier: str) -> Response:
        flow = self._step(request, FlowStage.LOGIN_DONE, verifier)
        if isinstance(flow, Response):
            return flow
        consent = self._store.advance_flow(flow, FlowStage.CONSENT, subject=flow.subject)
        if consent is None:
            return self._replayed(request, FlowStage.LOGIN_DONE)
        origin = _origin(request, self._base_url)
        return redirect(
            f"{origin}{CONSENT_PATH}?{urlencode({'consent_challenge': consent.handle})}"
        )

    def consent(self, request: Request) -> Response:
        """``GET`` lists the scopes; ``POST`` records allow/deny, returns to the auth endpoint."""
        if request.method == "GET":
            handle = request.query.get("consent_challenge", "")
            flow = self._step(request, FlowStage.CONSENT, handle)
            if isinstance(flow, Response):
                return flow
            page = pages.consent_page(
                consent_challenge=flow.handle,
                client_id=flow.client_id,
                username=flow.subject or "",
                scopes=flow.scopes,
            )
            return html_response(200, page)
        form = self._form(request)
        if isinstance(form, Response):
            return form
        action = form.get("action", "")
        if action not in ("allow", "deny"):
            return self._bad_form("The consent form must be sent with action=allow or action=deny.")
        flow = self._step(request, FlowStage.CONSENT, form.get("consent_challenge", ""))
        if isinstance(flow, Response):
            return flow
        done = self._store.advance_flow(flow, FlowStage.CONSENT_DONE, allowed=action == "allow")
        if done is None:
            return self._replayed(request, FlowStage.CONSENT)
        return self._back_to_auth(request, done, "consent_verifier")

    def _consent_verified(self, request: Request, verifier: str) -> Response:
        flow = self._step(request, FlowStage.CONSENT_DONE, verifier)
        if isinstance(flow, Response):
            return flow
        if not self._store.end_flow(flow):
            return self._replayed(request, FlowStage.CONSENT_DONE)
        if not flow.allowed:
            failure = OAuthFailure("access_denied", "The resource owner denied the request.")
            return self._to_client(flow.redirect_uri, failure.as_query(flow.state))
        code = self._store.issue_code(flow)
        params = {"code": code, "scope": " ".join(flow.scopes), "state": flow.state}
        return self._to_client(flow.redirect_uri, params)

    def _replayed(self, request: Request, stage: FlowStage) -> Response:
        """A step that another request took first (a double submit)."""
        name = _STEP_NAMES[stage]
        failure = OAuthFailure(
            "invalid_request", f"The {name} has already been used, has expired, or does not exist."
        )
        return self._fallback(_origin(request, self._base_url), failure)

    # -- /sc/oauth2/fallbacks/error -------------------------------------------------------------

    def error_page(self, request: Request) -> Response:
        page = pages.error_page(
            error=request.query.get("error", ""),
            description=request.query.get("error_description", ""),
            hint=request.query.get("error_hint", ""),
        )
        return html_response(200, page)
