"""A real Secret Service per test: a private D-Bus session bus and gnome-keyring-daemon.

Shared by tests/storage (re-exported by its conftest) and tests/ui.

``secret_service`` isolates HOME and the XDG directories under the test's tmp_path (the runtime
directory with mode 0700), starts a private ``dbus-daemon`` (session bus configuration without
service activation, socket in a short temporary directory), unlocks a fresh
``gnome-keyring-daemon`` (secrets component) with a password on stdin, points ``keyring`` at its
SecretService backend, checks a set/get/delete round trip, and tears everything down again.
Missing programs make the fixture FAIL (CI installs them; see .ci/debian-packages.txt): a
keyring test that silently skips proves nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.core
import pytest
from child_processes import ROOT as ROOT  # re-exported: the tests that start the app use it
from child_processes import end_process
from keyring.backend import KeyringBackend

KEYRING_PASSWORD = "storage-tests-keyring-password"
_REQUIRED = {"dbus-daemon": "dbus-daemon", "gnome-keyring-daemon": "gnome-keyring"}


@dataclass(frozen=True)
class IsolatedDirs:
    """The per-test HOME and XDG directories (everything the app may write lives under root)."""

    root: Path
    home: Path
    config: Path
    data: Path
    cache: Path
    runtime: Path

    @property
    def profiles_file(self) -> Path:
        return self.config / "tiki-gui" / "profiles.json"

    def written_files(self) -> list[Path]:
        """Every regular file under the isolated root (sockets and the like are skipped)."""
        return sorted(p for p in self.root.rglob("*") if p.is_file() and not p.is_symlink())


@dataclass(frozen=True)
class SecretService:
    """A running private Secret Service and the isolated directories it lives in."""

    dirs: IsolatedDirs
    bus_address: str
    dbus_pid: int
    daemon: subprocess.Popen[str]
    daemon_log: Path

    @property
    def keyring_pid(self) -> int:
        """gnome-keyring-daemon's pid (a test may stop it)."""
        return self.daemon.pid

    def state(self) -> str:
        """Whether gnome-keyring-daemon still runs, and what it wrote on stderr: a test that
        fails on the keyring says it (a daemon gone mid-test is otherwise just "no reply")."""
        status = self.daemon.poll()
        running = "running" if status is None else f"exited with status {status}"
        try:
            said = self.daemon_log.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError as exc:
            said = f"(its stderr could not be read: {exc})"
        return f"gnome-keyring-daemon (pid {self.keyring_pid}): {running}; its stderr:\n{said}"

    def subprocess_env(self, **extra: str) -> dict[str, str]:
        """The environment for a ``tiki-gui token`` subprocess (already in os.environ)."""
        env = dict(os.environ)
        env.update(extra)
        return env


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedDirs:
    """HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_RUNTIME_DIR under tmp_path."""
    root = tmp_path / "isolated"
    dirs = IsolatedDirs(
        root=root,
        home=root / "home",
        config=root / "config",
        data=root / "data",
        cache=root / "cache",
        runtime=root / "runtime",
    )
    for path in (dirs.home, dirs.config, dirs.data, dirs.cache, dirs.runtime):
        path.mkdir(parents=True, mode=0o700)
    dirs.runtime.chmod(0o700)
    monkeypatch.setenv("HOME", str(dirs.home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs.config))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs.data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs.cache))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(dirs.runtime))
    for name in (
        "TIKI_GUI_CONFIG_DIR",
        "TIKI_GUI_RUNTIME_DIR",
        "PYTHON_KEYRING_BACKEND",
        "DBUS_SESSION_BUS_ADDRESS",
    ):
        monkeypatch.delenv(name, raising=False)
    # Subprocesses run the working tree's package.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return dirs


def _require_programs() -> None:
    missing = [name for name in _REQUIRED if shutil.which(name) is None]
    if missing:
        packages = " ".join(_REQUIRED[name] for name in missing)
        pytest.fail(
            f"{', '.join(missing)} not found: the keyring tests need a real Secret Service. "
            f"Install the Debian packages: apt-get install {packages}",
            pytrace=False,
        )


# A session bus like `dbus-daemon --session`, minus service activation: nothing but the
# keyring daemon started here can answer for org.freedesktop.secrets (a test that stops it sees a
# keyring that does not answer, not a second daemon started by the bus).
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _secret_service_backend(timeout: float = 10.0) -> KeyringBackend:
    """keyring's SecretService backend, once the keyring daemon answers on the bus (it
    registers there shortly after starting)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            backend = keyring.core.load_keyring("keyring.backends.SecretService.Keyring")
            backend.get_password("tiki-gui-fixture", "ready")
        except Exception as exc:
            if time.monotonic() >= deadline:
                pytest.fail(
                    f"gnome-keyring-daemon did not answer within {timeout:g} s "
                    f"({type(exc).__name__}: {exc})",
                    pytrace=False,
                )
            time.sleep(0.05)
        else:
            return backend


def file_token(profile: str, secret: str, seller: tuple[int, str], access_token: str) -> None:
    """A saved profile with a client secret and one seller's token (valid for an hour), written
    in this process to the settings file and the keyring, as the app leaves them."""
    from datetime import UTC, datetime, timedelta

    from tiki_gui.core.tokens import TokenSet
    from tiki_gui.storage import Profile, ProfileStore, TokenVault

    profiles = ProfileStore()
    profiles.save(Profile(name=profile, client_id="c", redirect_uri="https://example.com/cb"))
    profiles.set_client_secret(profile, secret)
    now = datetime.now(UTC)
    token = TokenSet(access_token, "bearer", now, now + timedelta(hours=1), "rt-" + access_token)
    TokenVault(profiles).store(profile, *seller, token)


def stop_process(process: subprocess.Popen[str]) -> None:
    """End a process this fixture started (by its own handle) and reap it."""
    end_process(process)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@pytest.fixture
def secret_service(isolated_dirs: IsolatedDirs) -> Iterator[SecretService]:
    """A private, unlocked Secret Service; ``keyring`` uses its SecretService backend."""
    with private_secret_service(isolated_dirs) as service:
        yield service


@contextlib.contextmanager
def private_secret_service(isolated_dirs: IsolatedDirs) -> Iterator[SecretService]:
    """Start a private, unlocked Secret Service and point ``keyring`` at it (the fixture; also
    used by tests/tools/screenshots.py).

    Both daemons run in the foreground as children of this process (``--nofork`` /
    ``--foreground``), so that teardown ends them by their own handles and reaps them: in a
    container whose init does not reap orphans, forked daemons would linger as zombies.
    """
    _require_programs()
    # The bus socket lives in a short directory of its own: a unix socket path under pytest's
    # tmp_path can exceed the 108-byte limit.
    bus_dir = Path(tempfile.mkdtemp(prefix="tiki-bus-"))
    started: list[subprocess.Popen[str]] = []
    previous_backend = keyring.get_keyring()
    try:
        config = bus_dir / "session.conf"
        config.write_text(_BUS_CONFIG.format(socket=bus_dir / "bus"), encoding="utf-8")
        dbus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(dbus)
        assert dbus.stdout is not None
        address = dbus.stdout.readline().strip()
        if not address:
            pytest.fail("dbus-daemon did not start (no bus address printed)", pytrace=False)
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon_log = bus_dir / "gnome-keyring-daemon.log"  # see SecretService.state
        with daemon_log.open("w", encoding="utf-8") as log:
            keyring_daemon = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=log,
                text=True,
            )
        started.append(keyring_daemon)
        assert keyring_daemon.stdin is not None
        keyring_daemon.stdin.write(KEYRING_PASSWORD)
        keyring_daemon.stdin.close()
        # No service activation on this bus: only the daemon started here can answer.
        backend = _secret_service_backend()
        keyring.set_keyring(backend)
        backend.set_password("tiki-gui-fixture", "round-trip", "checked")
        assert backend.get_password("tiki-gui-fixture", "round-trip") == "checked"
        backend.delete_password("tiki-gui-fixture", "round-trip")
        assert backend.get_password("tiki-gui-fixture", "round-trip") is None
        yield SecretService(isolated_dirs, address, dbus.pid, keyring_daemon, daemon_log)
    finally:
        keyring.set_keyring(previous_backend)
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        for process in reversed(started):
            stop_process(process)
        shutil.rmtree(bus_dir, ignore_errors=True)
