"""A keyring backend that is up but fails now and then, as the Secret Service did under load
("InitError" one call in 400): the real Secret Service backend, with every Nth call failing.

Chosen in a ``tiki-gui token`` subprocess with ``PYTHON_KEYRING_BACKEND=flaky_keyring.Keyring``
(and this folder on ``PYTHONPATH``); ``FLAKY_KEYRING_EVERY`` sets N (default 2: every other call).
In the test process, wrap any backend with :class:`Flaky`.
"""

from __future__ import annotations

import os
import threading

import keyring.core
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import InitError


class _Failures:
    def __init__(self, every: int) -> None:
        self.every = every
        self.calls = 0
        self.failed = 0
        self._lock = threading.Lock()

    def tick(self) -> None:
        with self._lock:
            self.calls += 1
            fail = self.every > 0 and self.calls % self.every == 0
            if fail:
                self.failed += 1
        if fail:
            raise InitError("Failed to create the collection: Prompt dismissed..")


class Flaky(KeyringBackend):
    """Wraps ``inner``; every ``every``-th call fails (0: never; 1: always)."""

    @properties.classproperty
    def priority(self) -> float:
        # Never picked by keyring's discovery (it makes an instance of every viable class):
        # only when chosen by name or passed as a backend.
        raise RuntimeError("a test double, chosen explicitly only")

    def __init__(self, inner: KeyringBackend, every: int) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.inner = inner
        self.failures = _Failures(every)

    def get_password(self, service: str, username: str) -> str | None:
        self.failures.tick()
        return self.inner.get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.failures.tick()
        self.inner.set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.failures.tick()
        self.inner.delete_password(service, username)


class Keyring(Flaky):
    """The Secret Service backend, failing every ``FLAKY_KEYRING_EVERY``-th call."""

    @properties.classproperty
    def priority(self) -> float:
        # keyring checks it when the class is chosen by name: viable in the subprocess only.
        if "FLAKY_KEYRING_EVERY" not in os.environ:
            raise RuntimeError("set FLAKY_KEYRING_EVERY to use this test double")
        return 1.0

    def __init__(self) -> None:
        inner = keyring.core.load_keyring("keyring.backends.SecretService.Keyring")
        super().__init__(inner, int(os.environ.get("FLAKY_KEYRING_EVERY", "2")))
