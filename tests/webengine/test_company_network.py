"""The embedded browser on a company network: real QtWebEngine, a real proxy, a company CA.

Each case runs the app's ConsentBrowser in a fresh process (``company_browser.py``): Chromium
reads its proxy switches and the NSS database once per process. The site is ``tiki.test``, which
only the proxy can find (no DNS): a page served on 127.0.0.1 behind a TLS front whose certificate
comes from a company CA made for this run. What is proved, and how:

- the proxy variables reach Chromium, and https goes through the proxy's CONNECT;
- the company CA is trusted once it is in ``$HOME/.pki/nssdb`` (the way chosen for Linux, see
  :mod:`tiki_gui.webengine.network`), and without it the page is refused with advice;
- ``/etc/ssl``-style trust (``SSL_CERT_FILE``) is **not** read by QtWebEngine on Linux: the test
  pins that fact, so a future QtWebEngine that reads it shows up here;
- loopback never goes through the proxy, and ``NO_PROXY`` is honoured;
- a proxy's credentials in ``HTTPS_PROXY`` are given to the proxy when it asks (407).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from network.pki import TEST_HOST, CompanyPki, certutil_available
from network.proxy import CompanyProxy, TlsFront
from scripted_server import ScriptedServer

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("company_browser.py")
PAGE = "<html><head><title>Company page</title></head><body>inspected</body></html>"
CLEARED = (
    "http_proxy", "https_proxy", "all_proxy", "no_proxy",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Outcome:
    loaded: bool
    title: str
    failure: str | None
    flags: str


@dataclass(frozen=True, slots=True)
class Site:
    pki: CompanyPki
    pages: ScriptedServer
    front: TlsFront
    proxy: CompanyProxy
    home: Path

    def run(self, url: str, **environment: str) -> Outcome:
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(HOME=str(self.home), QT_QPA_PLATFORM="offscreen")
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--disable-gpu --log-level=3"
        env.update(environment)
        done = subprocess.run(
            [sys.executable, str(CHILD), url],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        assert done.returncode == 0, done.stderr[-2000:]
        assert lines, done.stderr[-2000:]
        return Outcome(**json.loads(lines[-1]))


@pytest.fixture(scope="module")
def pki() -> Iterator[CompanyPki]:
    assert certutil_available(), "certutil is missing: install libnss3-tools (.ci/debian-packages)"
    with CompanyPki() as made:
        yield made


@pytest.fixture
def site(pki: CompanyPki, tmp_path: Path) -> Iterator[Site]:
    pages = ScriptedServer(pages={"/": PAGE})
    try:
        with (
            TlsFront(pki.server_context(), int(pages.base_url.rsplit(":", 1)[1])) as front,
            CompanyProxy({(TEST_HOST, 443): front.port}) as proxy,
        ):
            yield Site(pki=pki, pages=pages, front=front, proxy=proxy, home=tmp_path)
    finally:
        pages.close()


def test_through_the_proxy_trusting_the_company_ca_in_the_nss_database(site: Site) -> None:
    site.pki.nss_db(site.home)

    outcome = site.run(f"https://{TEST_HOST}/", HTTPS_PROXY=site.proxy.url)

    assert outcome.loaded, outcome.failure
    assert outcome.title == "Company page"
    assert f"--proxy-server=https=http://127.0.0.1:{site.proxy.port}" in outcome.flags
    assert f"{TEST_HOST}:443" in site.proxy.tunnels
    assert site.pages.requested[:1] == ["/"]


def test_without_the_company_ca_the_page_is_refused_with_advice(site: Site) -> None:
    outcome = site.run(
        f"https://{TEST_HOST}/",
        HTTPS_PROXY=site.proxy.url,
        SSL_CERT_FILE=str(site.pki.ca_file),  # read by the token client, not by QtWebEngine
        SSL_CERT_DIR=str(site.pki.ca_dir),
    )

    assert not outcome.loaded
    assert outcome.failure is not None
    assert f"The certificate of {TEST_HOST} was rejected" in outcome.failure
    assert "~/.pki/nssdb" in outcome.failure
    assert "certutil" in outcome.failure
    assert f"{TEST_HOST}:443" in site.proxy.tunnels  # the proxy was used ...
    assert site.pages.requested == []  # ... and nothing was sent to the untrusted site


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_never_goes_through_the_proxy(site: Site, host: str) -> None:
    port = site.pages.base_url.rsplit(":", 1)[1]

    outcome = site.run(
        f"http://{host}:{port}/",
        HTTPS_PROXY=site.proxy.url,
        HTTP_PROXY=site.proxy.url,
        ALL_PROXY=site.proxy.url,
    )

    assert outcome.loaded, outcome.failure
    assert "--proxy-server=" in outcome.flags  # a proxy was in force, and not used
    assert site.proxy.forwarded == 0
    assert site.proxy.refused == []
    assert site.pages.requested[:1] == ["/"]


def test_no_proxy_is_honoured(site: Site) -> None:
    site.pki.nss_db(site.home)

    outcome = site.run(
        f"https://{TEST_HOST}/", HTTPS_PROXY=site.proxy.url, NO_PROXY=f"example.org,{TEST_HOST}"
    )

    assert not outcome.loaded  # direct: no DNS knows tiki.test
    assert f"--proxy-bypass-list=example.org;*.example.org;{TEST_HOST};*.{TEST_HOST}" in (
        outcome.flags
    )
    assert site.proxy.forwarded == 0
    assert site.pages.requested == []


def test_the_proxy_credentials_in_https_proxy_answer_a_407(pki: CompanyPki, site: Site) -> None:
    site.pki.nss_db(site.home)
    with CompanyProxy({(TEST_HOST, 443): site.front.port}, credentials="ann:pr0xy") as strict:
        outcome = site.run(
            f"https://{TEST_HOST}/", HTTPS_PROXY=f"http://ann:pr0xy@127.0.0.1:{strict.port}"
        )

        assert outcome.loaded, outcome.failure
        assert "pr0xy" not in outcome.flags  # never on Chromium's command line
        assert strict.refused  # asked first (407) ...
        assert f"{TEST_HOST}:443" in strict.tunnels  # ... then let through


def test_a_refusing_proxy_is_named_in_the_failure(site: Site) -> None:
    with CompanyProxy(refuse_all=True) as blocking:
        outcome = site.run(f"https://{TEST_HOST}/", HTTPS_PROXY=blocking.url)

        assert not outcome.loaded
        assert outcome.failure is not None
        assert f"Could not load {TEST_HOST}" in outcome.failure
        assert f"through the proxy 127.0.0.1:{blocking.port}" in outcome.failure
        assert blocking.refused == [f"{TEST_HOST}:443"]
    assert site.pages.requested == []
