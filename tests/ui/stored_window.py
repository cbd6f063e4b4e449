"""Main windows with storage (settings file + the real Secret Service), for the UI tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import shiboken6
from keyring_service import SecretService
from pytestqt.qtbot import QtBot
from qt_fixtures import flush_deferred_deletes
from webengine import drive

from tiki_gui.sandbox import SandboxServer
from tiki_gui.storage import KEYRING_SERVICE, ProfileStore
from tiki_gui.storage.profiles import ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.profiles.controller import ProfilesController
from tiki_gui.ui.stored_tokens.auto_refresh import RefreshPolicy
from tiki_gui.ui.stored_tokens.controller import StoredTokensController

from .flow_helpers import click_authorize, sandbox_config, wait_for_state

LOAD_TIMEOUT_MS = 10_000


def profiles_of(window: MainWindow) -> ProfilesController:
    assert window.profiles is not None
    return window.profiles


def tokens_of(window: MainWindow) -> StoredTokensController:
    assert window.stored_tokens is not None
    return window.stored_tokens


class StoredWindowFactory:
    """Makes shown MainWindows on ``ProfileStore()`` (the test's isolated dirs and keyring),
    each returned once its first keyring load came back; :meth:`close` quits one as the app
    does (a "restart" is close, then make)."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot
        self.windows: list[MainWindow] = []

    def __call__(
        self, store: ProfileStore | None = None, *, policy: RefreshPolicy | None = None
    ) -> MainWindow:
        window = MainWindow(storage=store or ProfileStore(), refresh_policy=policy)
        self.windows.append(window)
        # Not qtbot.addWidget: this factory closes and deletes its windows itself (a restart
        # deletes a window mid-test, which qtbot's weak references would still try to close).
        with self._qtbot.waitSignal(tokens_of(window).loaded, timeout=LOAD_TIMEOUT_MS):
            window.show()
        self._qtbot.waitExposed(window)
        return window

    def close(self, window: MainWindow) -> None:
        """Close, shut down (saves, waits for jobs) and delete ``window``."""
        window.close()
        window.shutdown()
        window.deleteLater()
        flush_deferred_deletes()
        self.windows.remove(window)  # and drop it: qtbot holds weak references only

    def close_all(self) -> None:
        # The session refers to its window: delete explicitly, never leave it to the GC.
        for window in self.windows:
            if shiboken6.isValid(window):
                window.close()
                window.shutdown()
                window.deleteLater()
        self.windows.clear()
        flush_deferred_deletes()


@pytest.fixture
def stored_window(qtbot: QtBot) -> Iterator[StoredWindowFactory]:
    factory = StoredWindowFactory(qtbot)
    yield factory
    factory.close_all()


class ProfileWindow(NamedTuple):
    """A window with storage, and its two controllers."""

    window: MainWindow
    profiles: ProfilesController
    tokens: StoredTokensController


ProfileWindowFactory = Callable[..., ProfileWindow]


@pytest.fixture
def profile_window(
    request: pytest.FixtureRequest,
    secret_service: SecretService,
    stored_window: StoredWindowFactory,
) -> ProfileWindowFactory:
    """Make a window on the test's keyring: ``profile_window("Shop")`` also creates and opens
    the profile "Shop" on the ``sandbox`` (or with ``config``); ``policy`` for the refresher."""

    def make(
        name: str | None = None,
        config: ProfileWithSecret | None = None,
        *,
        policy: RefreshPolicy | None = None,
    ) -> ProfileWindow:
        window = stored_window(policy=policy)
        made = ProfileWindow(window, profiles_of(window), tokens_of(window))
        if name is not None:
            if config is None:
                sandbox: SandboxServer = request.getfixturevalue("sandbox")
                config = sandbox_config(sandbox)
            made.profiles.create_profile(name, config)
        return made

    return make


def authorize_as(qtbot: QtBot, window: MainWindow, username: str, *, filed: bool = True) -> None:
    """Authorize in the embedded browser as ``username``; wait until the token is filed."""
    from tiki_gui.ui.signin.flow import FlowState

    tokens = tokens_of(window)
    before = {r.seller_id for r in tokens.manager.records()}
    browser = click_authorize(qtbot, window)
    drive.login(qtbot, browser, username=username, password="pw")
    drive.allow_consent(qtbot, browser)
    wait_for_state(qtbot, window, FlowState.SUCCEEDED)
    if not filed:
        return
    qtbot.waitUntil(
        lambda: (
            {r.seller_id for r in tokens.manager.records()} - before != set()
            or "Token stored" in tokens.manager.result.text()
        ),
        timeout=10_000,
    )


def wait_idle(qtbot: QtBot, profiles: ProfilesController) -> None:
    """Wait until a rename, duplicate, delete or import on the keyring worker came back."""
    qtbot.waitUntil(lambda: not profiles.busy, timeout=LOAD_TIMEOUT_MS)


def keyring_entry(user: str) -> str | None:
    """The test keyring's value for ``user``. A read is tried again a few times when the Secret
    Service briefly names a collection it has not made yet (gnome-keyring under load, once)."""
    import keyring
    from secretstorage.exceptions import ItemNotFoundException

    for pause in (0.1, 0.2, 0.3):
        try:
            return keyring.get_password(KEYRING_SERVICE, user)
        except ItemNotFoundException:
            time.sleep(pause)
    return keyring.get_password(KEYRING_SERVICE, user)  # a fourth failure is the test's


def wait_secret_stored(qtbot: QtBot, profile: str, secret: str) -> None:
    """Wait until the keyring holds ``secret`` as the client secret of ``profile`` (the
    controller stores it from the keyring worker, not on the call)."""
    qtbot.waitUntil(lambda: keyring_entry(f"client-secret@{profile}") == secret, timeout=5000)


def written_text(root: Path) -> str:
    """Every file under ``root`` as text (bytes decoded leniently)."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)
