"""A company network on 127.0.0.1 for the token client: proxy, TLS inspection, company CA.

``company`` wires it up: the sandbox (plain http on 127.0.0.1) behind a :class:`TlsFront` that
shows ``tiki.test``'s certificate signed by the company CA, and a :class:`CompanyProxy` that maps
``tiki.test:443`` to that front. No environment variable is set here: each test sets the proxy
and trust variables it is about (after ``clean_environment`` removed the machine's own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tiki_gui.sandbox import SandboxServer

from .pki import TEST_HOST, CompanyPki
from .proxy import CompanyProxy, TlsFront

PROXY_VARIABLES = tuple(
    name
    for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    for name in (base, base.upper())
)
TRUST_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")


@dataclass(frozen=True, slots=True)
class CompanyNetwork:
    pki: CompanyPki
    sandbox: SandboxServer
    front: TlsFront
    proxy: CompanyProxy

    @property
    def token_endpoint(self) -> str:
        return f"https://{TEST_HOST}/sc/oauth2/token"


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy or trust variable from the machine running the tests."""
    for name in (*PROXY_VARIABLES, *TRUST_VARIABLES, "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture(scope="module")
def pki() -> Iterator[CompanyPki]:
    with CompanyPki() as made:
        yield made


@pytest.fixture
def company(pki: CompanyPki, sandbox: SandboxServer) -> Iterator[CompanyNetwork]:
    with (
        TlsFront(pki.server_context(), sandbox.port) as front,
        CompanyProxy({(TEST_HOST, 443): front.port}) as proxy,
    ):
        yield CompanyNetwork(pki=pki, sandbox=sandbox, front=front, proxy=proxy)
