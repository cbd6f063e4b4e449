"""The token client on a company network: through the proxy, trusting the system's store.

Real components only: the sandbox's token endpoint behind a TLS front with a certificate from a
company CA made for this run, an HTTP CONNECT proxy on 127.0.0.1 that alone knows where
``tiki.test`` is (there is no DNS for it), and the app's own ``make_http_client``. The trust
store is the one ``truststore`` reads on Linux: OpenSSL's default paths, which ``SSL_CERT_FILE``
and ``SSL_CERT_DIR`` replace, as a company's IT sets them or installs the CA into them.
"""

from __future__ import annotations

import pytest

from tiki_gui.core.client_auth import AuthMethod, ClientCredentials
from tiki_gui.core.errors import ConnectionFailedError, ProxyFailedError, TlsError
from tiki_gui.core.http import make_http_client
from tiki_gui.core.token_client import TokenClient
from tiki_gui.sandbox import DEMO_BASIC_CLIENT, SandboxServer

from .conftest import CompanyNetwork
from .pki import TEST_HOST
from .proxy import CompanyProxy, TlsFront

pytestmark = pytest.mark.usefixtures("clean_environment")

CREDENTIALS = ClientCredentials(
    DEMO_BASIC_CLIENT.client_id, DEMO_BASIC_CLIENT.client_secret, AuthMethod.CLIENT_SECRET_BASIC
)


def _token(endpoint: str) -> str:
    with make_http_client() as http:
        return TokenClient(endpoint, CREDENTIALS, http).client_credentials().access_token


@pytest.mark.parametrize(
    ("proxy_variable", "store_variable"),
    [
        ("HTTPS_PROXY", "SSL_CERT_FILE"),  # the company CA in a bundle file
        ("https_proxy", "SSL_CERT_DIR"),  # ... or in a hashed directory; lower-case works too
    ],
)
def test_goes_through_the_proxy_and_trusts_the_company_ca_in_the_system_store(
    company: CompanyNetwork,
    monkeypatch: pytest.MonkeyPatch,
    proxy_variable: str,
    store_variable: str,
) -> None:
    store = company.pki.ca_file if store_variable == "SSL_CERT_FILE" else company.pki.ca_dir
    monkeypatch.setenv(proxy_variable, company.proxy.url)
    monkeypatch.setenv(store_variable, str(store))

    assert _token(company.token_endpoint)
    assert company.proxy.tunnels == [f"{TEST_HOST}:443"]
    assert company.front.handshakes == 1


def test_a_company_ca_missing_from_the_store_fails_clearly(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", company.proxy.url)  # the system store, without the CA

    with pytest.raises(TlsError) as caught:
        _token(company.token_endpoint)

    assert company.proxy.tunnels == [f"{TEST_HOST}:443"]  # the proxy did its part
    assert "certificate is not trusted" in str(caught.value)
    assert TEST_HOST in str(caught.value)
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason
    assert DEMO_BASIC_CLIENT.client_secret not in repr(caught.value) + caught.value.reason


def test_a_certificate_from_another_ca_is_refused_even_with_the_company_ca_trusted(
    company: CompanyNetwork, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TlsFront(company.pki.server_context(trusted=False), sandbox.port) as stranger:
        company.proxy.routes[(TEST_HOST, 443)] = stranger.port
        monkeypatch.setenv("HTTPS_PROXY", company.proxy.url)
        monkeypatch.setenv("SSL_CERT_FILE", str(company.pki.ca_file))

        with pytest.raises(TlsError):
            _token(company.token_endpoint)
        assert stranger.handshakes == 0


def test_without_a_proxy_setting_the_host_is_not_reached(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(company.pki.ca_file))

    with pytest.raises(ConnectionFailedError) as caught:
        _token(company.token_endpoint)  # direct: tiki.test does not resolve

    assert not isinstance(caught.value, ProxyFailedError)
    assert company.proxy.forwarded == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_never_goes_through_the_proxy(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    sandbox = company.sandbox
    if host == "[::1]":
        with SandboxServer(host="::1") as v6:
            _loopback_token(company, monkeypatch, f"http://[::1]:{v6.port}/sc/oauth2/token")
        return
    _loopback_token(company, monkeypatch, f"http://{host}:{sandbox.port}/sc/oauth2/token")


def _loopback_token(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, company.proxy.url)  # and no NO_PROXY at all

    assert _token(endpoint)
    assert company.proxy.forwarded == 0
    assert company.proxy.refused == []


def test_no_proxy_is_honoured(company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", company.proxy.url)
    monkeypatch.setenv("NO_PROXY", f"example.org,.{TEST_HOST.split('.')[-1]}")
    monkeypatch.setenv("SSL_CERT_FILE", str(company.pki.ca_file))

    with pytest.raises(ConnectionFailedError) as caught:
        _token(company.token_endpoint)  # direct, as NO_PROXY says: no DNS for tiki.test

    assert not isinstance(caught.value, ProxyFailedError)
    assert company.proxy.forwarded == 0


def test_a_proxy_that_wants_credentials_fails_clearly_without_leaking_them(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    with CompanyProxy({(TEST_HOST, 443): company.front.port}, credentials="ann:pr0xy-pw") as strict:
        monkeypatch.setenv("HTTPS_PROXY", f"http://ann:wrong-pw@127.0.0.1:{strict.port}")
        monkeypatch.setenv("SSL_CERT_FILE", str(company.pki.ca_file))

        with pytest.raises(ProxyFailedError) as caught:
            _token(company.token_endpoint)

        error = caught.value
        assert error.status_code == 407
        assert error.proxy == f"127.0.0.1:{strict.port}"
        assert "user name and password" in str(error)
        text = f"{error} {error!r} {error.reason}"
        assert "wrong-pw" not in text
        assert "ann:" not in text
        assert DEMO_BASIC_CLIENT.client_secret not in text
        assert strict.tunnels == []

        monkeypatch.setenv("HTTPS_PROXY", f"http://ann:pr0xy-pw@127.0.0.1:{strict.port}")
        assert _token(company.token_endpoint)  # the right credentials go through
        assert strict.tunnels == [f"{TEST_HOST}:443"]


def test_a_proxy_that_refuses_the_host_fails_clearly(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    with CompanyProxy(refuse_all=True) as blocking:
        monkeypatch.setenv("HTTPS_PROXY", blocking.url)

        with pytest.raises(ProxyFailedError) as caught:
            _token(company.token_endpoint)

    assert caught.value.status_code == 403
    assert f"proxy 127.0.0.1:{blocking.port} refused" in str(caught.value)
    assert TEST_HOST in str(caught.value)


def test_an_unreachable_proxy_is_named(
    company: CompanyNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = CompanyProxy()
    port = gone.port
    gone.close()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")

    with pytest.raises(ProxyFailedError) as caught:
        _token(company.token_endpoint)

    assert caught.value.status_code is None
    assert f"proxy 127.0.0.1:{port}" in str(caught.value)
