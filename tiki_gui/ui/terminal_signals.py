"""Ctrl+C or SIGTERM in the terminal closes the window the normal way (profile saved, browser
torn down) instead of raising ``KeyboardInterrupt`` inside some Qt slot.

Python runs a signal handler only between byte codes, and Qt's event loop is C++: while the app
is idle no byte code runs, so the handler would wait for the next event. Rather than a timer
waking the interpreter a few times a second (wake-ups for nothing, issue 11), the signal's own
wake-up byte does it: :func:`signal.set_wakeup_fd` has the C-level handler write to one end of a
pipe, a :class:`QSocketNotifier` on the other end wakes the event loop, and its slot (Python)
gives the handler its turn. On Windows, which takes only a socket there, a socket pair (the socket
module is imported only there: ~3 ms of every start elsewhere, issue 11).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["quit_on_terminal_signals"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def quit_on_terminal_signals(window: QWidget) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM close ``window`` from the event loop; outside the main
    thread (where Python takes no signal handlers) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def close_window(signum: int, frame: object) -> None:
        QTimer.singleShot(0, window.close)

    read_end, write_end, read, close = _bell()

    def drain() -> None:
        # Running this slot is what lets Python call close_window; the bytes are only the bell.
        with contextlib.suppress(OSError):
            while read():
                pass

    notifier = QSocketNotifier(read_end, QSocketNotifier.Type.Read)
    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    previous = {sig: signal.signal(sig, close_window) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        close()


def _bell() -> tuple[int, int, Callable[[], bytes], Callable[[], None]]:
    """A non-blocking channel: its read end, its write end, a read of what is waiting (raises
    BlockingIOError when nothing is), and its close."""
    if os.name == "posix":
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        os.set_blocking(write_end, False)

        def close_pipe() -> None:
            os.close(read_end)
            os.close(write_end)

        return read_end, write_end, lambda: os.read(read_end, 64), close_pipe
    import socket

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)

    def close_sockets() -> None:
        reader.close()
        writer.close()

    return reader.fileno(), writer.fileno(), lambda: reader.recv(64), close_sockets
