"""The system-browser sign-in end to end with a REAL browser: headless Chromium (driven through
chromedriver's WebDriver API) signs in on the sandbox and is redirected to the loopback listener.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import httpx
import pytest
from timeline_hooks import attach

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials, basic_authorization
from tiki_gui.core.errors import AuthorizationDeniedError
from tiki_gui.core.redirect import parse_redirect
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.timeline import EntryKind, Timeline
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer
from tiki_gui.signin import LoopbackOutcome, LoopbackReceiver

from .ports import can_bind, free_port, is_listening
from .webdriver import Browser

SCOPE = "offline product order"
METHODS = {
    DEMO_BASIC_CLIENT.client_id: AuthMethod.CLIENT_SECRET_BASIC,
    DEMO_POST_CLIENT.client_id: AuthMethod.CLIENT_SECRET_POST,
}


def _sign_in(browser: Browser, *, allow: bool = True) -> list[str]:
    """Fill the sandbox's login form and answer its consent page; the pages passed through."""
    pages = [browser.current_url]
    browser.find("input[name=username]").send_keys("seller-a")
    browser.find("input[name=password]").send_keys("pw")
    browser.find("#login-submit").click()
    button = browser.find("#consent-allow" if allow else "#consent-deny")
    pages.append(browser.current_url)
    button.click()
    return pages


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


@pytest.mark.parametrize(
    ("client", "any_port", "use_pkce"),
    [(DEMO_BASIC_CLIENT, False, False), (DEMO_POST_CLIENT, True, True)],
    ids=["basic-fixed-port", "post-any-port-pkce"],
)
def test_system_browser_flow_end_to_end(
    sandbox: SandboxServer,
    chromium: Browser,
    http: httpx.Client,
    client: SandboxClient,
    any_port: bool,
    use_pkce: bool,
) -> None:
    timeline = Timeline()
    detach = attach(timeline, http)
    port = free_port()
    # Registered: http://127.0.0.1/callback; the sandbox (like Hydra) accepts any port for it.
    configured = "http://127.0.0.1/callback" if any_port else f"http://127.0.0.1:{port}/callback"
    with LoopbackReceiver(configured, any_port=any_port, timeout=60) as receiver:
        port = receiver.port
        request = AuthorizationRequest.create(
            sandbox.authorization_endpoint,
            client.client_id,
            receiver.redirect_uri,
            SCOPE,
            use_pkce=use_pkce,
        )
        receiver.expect(request)
        timeline.record_authorization_request(request)

        # Something else on the listener first (a stray tab): a 404, and the flow goes on.
        chromium.navigate(f"http://127.0.0.1:{port}/")
        assert "not part of the tiki-gui sign-in" in chromium.page_text
        assert receiver.is_listening

        chromium.navigate(request.url)
        for page in _sign_in(chromium):
            timeline.record_navigation(page)
        url = receiver.wait(30)

    assert url is not None
    assert receiver.outcome is LoopbackOutcome.RECEIVED
    assert url.startswith(f"http://127.0.0.1:{port}/callback?code=")
    timeline.record_navigation(url)
    timeline.record_callback(url)
    # The listener is closed and the port free; the browser shows the page it was answered with.
    assert not is_listening("127.0.0.1", port)
    assert can_bind("127.0.0.1", port)
    text = chromium.wait_for_text("You can close this tab")
    assert "Sign-in received" in text
    assert chromium.current_url == url

    response = parse_redirect(url, request)
    assert response.scope == ("offline", "product", "order")
    assert response.code not in chromium.page_source
    credentials = ClientCredentials(
        client.client_id, client.client_secret, METHODS[client.client_id]
    )
    token = TokenClient(sandbox.token_endpoint, credentials, http).exchange_code(response, request)
    assert token.refresh_token is not None
    assert SellerApi(sandbox.api_base, http).me(token.access_token).name == "seller-a"
    detach()
    (record,) = sandbox.token_requests
    assert (record.grant_type, record.status_code) == ("authorization_code", 200)

    # The timeline of this real flow shows its work and no secret.
    kinds = [entry.kind for entry in timeline.entries]
    assert kinds.count(EntryKind.NAVIGATION) == 3
    assert kinds.count(EntryKind.CALLBACK) == 1
    assert kinds.count(EntryKind.RESPONSE) == 2
    secrets = [
        client.client_secret,
        basic_authorization(client.client_id, client.client_secret)[6:],
        response.code,
        request.state,
        token.access_token,
        token.refresh_token,
    ]
    if request.pkce is not None:
        secrets += [request.pkce.verifier, request.pkce.challenge]
    texts = [timeline.as_text(), *(repr(entry) for entry in timeline.entries)]
    for form in {form for secret in secrets for form in _forms(secret)}:
        assert not any(form in text for text in texts)


@contextlib.contextmanager
def _expecting(
    sandbox: SandboxServer,
) -> Iterator[tuple[LoopbackReceiver, AuthorizationRequest]]:
    """A receiver on a free port of 127.0.0.1 expecting the answer to a fresh authorization
    request of the sandbox's demo app; the receiver and the request."""
    with LoopbackReceiver("http://127.0.0.1/callback", any_port=True, timeout=60) as receiver:
        request = AuthorizationRequest.create(
            sandbox.authorization_endpoint,
            DEMO_BASIC_CLIENT.client_id,
            receiver.redirect_uri,
            SCOPE,
        )
        receiver.expect(request)
        yield receiver, request


def test_denied_consent_shows_what_went_wrong_in_the_browser(
    sandbox: SandboxServer, chromium: Browser
) -> None:
    with _expecting(sandbox) as (receiver, request):
        chromium.navigate(request.url)
        _sign_in(chromium, allow=False)
        url = receiver.wait(30)
    assert url is not None
    text = chromium.wait_for_text("You can close this tab")
    assert "Sign-in did not complete" in text
    assert "access_denied" in text
    assert request.state not in chromium.page_source
    with pytest.raises(AuthorizationDeniedError):
        parse_redirect(url, request)
    assert sandbox.token_requests == []


def test_a_redirect_with_another_state_is_refused_in_the_browser(
    sandbox: SandboxServer, chromium: Browser
) -> None:
    # E.g. an old tab, or a link someone else made: refused, and the sign-in keeps waiting.
    with _expecting(sandbox) as (receiver, _):
        forged = f"{receiver.redirect_uri}?code=ory_ac_forged1234567890&state=not-our-state-1234"
        chromium.navigate(forged)
        text = chromium.wait_for_text("keeps waiting")
        assert "Not the answer tiki-gui is waiting for" in text
        assert "the state of another sign-in" in text
        assert "ory_ac_forged1234567890" not in chromium.page_source
        assert receiver.is_listening
        assert receiver.refused_count == 1
        assert receiver.received_url is None
    assert sandbox.token_requests == []
