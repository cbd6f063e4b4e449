"""The timeline as an observer handed to the token client: it sees that client's requests and
responses (authentication included, secrets masked), nothing else on the shared client, and a
broken observer never breaks a request."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.errors import ApiUnauthorizedError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.seller import SellerApi
from tiki_gui.core.timeline import EntryKind, Timeline, mask
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with make_http_client() as client:
        yield client


def _credentials(client: SandboxClient) -> ClientCredentials:
    return ClientCredentials(
        client.client_id, client.client_secret, AuthMethod(client.token_endpoint_auth_method)
    )


@pytest.mark.parametrize("client", [DEMO_BASIC_CLIENT, DEMO_POST_CLIENT], ids=["basic", "post"])
def test_the_observer_sees_its_clients_requests_and_nothing_else(
    sandbox: SandboxServer, http: httpx.Client, client: SandboxClient
) -> None:
    timeline = Timeline()
    observed = TokenClient(sandbox.token_endpoint, _credentials(client), http, observer=timeline)
    unobserved = TokenClient(sandbox.token_endpoint, _credentials(client), http)

    token = observed.client_credentials("product")
    unobserved.client_credentials("product")  # same shared client, not this observer's
    with pytest.raises(ApiUnauthorizedError):  # no seller behind an app token
        SellerApi(sandbox.api_base, http).me(token.access_token)

    assert http.event_hooks == {"request": [], "response": []}  # nothing hooked on the client
    [request, response] = timeline.entries
    assert (request.kind, response.kind) == (EntryKind.REQUEST, EntryKind.RESPONSE)
    assert dict(request.fields)["grant_type"] == "client_credentials"
    if client is DEMO_POST_CLIENT:
        assert dict(request.fields)["client_secret"] == mask(client.client_secret)
    else:  # recorded as sent: after the client authentication added its header
        assert dict(request.headers)["authorization"].startswith("Basic «masked, ")
    assert response.status_code == 200
    assert dict(response.fields)["access_token"] == mask(token.access_token)
    assert client.client_secret not in timeline.as_text()
    assert token.access_token not in timeline.as_text()


class _BrokenObserver:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def record_request(self, request: httpx.Request) -> object:
        raise ValueError("boom")

    def record_response(self, response: httpx.Response) -> object:
        raise KeyError("boom")

    def record_error(self, error: BaseException | str) -> object:
        self.errors.append(str(error))
        return None


def test_a_broken_observer_never_breaks_the_request(
    sandbox: SandboxServer, http: httpx.Client
) -> None:
    observer = _BrokenObserver()
    client = TokenClient(
        sandbox.token_endpoint, _credentials(DEMO_BASIC_CLIENT), http, observer=observer
    )
    token = client.client_credentials("product")
    assert token.access_token
    assert observer.errors == [
        "Could not record a request (ValueError).",
        "Could not record a response (KeyError).",
    ]
