"""Helpers for storage tests: sandbox clients with distinctive secrets, profiles, real flows.

Every secret used in the storage tests is built here (or returned by the sandbox), so the secret
scan can look for all of them.
"""

from __future__ import annotations

import dataclasses
import secrets
import socket
from typing import TypedDict, Unpack

import httpx
import pytest
from sandbox.browserless import authorize

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.endpoints import Endpoints
from tiki_gui.core.errors import OAuthError
from tiki_gui.core.redirect import parse_redirect
from tiki_gui.core.token_client import TokenClient
from tiki_gui.core.tokens import TokenSet
from tiki_gui.sandbox import SandboxClient, SandboxServer
from tiki_gui.storage.profile_store import ProfileStore
from tiki_gui.storage.profiles import Grant, Profile
from tiki_gui.storage.records import SellerRecord
from tiki_gui.storage.vault import TokenVault

REDIRECT_URI = "http://127.0.0.1/callback"
SCOPE = ("offline", "product", "order")
GRANTS = ("authorization_code", "refresh_token", "client_credentials")


def new_client(client_id: str, method: str = "client_secret_basic") -> SandboxClient:
    """A sandbox client with a fresh secret full of characters that need form-encoding."""
    secret = f"cs+{secrets.token_hex(12)}:/% {secrets.token_hex(4)}"
    return SandboxClient(
        client_id=client_id,
        client_secret=secret,
        token_endpoint_auth_method=method,
        redirect_uris=(REDIRECT_URI,),
        scope="offline offline_access product order inventory",
        grant_types=GRANTS,
    )


class ProfileOptions(TypedDict, total=False):
    """What a test may change in :func:`profile_for` (and :func:`saved_profile`)."""

    grant: Grant  # Grant.AUTHORIZATION_CODE when not given
    base_url: str | None  # the server's own when not given (or None)


def profile_for(
    name: str, server: SandboxServer, client: SandboxClient, **options: Unpack[ProfileOptions]
) -> Profile:
    """A stored-profile value pointing at ``server`` (or at ``base_url``, e.g. a closed port)."""
    grant = options.get("grant", Grant.AUTHORIZATION_CODE)
    base_url = options.get("base_url")
    return Profile(
        name=name,
        client_id=client.client_id,
        redirect_uri=REDIRECT_URI,
        scopes=SCOPE,
        auth_method=AuthMethod(client.token_endpoint_auth_method),
        grant=grant,
    ).with_endpoints(Endpoints.for_base_url(base_url or server.base_url))


def credentials(client: SandboxClient) -> ClientCredentials:
    return ClientCredentials(
        client.client_id, client.client_secret, AuthMethod(client.token_endpoint_auth_method)
    )


def obtain_token(
    server: SandboxServer,
    client: SandboxClient,
    username: str,
    *,
    scope: tuple[str, ...] = SCOPE,
) -> TokenSet:
    """A real authorization code flow as ``username`` (a fresh cookie jar: a new login)."""
    with httpx.Client(timeout=10.0, follow_redirects=False) as browser:
        request = AuthorizationRequest.create(
            server.authorization_endpoint, client.client_id, REDIRECT_URI, scope
        )
        location = authorize(browser, request.url, username=username, password="pw")
        response = parse_redirect(location, request)
        token_client = TokenClient(server.token_endpoint, credentials(client), browser)
        return token_client.exchange_code(response, request)


def refresh_grants(server: SandboxServer) -> int:
    """How many refresh_token grants the sandbox has seen."""
    return sum(1 for r in server.token_requests if r.grant_type == "refresh_token")


def saved_profile(
    name: str, server: SandboxServer, client: SandboxClient, **options: Unpack[ProfileOptions]
) -> ProfileStore:
    """Save a profile for ``client`` (secret in the keyring) and return a fresh store."""
    store = ProfileStore()
    store.save(profile_for(name, server, client, **options))
    store.set_client_secret(name, client.client_secret)
    return ProfileStore()


def closed_port_url() -> str:
    """A loopback base URL where nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def revoke_by_reuse(
    server: SandboxServer, client: SandboxClient, token: TokenSet, http: httpx.Client
) -> None:
    """Another program refreshes ``token`` twice (rotation, then reuse): Hydra then revokes
    the whole chain, so the refresh token stored by the app is refused from now on."""
    first, second = (
        TokenClient(server.token_endpoint, credentials(client), http) for _ in range(2)
    )
    first.refresh(token)
    with pytest.raises(OAuthError) as refused:
        second.refresh(token)
    assert refused.value.error == "invalid_grant"


Filed = tuple[TokenVault, SellerRecord]
"""A vault and the seller record it filed (the ``filed`` fixture of tests/storage/conftest.py)."""


def filed_seller(
    server: SandboxServer, client: SandboxClient, http: httpx.Client, name: str = "Shop"
) -> Filed:
    """A saved profile with one seller ("seller-a") filed after a real flow."""
    vault = TokenVault(saved_profile(name, server, client))
    record = vault.add_from_flow(name, obtain_token(server, client, "seller-a"), http)
    return vault, record


def point_token_endpoint(url: str, name: str = "Shop") -> None:
    """Save profile ``name`` again with its token endpoint at ``url`` (a fault, a relay)."""
    store = ProfileStore()
    profile = store.get(name)
    store.save(dataclasses.replace(profile, token_endpoint=url))
