"""Locks that keep two refreshes of one token (or two edits of one index) apart.

Each key gets an in-process re-entrant lock (threads of one app) and an exclusive lock on a file
in :func:`~tiki_gui.storage.paths.runtime_dir` (other processes: the app and ``tiki-gui token``
scripts), taken with :mod:`filelock` (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows,
with the races around lock files that those leave handled there). The lock files hold nothing;
their names are hashes, so not even a profile name is written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tiki_gui.storage.errors import LockTimeoutError
from tiki_gui.storage.paths import ensure_private_dir, runtime_dir

if TYPE_CHECKING:
    import filelock

__all__ = ["DEFAULT_LOCK_TIMEOUT", "held", "lock_path"]

DEFAULT_LOCK_TIMEOUT = 120.0
"""Seconds to wait for another refresh of the same token (longer than one HTTP request)."""

_POLL_INTERVAL = 0.05


class _KeyedLock:
    """A re-entrant lock for one key: a thread lock, then (outermost only) the file lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        import filelock  # at the first lock: ~15 ms to load, not at every start (issue 11)

        self._file_lock = filelock.FileLock(path, mode=0o600)

    def acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=max(timeout, 0.0)):
            raise LockTimeoutError(_timeout_message(timeout))
        try:
            if self._depth == 0:
                _lock_file(self._file_lock, self.path, deadline, timeout)
            self._depth += 1
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                self._file_lock.release()
        finally:
            self._thread_lock.release()


def _timeout_message(timeout: float) -> str:
    return (
        f"Another tiki-gui window or script kept this token busy for more than {timeout:g} "
        "seconds; try again."
    )


def _lock_file(lock: filelock.FileLock, path: Path, deadline: float, timeout: float) -> None:
    ensure_private_dir(path.parent)
    remaining = max(deadline - time.monotonic(), 0.0)
    import filelock

    try:
        lock.acquire(timeout=remaining, poll_interval=_POLL_INTERVAL)
    except filelock.Timeout:
        raise LockTimeoutError(_timeout_message(timeout)) from None


_registry_lock = threading.Lock()
_registry: dict[Path, _KeyedLock] = {}


def lock_path(*parts: str) -> Path:
    """The lock file for a key made of ``parts`` (hashed: the name reveals nothing)."""
    import hashlib  # at the first lock, not when the settings file is first read (issue 11)

    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
    return runtime_dir() / "locks" / f"{digest}.lock"


@contextmanager
def held(*parts: str, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock for the key ``parts`` (thread and process wide) inside the ``with`` block.

    Re-entrant within one thread. Raises :class:`LockTimeoutError` after ``timeout`` seconds.
    """
    path = lock_path(*parts)
    with _registry_lock:
        lock = _registry.get(path)
        if lock is None:
            lock = _registry[path] = _KeyedLock(path)
    lock.acquire(timeout)
    try:
        yield
    finally:
        lock.release()
