"""RFC 9207: with ``issue_iss`` every redirect back to the client carries ``iss``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer
from tiki_gui.sandbox.__main__ import build_parser

from .browserless import authorize


def _auth_url(server: SandboxServer, **extra: str) -> str:
    query = {
        "response_type": "code",
        "client_id": DEMO_BASIC_CLIENT.client_id,
        "redirect_uri": DEMO_BASIC_CLIENT.redirect_uris[0],
        "scope": "offline product",
        "state": "state-123456789",
        **extra,
    }
    return f"{server.authorization_endpoint}?{urlencode(query)}"


def _iss(url: str) -> list[str] | None:
    return parse_qs(urlsplit(url).query).get("iss")


def test_success_and_error_redirects_carry_iss() -> None:
    with SandboxServer(issue_iss=True, issuer="https://issuer.example") as server:
        assert server.issuer == "https://issuer.example"
        with httpx.Client(timeout=5, trust_env=False) as http:
            assert _iss(authorize(http, _auth_url(server))) == ["https://issuer.example"]
        with httpx.Client(timeout=5, trust_env=False) as http:
            denied = authorize(http, _auth_url(server), allow=False)
        assert _iss(denied) == ["https://issuer.example"]
        assert "error=access_denied" in denied
        with httpx.Client(timeout=5, trust_env=False) as http:
            bad_scope = http.get(_auth_url(server, scope="product,order")).headers["location"]
        assert "error=invalid_scope" in bad_scope
        assert _iss(bad_scope) == ["https://issuer.example"]
        with httpx.Client(timeout=5, trust_env=False) as http:
            fallback = http.get(_auth_url(server, client_id="nobody")).headers["location"]
        assert "/fallbacks/error" in fallback
        assert _iss(fallback) is None


def test_no_iss_by_default_and_issuer_defaults_to_base_url(sandbox: SandboxServer) -> None:
    assert sandbox.issuer == sandbox.base_url
    with httpx.Client(timeout=5, trust_env=False) as http:
        assert _iss(authorize(http, _auth_url(sandbox))) is None


def test_cli_flags() -> None:
    args = build_parser().parse_args(["--issue-iss", "--issuer", "https://x.example"])
    assert args.issue_iss is True
    assert args.issuer == "https://x.example"
    assert build_parser().parse_args([]).issue_iss is False
