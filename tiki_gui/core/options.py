"""The choices a profile makes, as one set of types with their labels: used everywhere.

Each option is a :class:`~enum.StrEnum` whose value is what goes on the wire or into the settings
file (so a member compares equal to its string) and whose :attr:`label` is the words the form
shows. Nothing else in the code base spells these values or labels again.

Qt-free and ``httpx``-free: the settings file, ``tiki-gui token`` and the form all import it.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AuthMethod", "BrowserSession", "Grant", "SignIn"]


class _Option(StrEnum):
    """An option: its value is what is stored and sent, its label what the form shows."""

    @property
    def label(self) -> str:
        return _LABELS[self]


class AuthMethod(_Option):
    """The token endpoint authentication method registered for the app (RFC 7591 names)."""

    # Method names, not passwords:
    CLIENT_SECRET_BASIC = "client_secret_basic"  # noqa: S105
    CLIENT_SECRET_POST = "client_secret_post"  # noqa: S105

    @property
    def description(self) -> str:
        """What the method sends, for a tooltip."""
        return _AUTH_METHOD_DESCRIPTIONS[self]


class Grant(_Option):
    """How tokens are obtained for a profile."""

    AUTHORIZATION_CODE = "authorization_code"
    """A seller logs in and consents in the browser; tokens come with a refresh token."""
    CLIENT_CREDENTIALS = "client_credentials"
    """In-house apps: no browser, no refresh token; "refresh" runs the grant again."""


class SignIn(_Option):
    """Where the seller signs in (RFC 8252: an embedded browser may be blocked by a provider)."""

    EMBEDDED = "embedded"
    """Tiki's pages in the app's own browser; the redirect is caught before it leaves."""
    LOOPBACK = "loopback"
    """The system browser, redirected to a listener on ``http://127.0.0.1:PORT/...``."""
    PASTE = "paste"
    """The system browser; the user pastes the URL it landed on."""


class BrowserSession(_Option):
    """Whether the embedded browser keeps cookies between flows."""

    FRESH = "fresh"
    """A new, empty cookie store for every flow (another seller can log in)."""
    REMEMBER = "remember"
    """Keep the login between flows of this profile."""


_LABELS: dict[_Option, str] = {
    AuthMethod.CLIENT_SECRET_BASIC: "Basic header",  # Tiki console's words
    AuthMethod.CLIENT_SECRET_POST: "Request body",
    Grant.AUTHORIZATION_CODE: "Authorization code (a seller signs in)",
    Grant.CLIENT_CREDENTIALS: "Client credentials (in-house app, no browser)",
    SignIn.EMBEDDED: "In this window (embedded browser)",
    SignIn.LOOPBACK: "System browser, redirect to this computer",
    SignIn.PASTE: "System browser, paste the redirect URL",
    BrowserSession.FRESH: "Fresh sign-in every time",
    BrowserSession.REMEMBER: "Remember my Tiki login (this profile only)",
}
_AUTH_METHOD_DESCRIPTIONS = {
    AuthMethod.CLIENT_SECRET_BASIC: "Authorization: Basic header (client_secret_basic)",
    AuthMethod.CLIENT_SECRET_POST: "client_id and client_secret in the body (client_secret_post)",
}
