"""Drive the sandbox's login and consent pages over plain HTTP, as a browser would.

Reusable by any test suite that needs an authorization code from the sandbox without a browser::

    from sandbox.browserless import authorize   # tests/ is on sys.path (rootdir conftest)

    location = authorize(http, request_url)     # the 303 Location meant for the app
    assert location.startswith("https://example.com/tiki/callback?code=")

``http`` must keep cookies (an ``httpx.Client``), because the sandbox ties the steps of a flow
together with a CSRF cookie, as Tiki does. Redirects are followed by hand and only while they stay
on the sandbox's own flow pages, so the app's redirect URI is never requested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

__all__ = ["FLOW_PATHS", "Form", "authorize", "is_flow_step", "parse_forms"]

FLOW_PATHS = ("/sc/oauth2/auth", "/sc/oauth2/login", "/sc/oauth2/consent")
MAX_STEPS = 20


@dataclass
class Form:
    """One HTML form: where it posts, its pre-filled fields and its submit buttons by id."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    input_names: list[str] = field(default_factory=list)
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, value)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = Form(action=a.get("action", ""), method=a.get("method", "get"))
            self.forms.append(self._current)
            return
        form = self._current
        if form is None:
            return
        if tag == "input" and a.get("name"):
            name = a["name"]
            form.input_names.append(name)
            if a.get("type", "text") in ("hidden", "text"):
                form.fields[name] = a.get("value", "")
        elif tag == "button" and a.get("id"):
            form.buttons[a["id"]] = (a.get("name", ""), a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def parse_forms(page: str) -> list[Form]:
    """Every form in an HTML page."""
    parser = _FormParser()
    parser.feed(page)
    parser.close()
    return parser.forms


def is_flow_step(location: str, auth_url: str) -> bool:
    """True while ``location`` is one of the sandbox's own login/consent/auth steps."""
    target, start = urlsplit(location), urlsplit(auth_url)
    return (target.scheme, target.netloc) == (start.scheme, start.netloc) and (
        target.path in FLOW_PATHS
    )


def _only_form(response: httpx.Response) -> Form:
    forms = parse_forms(response.text)
    if len(forms) != 1:
        raise AssertionError(f"expected one form on {response.url}, found {len(forms)}")
    return forms[0]


def authorize(
    http: httpx.Client,
    auth_url: str,
    *,
    username: str = "seller-a",
    password: str = "pw",  # noqa: S107 -- the sandbox accepts any non-empty password
    allow: bool = True,
) -> str:
    """Sign in and answer the consent page; return the final redirect Location, not followed.

    The result is the app's redirect URI with ``code``/``error`` parameters, or the sandbox's
    fallback error page URL when the request could not be sent back to the app.
    Raises AssertionError if a page is not what a flow step should be (e.g. the login failed).
    """
    response = http.get(auth_url, follow_redirects=False)
    logged_in = False
    for _ in range(MAX_STEPS):
        if response.is_redirect:
            location = urljoin(str(response.url), response.headers["location"])
            if not is_flow_step(location, auth_url):
                return location
            response = http.get(location, follow_redirects=False)
            continue
        if response.status_code != 200:
            raise AssertionError(
                f"{response.status_code} from {response.url.path}: {response.text[:300]}"
            )
        form = _only_form(response)
        data = dict(form.fields)
        if "username" in form.input_names:
            if logged_in:
                raise AssertionError("the login page came back: the sign-in was refused")
            if "login-submit" not in form.buttons:
                raise AssertionError("the login form has no #login-submit button")
            data.update(username=username, password=password)
            logged_in = True
        else:
            button = "consent-allow" if allow else "consent-deny"
            if button not in form.buttons:
                raise AssertionError(f"no #{button} button on {response.url.path}")
            name, value = form.buttons[button]
            data[name] = value
        response = http.post(
            urljoin(str(response.url), form.action), data=data, follow_redirects=False
        )
    raise AssertionError(f"the flow did not finish within {MAX_STEPS} steps")
