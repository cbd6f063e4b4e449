"""What the consent page does with a navigation: plain data and a pure decision.

``ConsentPage.acceptNavigationRequest`` turns Qt's arguments into a :class:`NavigationEvent` and
asks :func:`classify` what to do. Nothing here imports Qt, so the policy is testable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from tiki_gui.core.endpoints import is_loopback_host
from tiki_gui.core.redirect import is_error_page, redirect_uri_matches

__all__ = ["FlowTargets", "NavigationEvent", "NavigationVerdict", "classify", "is_insecure"]


@dataclass(frozen=True, slots=True)
class NavigationEvent:
    """One navigation request, as plain data taken out of ``acceptNavigationRequest``.

    ``navigation_type`` is one of "link", "typed", "form", "back_forward", "reload", "other",
    "redirect". The URL stays out of ``repr`` and logs: on the redirect it carries the
    authorization code.
    """

    url: str = field(repr=False)
    navigation_type: str
    is_main_frame: bool


@dataclass(frozen=True, slots=True)
class FlowTargets:
    """The two URLs one authorization flow watches for."""

    redirect_uri: str
    authorization_endpoint: str


class NavigationVerdict(StrEnum):
    ALLOW = "allow"
    """Let the navigation happen."""
    CAPTURE_REDIRECT = "capture_redirect"
    """The redirect back to the app: refuse it (nothing reaches the redirect host) and report it."""
    ERROR_PAGE = "error_page"
    """The authorization server's own error page: let it load for the user to read; report it."""
    REFUSE = "refuse"
    """The flow is over (redirect captured or stopped): nothing loads any more."""
    INSECURE = "insecure"
    """Plain http to a host other than this computer: refused (a password page must be https)."""


def is_insecure(url: str) -> bool:
    """True for an ``http://`` URL whose host is not a loopback address (or ``localhost``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() != "http":
        return False
    return not is_loopback_host(parts.hostname or "")


def classify(
    event: NavigationEvent, targets: FlowTargets | None, *, closed: bool
) -> NavigationVerdict:
    """Decide what happens to ``event``.

    The redirect URI is caught in any frame and for any navigation type (server redirects,
    ``location.href=``, forms, iframes); the error page only counts in the main frame, where the
    user sees it. Plain http is refused unless it goes to this computer (loopback). Before a flow
    starts (``targets`` is None) everything is allowed.
    """
    if closed:
        return NavigationVerdict.REFUSE
    if targets is None:
        return NavigationVerdict.ALLOW
    if redirect_uri_matches(event.url, targets.redirect_uri):
        return NavigationVerdict.CAPTURE_REDIRECT
    if is_insecure(event.url):
        return NavigationVerdict.INSECURE
    if event.is_main_frame and is_error_page(event.url, targets.authorization_endpoint):
        return NavigationVerdict.ERROR_PAGE
    return NavigationVerdict.ALLOW
