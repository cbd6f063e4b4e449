"""``tiki-gui self-test [--require-keyring] [--timeout SECONDS]``: a whole sign-in, unattended.

Starts the built-in sandbox, opens the real window on its demo client, presses Authorize, signs
in and allows in the embedded browser (the page's own form and buttons, clicked through
JavaScript), and waits for the tokens to show in the window. It prints one JSON line::

    {"ok": true, "tokens": true, "keyring": "SecretService Keyring", "seconds": 2.1, ...}

and exits 0 only when the tokens arrived (and, with ``--require-keyring``, the system keyring
stored, read back and deleted a probe value). Otherwise it exits 1 with ``"reason"`` saying what
went wrong. It never prints a token or a secret.

It is the smoke test of every bundle and a quick check for users and support: it runs headless
(``QT_QPA_PLATFORM=offscreen``, chosen by itself on Linux without a display), as root
(Chromium's sandbox off, as the app always does there) and as a normal user. The settings,
lock and browser-data folders of the run are temporary; only the keyring probe and the
sandbox's own tokens (profile "Sandbox", as ``tiki-gui --sandbox`` stores them) touch the
user's keyring.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

__all__ = ["DEFAULT_TIMEOUT", "Outcome", "build_parser", "main", "probe_keyring"]

DEFAULT_TIMEOUT = 90.0
"""Seconds for the whole run: the first start of Chromium on a cold, slow machine included."""

KEYRING_TIMEOUT = 30.0
"""Seconds for the keyring probe (a desktop keyring may ask the user to unlock it)."""

_PROBE_PROFILE = "self-test probe"
_PROBE_SERVICE = "tiki-gui-self-test"

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Outcome:
    """What the run found; printed as one JSON line (never a token or a secret)."""

    ok: bool = False
    tokens: bool = False
    keyring: str | None = None
    seconds: float = 0.0
    step: str = "start"
    reason: str | None = None
    chromium_sandbox: bool | None = None  # None: the browser was not started
    platform: str = field(default_factory=lambda: sys.platform)
    frozen: bool = field(default_factory=lambda: bool(getattr(sys, "frozen", False)))

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tiki-gui self-test",
        description="Sign in to the built-in sandbox in the real window, unattended, and check "
        "that tokens arrive. Prints one JSON line; exits 0 on success, 1 otherwise.",
    )
    parser.add_argument(
        "--require-keyring",
        action="store_true",
        help="also fail when no working system keyring stores, reads and deletes a probe value",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up after this many seconds in all (default {DEFAULT_TIMEOUT:g})",
    )
    return parser


def probe_keyring(timeout: float = KEYRING_TIMEOUT) -> str | None:
    """The name of the system keyring backend if a probe value can be stored, read back and
    deleted through the app's own :class:`~tiki_gui.storage.SecretStore`; else None.

    Runs on a thread of its own so that a keyring that never answers cannot hang the test."""
    from tiki_gui.storage import SecretStore

    store = SecretStore(service=_PROBE_SERVICE)
    result: list[str | None] = []

    def probe() -> None:
        value = secrets.token_urlsafe(16)
        try:
            store.set_client_secret(_PROBE_PROFILE, value)
            try:
                read = store.get_client_secret(_PROBE_PROFILE)
            finally:
                store.delete_client_secret(_PROBE_PROFILE)
        except Exception as exc:
            _log.info("keyring probe failed: %s", type(exc).__name__)
            result.append(None)
            return
        result.append(store.backend_name() if read == value else None)

    thread = threading.Thread(target=probe, name="tiki-gui-keyring-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    return result[0] if result else None


@contextmanager
def _private_folders() -> Iterator[None]:
    """Point the settings, lock and browser-data folders at a temporary directory."""
    root = tempfile.mkdtemp(prefix="tiki-gui-self-test-")
    names = ("TIKI_GUI_CONFIG_DIR", "TIKI_GUI_RUNTIME_DIR", "TIKI_GUI_DATA_DIR")
    previous = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = os.path.join(root, name.rsplit("_", 2)[-2].lower())
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(root, ignore_errors=True)


def _headless_if_no_display() -> None:
    """On Linux without a display, use Qt's offscreen platform (an ssh session, a CI job)."""
    if (
        sys.platform.startswith("linux")
        and "QT_QPA_PLATFORM" not in os.environ
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main(argv: list[str] | None = None) -> int:
    """Run the self-test with ``argv`` (the arguments after ``self-test``); return the status."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    outcome = Outcome()
    outcome.keyring = probe_keyring(min(KEYRING_TIMEOUT, max(args.timeout, 0.0)))
    if args.require_keyring and outcome.keyring is None:
        outcome.reason = "no working system keyring (a probe value could not be stored)"
    else:
        _headless_if_no_display()
        from tiki_gui import platform_check

        outcome.reason = platform_check.problem()  # the missing packages, in words
    if outcome.reason is None:
        with _private_folders():
            try:
                from tiki_gui.self_test_driver import run_sign_in

                run_sign_in(outcome, args.timeout - (time.monotonic() - started))
            except Exception as exc:  # still print the one line, with the reason
                outcome.reason = f"could not run the window: {type(exc).__name__}: {exc}"
    outcome.seconds = round(time.monotonic() - started, 2)
    outcome.ok = outcome.tokens and outcome.reason is None
    print(outcome.to_json(), flush=True)
    return 0 if outcome.ok else 1
