"""Keyring reads in a short-lived child process, so the window does not load keyring to read.

Reading one entry of the Secret Service in-process loads keyring, ``secretstorage``, ``jeepney``
and ``cryptography``, and they stay for the life of the window, only to show the client secret
and the stored tokens at start (issue 11, P4 idle on a desktop: 92 MB resident instead of 77 MB
without a keyring). Measured in the idle window: keyring about 5 MB (``jaraco.context`` imports
``urllib.request``, hence ``http.client``, ``email`` and ``ssl``: 3 MB of it), ``secretstorage``
with ``cryptography`` about 7.5 MB (5 MB of pages of cryptography's Rust extension, touched at
its import: secretstorage imports it at its own import, for the AES of the encrypted session,
whatever session it then opens). Neither can be cut from outside those libraries, and
``malloc_trim`` gives nothing back (what stays is in use: modules).

So in a process that asked for it with :func:`read_in_child` (the window: ``tiki_gui.app``),
every :class:`~tiki_gui.storage.secrets.SecretStore` on the chosen backend reads through a
child, ``python -P -m tiki_gui.storage.keyring_reader``, as long as keyring is not loaded here:
the child reads with keyring as the in-process store would (backend choice, retries, refusals:
the store's own code) and ends once no read came for :data:`IDLE_EXIT` seconds, or when this
process goes. The first write (a token filed, a client secret saved) loads keyring here, and
from then on reads stay here too. Nothing is cached: every read asks the keyring.

Protocol: one JSON object per line each way. A request ``{"service", "key", "delays"}``; the
answer ``{"value": str | null}`` or ``{"unavailable": message}`` (a
:class:`~tiki_gui.storage.errors.KeyringUnavailableError`'s text, which names only an exception
class). Values pass only through the two pipes between the processes: the child's standard
error goes nowhere, nothing here logs what it reads, a broken answer is reported without its
text, and ``-P`` keeps the working folder off the child's ``sys.path``.

Not used (:func:`read` answers None: the read is made in this process) unless asked for (the
``tiki-gui token`` command reads at once, in-process), outside Linux, in a frozen bundle (its
executable is no Python interpreter) or without ``sys.executable``, once keyring is loaded here,
or when the child cannot be started or fails twice in a row.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from typing import IO, TYPE_CHECKING, Final

if TYPE_CHECKING:
    import subprocess

__all__ = ["IDLE_EXIT", "read", "read_in_child", "serve", "used"]

_log = logging.getLogger(__name__)

IDLE_EXIT: Final = 0.25
"""Seconds the child waits for the next read before it ends (the reads of one listing come one
right after the other; those of the window's start come within this)."""


_lock = threading.Lock()
_child: subprocess.Popen[bytes] | None = None
_asked = False


def read_in_child(enabled: bool = True) -> None:
    """Have this process's keyring reads go through the child from now on (while :func:`used`)."""
    global _asked
    _asked = enabled


def used() -> bool:
    """True if a read now would go through the child (see the module docstring)."""
    return (
        _asked
        and sys.platform.startswith("linux")
        and bool(sys.executable)
        and not getattr(sys, "frozen", False)
        and "keyring.backend" not in sys.modules
    )


def _start() -> subprocess.Popen[bytes]:
    import subprocess

    # -P: the working folder is not put on sys.path (nothing there is imported as keyring).
    command = [sys.executable, "-P", "-m", "tiki_gui.storage.keyring_reader"]
    child = subprocess.Popen(  # noqa: S603 (our own module, by this interpreter)
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    # Reaped as soon as it ends (after IDLE_EXIT), not at the next read.
    threading.Thread(target=child.wait, name="keyring-reader-reaper", daemon=True).start()
    return child


def _close(child: subprocess.Popen[bytes] | None) -> None:
    """Let go of ``child``: ended (killed if it still runs; its reaper waits for it), pipes
    closed."""
    if child is None:
        return
    if child.poll() is None:
        child.kill()
    for pipe in (child.stdin, child.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _ask(child: subprocess.Popen[bytes], request: bytes) -> dict[str, object] | None:
    """The child's answer; None if it ended (its idle end may cross a request)."""
    if child.stdin is None or child.stdout is None:
        return None
    try:
        child.stdin.write(request)
        child.stdin.flush()
    except OSError:
        return None
    line = child.stdout.readline()
    if not line:
        return None
    try:
        answer = json.loads(line)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        _log.warning("the keyring reader's answer could not be read")  # its text is not shown
        return None
    return answer


def read(service: str, key: str, delays: tuple[float, ...]) -> tuple[str | None] | None:
    """``(value,)``: the entry ``key`` of ``service`` as the child read it (``delays``: its
    retries); None: read it in this process. Raises
    :class:`~tiki_gui.storage.errors.KeyringUnavailableError` as the in-process read would."""
    global _child
    if not used():
        return None
    request = json.dumps({"service": service, "key": key, "delays": list(delays)}) + "\n"
    with _lock:
        for _ in range(2):
            if _child is None or _child.poll() is not None:
                _close(_child)
                try:
                    _child = _start()
                except OSError as exc:
                    _log.info("keyring reader not started (%s)", type(exc).__name__)
                    return None
            answer = _ask(_child, request.encode())
            if answer is not None:
                break
            _close(_child)
            _child = None
        else:
            _log.info("keyring reader failed twice: reading in this process")
            return None
    if "unavailable" in answer:
        from tiki_gui.storage.errors import KeyringUnavailableError

        raise KeyringUnavailableError(str(answer["unavailable"]))
    value = answer.get("value")
    return (value if isinstance(value, str) else None,)


def serve(stdin: int = 0, stdout: IO[bytes] | None = None, idle: float = IDLE_EXIT) -> None:
    """The child: answer each request line from ``stdin`` until it ends or none came for
    ``idle`` seconds."""
    import select

    from tiki_gui.storage.errors import KeyringUnavailableError
    from tiki_gui.storage.secrets import SecretStore

    out = stdout if stdout is not None else sys.stdout.buffer
    buffer = b""
    while True:
        while b"\n" not in buffer:
            ready, _, _ = select.select([stdin], [], [], idle)
            chunk = os.read(stdin, 65536) if ready else b""
            if not chunk:
                return  # silent for ``idle`` seconds, or the parent is gone
            buffer += chunk
        line, _, buffer = buffer.partition(b"\n")
        request = json.loads(line)
        store = SecretStore(request["service"], retry_delays=tuple(request["delays"]))
        try:
            answer: dict[str, object] = {"value": store.read_entry(request["key"])}
        except KeyringUnavailableError as exc:
            answer = {"unavailable": str(exc)}
        out.write(json.dumps(answer).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    # The answers get standard output to themselves: anything printed goes to standard error
    # (nowhere: the parent gives it none).
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(stdout=answers)
