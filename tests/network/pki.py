"""A company CA and a server certificate it signed, made with ``openssl`` for one test run.

What a company's TLS inspection looks like from the user's machine: every https site is answered
with a certificate issued by the company's own CA, which the company installs in the operating
system's store. :class:`CompanyPki` makes that CA (and, for contrast, a second CA nobody trusts)
and a server certificate for ``tiki.test`` signed by it, in a temporary folder, plus:

- ``ca_file``: the CA alone (a PEM bundle for ``SSL_CERT_FILE``);
- ``ca_dir``: an OpenSSL hashed directory holding the CA (for ``SSL_CERT_DIR``);
- :meth:`nss_db`: an NSS database trusting the CA (``certutil``), what Chromium reads on Linux.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import tempfile
from pathlib import Path

from closing import Closing

__all__ = ["TEST_HOST", "CompanyPki", "certutil_available", "openssl_available"]

TEST_HOST = "tiki.test"
"""A host name that resolves nowhere (RFC 2606 ``.test``): only the proxy knows where it is."""

_CA_NAME = "tiki-gui test company CA"


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def certutil_available() -> bool:
    return shutil.which("certutil") is not None


def _run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True)


def _make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    _run(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", key, "-out", cert, "-days", "2",
        "-subj", f"/O=tiki-gui tests/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return cert, key


def _make_leaf(folder: Path, ca: tuple[Path, Path], hosts: tuple[str, ...]) -> tuple[Path, Path]:
    cert, key = folder / "server.pem", folder / "server.key"
    names = ",".join(f"DNS:{host}" for host in hosts)
    _run(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={hosts[0]}",
        "-CA", ca[0], "-CAkey", ca[1],
        "-addext", f"subjectAltName={names}",
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "keyUsage=critical,digitalSignature",
        "-addext", "extendedKeyUsage=serverAuth",
    )  # fmt: skip
    return cert, key


class CompanyPki(Closing):
    """The company CA, a CA nobody trusts, and ``tiki.test``'s certificate from each."""

    def __init__(self, hosts: tuple[str, ...] = (TEST_HOST,)) -> None:
        if not openssl_available():
            raise RuntimeError("openssl is needed to make the test CA (.ci/debian-packages.txt)")
        self._folder = tempfile.TemporaryDirectory(prefix="tiki-gui-pki-")
        root = Path(self._folder.name)
        (root / "company").mkdir()
        (root / "stranger").mkdir()
        self.ca_file, ca_key = _make_ca(root / "company", "company-ca")
        self.server_cert, self.server_key = _make_leaf(
            root / "company", (self.ca_file, ca_key), hosts
        )
        stranger_ca = _make_ca(root / "stranger", "stranger-ca")
        self.untrusted_cert, self.untrusted_key = _make_leaf(root / "stranger", stranger_ca, hosts)
        self.ca_dir = root / "ca-dir"
        self.ca_dir.mkdir()
        shutil.copy(self.ca_file, self.ca_dir / "company-ca.pem")
        _run("openssl", "rehash", self.ca_dir)
        self.root = root

    def server_context(self, *, trusted: bool = True) -> ssl.SSLContext:
        """A server-side TLS context with the company-signed (or the stranger-signed) cert."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if trusted:
            context.load_cert_chain(self.server_cert, self.server_key)
        else:
            context.load_cert_chain(self.untrusted_cert, self.untrusted_key)
        return context

    def nss_db(self, home: Path) -> Path:
        """Add the company CA, trusted for TLS servers, to ``home/.pki/nssdb`` (made if missing):
        the per-user NSS database Chromium (and so QtWebEngine) reads on Linux."""
        database = home / ".pki" / "nssdb"
        database.mkdir(parents=True, exist_ok=True)
        if not (database / "cert9.db").exists():
            _run("certutil", "-N", "-d", f"sql:{database}", "--empty-password")
        _run(
            "certutil", "-A", "-d", f"sql:{database}", "-n", _CA_NAME, "-t", "C,,",
            "-i", self.ca_file,
        )  # fmt: skip
        return database

    def close(self) -> None:
        self._folder.cleanup()
