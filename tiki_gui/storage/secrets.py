"""Client secrets and tokens in the OS keyring, and nowhere else.

Entries of the keyring service ``tiki-gui`` (user names, per profile ``P``):

- ``client-secret@P``: the client secret;
- ``sellers@P``: the index of sellers with a token (a JSON list of seller ids; the keyring API
  cannot list entries);
- ``token/<seller id>@P``: a :class:`~tiki_gui.storage.records.SellerRecord` as JSON (tokens,
  seller name, last refresh, needs-reauthorization flag).

When no keyring backend is usable (keyring's ``fail`` or ``null`` backend, a plain-text backend
from ``keyrings.alt``, errors talking to the keyring, or none that could answer here, told
without loading keyring: :func:`~tiki_gui.storage.keyring_backend.keyring_absent`),
:meth:`SecretStore.available` is False
and every other method raises :class:`KeyringUnavailableError`: there is no plain-text fallback.

A keyring that is up can still fail one call now and then (the Secret Service answering
``InitError`` under load), so every read, write and delete is tried again a few times with a
short backoff (:data:`KEYRING_RETRY_DELAYS`, under 1.5 s in all) before it is reported.

The window reads through a short-lived child process until its first write
(:mod:`~tiki_gui.storage.keyring_reader`, switched on by the app), so that showing the client
secret and listing the stored tokens does not keep keyring, secretstorage and cryptography in the
window for good.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from typing import TYPE_CHECKING, TypeVar

from tiki_gui.core.errors import TikiGuiError
from tiki_gui.storage import keyring_reader, locks
from tiki_gui.storage.errors import KeyringUnavailableError
from tiki_gui.storage.records import SellerRecord, record_from_json, record_to_json

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = ["KEYRING_RETRY_DELAYS", "KEYRING_SERVICE", "SecretStore"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

KEYRING_RETRY_DELAYS: tuple[float, ...] = (0.05, 0.15, 0.4, 0.8)
"""Seconds to wait before each new try of a failed keyring call (so 5 tries in all): a Secret
Service under load has been seen answering ``InitError`` for more than half a second."""

KEYRING_SERVICE = "tiki-gui"
_PROBE_USER = "availability-probe"
_REFUSED_MODULE_PREFIXES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")


def _secret_key(profile: str) -> str:
    return f"client-secret@{profile}"


def _index_key(profile: str) -> str:
    return f"sellers@{profile}"


def _token_key(profile: str, seller_id: int) -> str:
    return f"token/{seller_id}@{profile}"


def _usable(backend: KeyringBackend) -> bool:
    """False for backends that are no keyring at all: keyring's ``fail`` and ``null`` ones, and
    plain-text files (``keyrings.alt``). A real backend may still fail to answer: see
    :meth:`SecretStore.available`."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        chained = list(ChainerBackend.backends)
        return bool(chained) and all(_usable(item) for item in chained)
    return not type(backend).__module__.startswith(_REFUSED_MODULE_PREFIXES)


def _failure(action: str, exc: BaseException) -> KeyringUnavailableError:
    # Only the exception's class name: a backend's message could quote what it was given.
    return KeyringUnavailableError(
        f"The system keyring could not {action} ({type(exc).__name__}); "
        "check that it is running and unlocked. Nothing was stored elsewhere."
    )


def _retrying(action: str, call: Callable[[], _T], delays: tuple[float, ...]) -> _T:
    """``call()``, tried again after each of ``delays`` while it raises; then the failure.

    :class:`KeyringUnavailableError` (no usable backend at all) is final at once.
    """
    failure: Exception | None = None
    for attempt, delay in enumerate((0.0, *delays)):
        if delay:
            time.sleep(delay)
        try:
            return call()
        except KeyringUnavailableError:
            raise
        except Exception as exc:
            failure = exc
            _log.info("keyring call failed (%s), try %d", type(exc).__name__, attempt + 1)
    raise _failure(action, failure) if failure is not None else KeyringUnavailableError()


class SecretStore:
    """Client secrets per profile and token records per (profile, seller) in the OS keyring.

    ``backend`` defaults to keyring's configured/detected backend (looked up at first use, so
    that importing this module stays cheap). ``service`` is the keyring service name.
    ``retry_delays`` are the waits between tries of a failed keyring call. Reads go through
    :mod:`~tiki_gui.storage.keyring_reader`'s child where the process asked for it (the window)
    and keyring is not loaded yet, unless ``backend`` is given.
    """

    def __init__(
        self,
        service: str = KEYRING_SERVICE,
        backend: KeyringBackend | None = None,
        *,
        retry_delays: tuple[float, ...] = KEYRING_RETRY_DELAYS,
    ) -> None:
        self._service = service
        self._backend_override = backend
        self._retry_delays = retry_delays

    @property
    def service(self) -> str:
        return self._service

    # -- backend ------------------------------------------------------------------------------

    def _backend(self) -> KeyringBackend:
        if self._backend_override is not None:
            return self._backend_override
        from tiki_gui.storage.keyring_backend import default_backend

        return default_backend()

    def _absent(self) -> bool:
        """No keyring could answer here, told without importing keyring (keyring_backend)."""
        if self._backend_override is not None:
            return False
        from tiki_gui.storage.keyring_backend import keyring_absent

        return keyring_absent()

    def _usable_backend(self) -> KeyringBackend:
        """The backend; :class:`KeyringUnavailableError` if it is no keyring at all. A failure
        to open it is raised as is (the callers' retries try again)."""
        if self._absent():
            raise KeyringUnavailableError()
        backend = self._backend()
        if not _usable(backend):
            raise KeyringUnavailableError()
        return backend

    def has_backend(self) -> bool:
        """True if a real keyring backend is configured (it may still fail to answer)."""
        try:
            return not self._absent() and _usable(self._backend())
        except Exception:
            return False

    def available(self) -> bool:
        """True if a real keyring backend is configured and answers a read."""
        try:
            self._get(_PROBE_USER)
        except Exception:
            return False
        return True

    def backend_name(self) -> str:
        """The backend's name for display (e.g. "SecretService Keyring")."""
        try:
            if self._absent():
                from tiki_gui.storage.keyring_backend import FAIL_BACKEND_NAME

                return FAIL_BACKEND_NAME  # the backend keyring would choose
            backend = self._backend()
        except Exception:
            return "none"
        return str(getattr(backend, "name", type(backend).__name__))

    def _get(self, key: str) -> str | None:
        if self._backend_override is None and keyring_reader.used():
            if self._absent():
                raise KeyringUnavailableError()  # as in-process: told without a child
            answer = keyring_reader.read(self._service, key, self._retry_delays)
            if answer is not None:
                return answer[0]
        return self.read_entry(key)

    def read_entry(self, key: str) -> str | None:
        """The entry ``key`` read in this process, tried again as every call is (the keyring
        reader's child answers with it)."""

        def call() -> str | None:
            return self._usable_backend().get_password(self._service, key)

        return _retrying("be read", call, self._retry_delays)

    def _set(self, key: str, value: str) -> None:
        def call() -> None:
            self._usable_backend().set_password(self._service, key, value)

        _retrying("store the entry", call, self._retry_delays)

    def _delete(self, key: str) -> None:
        def call() -> None:
            backend = self._usable_backend()  # keyring is loaded past this point
            from keyring.errors import PasswordDeleteError

            try:
                backend.delete_password(self._service, key)
            except PasswordDeleteError:
                return  # there was nothing to delete

        _retrying("delete the entry", call, self._retry_delays)

    # -- client secret --------------------------------------------------------------------------

    def get_client_secret(self, profile: str) -> str | None:
        """The profile's client secret, or None if none is stored."""
        return self._get(_secret_key(profile))

    def set_client_secret(self, profile: str, secret: str) -> None:
        """Store (or replace) the profile's client secret. An empty secret deletes it."""
        if secret:
            self._set(_secret_key(profile), secret)
        else:
            self._delete(_secret_key(profile))

    def delete_client_secret(self, profile: str) -> None:
        self._delete(_secret_key(profile))

    # -- sellers ----------------------------------------------------------------------------------

    def seller_ids(self, profile: str) -> tuple[int, ...]:
        """Ids of the sellers with a stored token under ``profile`` (in the order they came)."""
        raw = self._get(_index_key(profile))
        if not raw:
            return ()
        try:
            data = json.loads(raw)
        except ValueError:
            return ()
        if not isinstance(data, list):
            return ()
        return tuple(item for item in data if isinstance(item, int) and not isinstance(item, bool))

    def _write_index(self, profile: str, ids: tuple[int, ...]) -> None:
        if ids:
            self._set(_index_key(profile), json.dumps(list(ids)))
        else:
            self._delete(_index_key(profile))

    def load_seller(self, profile: str, seller_id: int) -> SellerRecord | None:
        """The stored record, or None (also for an entry that cannot be parsed)."""
        raw = self._get(_token_key(profile, seller_id))
        if not raw:
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                return None
            return record_from_json(data)
        except (ValueError, TypeError, KeyError, TikiGuiError):
            return None

    def load_sellers(self, profile: str) -> list[SellerRecord]:
        """Every stored record under ``profile``, in index order."""
        records = []
        for seller_id in self.seller_ids(profile):
            record = self.load_seller(profile, seller_id)
            if record is not None:
                records.append(record)
        return records

    def save_seller(self, profile: str, record: SellerRecord) -> None:
        """Store ``record`` (replacing the seller's previous one) and add it to the index."""
        self._set(_token_key(profile, record.seller_id), json.dumps(record_to_json(record)))
        with locks.held(self._service, profile, "index"):
            ids = self.seller_ids(profile)
            if record.seller_id not in ids:
                self._write_index(profile, (*ids, record.seller_id))

    def delete_seller(self, profile: str, seller_id: int) -> None:
        """Forget the seller's token (no error if there was none)."""
        with locks.held(self._service, profile, "index"):
            self._delete(_token_key(profile, seller_id))
            ids = self.seller_ids(profile)
            if seller_id in ids:
                self._write_index(profile, tuple(item for item in ids if item != seller_id))

    # -- locks ---------------------------------------------------------------------------------

    def token_lock(
        self, profile: str, seller_id: int, *, timeout: float = locks.DEFAULT_LOCK_TIMEOUT
    ) -> AbstractContextManager[None]:
        """The lock that keeps one seller's token to one refresh (thread and process wide)."""
        return locks.held(self._service, profile, f"seller:{seller_id}", timeout=timeout)

    def _all_token_locks(self, stack: ExitStack, profile: str) -> tuple[int, ...]:
        ids = self.seller_ids(profile)
        for seller_id in sorted(ids):
            stack.enter_context(self.token_lock(profile, seller_id))
        return ids

    # -- whole profiles ---------------------------------------------------------------------------

    def delete_profile(self, profile: str) -> None:
        """Delete the client secret, every token record and the index of ``profile``."""
        with ExitStack() as stack:
            ids = self._all_token_locks(stack, profile)
            with locks.held(self._service, profile, "index"):
                for seller_id in ids:
                    self._delete(_token_key(profile, seller_id))
                self._delete(_index_key(profile))
                self._delete(_secret_key(profile))

    def copy_profile(self, source: str, target: str, *, include_tokens: bool) -> None:
        """Copy the client secret (and, if ``include_tokens``, every token) to ``target``.

        Whatever ``target`` held before is deleted first.
        """
        self.delete_profile(target)
        secret = self.get_client_secret(source)
        if secret:
            self.set_client_secret(target, secret)
        if include_tokens:
            for record in self.load_sellers(source):
                self.save_seller(target, record)

    def move_profile(self, source: str, target: str) -> None:
        """Move every entry of ``source`` to ``target`` (rename): copy first, then delete.

        The source's token locks are held throughout, so no refresh runs while tokens move.
        """
        with ExitStack() as stack:
            self._all_token_locks(stack, source)
            self.copy_profile(source, target, include_tokens=True)
            self.delete_profile(source)
