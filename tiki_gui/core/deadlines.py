"""One thread for every request's deadline: :func:`call_at` calls a function at a time unless
it is cancelled first.

A ``threading.Timer`` per request started a thread for each: ``Thread.start`` waits for the new
thread to run, which on a busy interpreter (the window laying itself out, a module loading on
another thread) is a switch of the GIL, up to 5 ms of the request's own time (issue 11, P3).
Here the thread starts with the first deadline and then waits on a heap of them.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable

__all__ = ["call_at"]

_log = logging.getLogger(__name__)


class _Entry:
    __slots__ = ("at", "call", "order")

    def __init__(self, at: float, order: int, call: Callable[[], None]) -> None:
        self.at, self.order = at, order
        self.call: Callable[[], None] | None = call  # None once cancelled

    def __lt__(self, other: _Entry) -> bool:
        return (self.at, self.order) < (other.at, other.order)


class _Deadlines:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._heap: list[_Entry] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def call_at(self, at: float, call: Callable[[], None]) -> Callable[[], None]:
        entry = _Entry(at, next(self._order), call)
        with self._changed:
            heapq.heappush(self._heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="tiki-gui-request-deadlines", daemon=True
                )
                self._thread.start()
            self._changed.notify()

        def cancel() -> None:
            with self._changed:
                entry.call = None  # dropped when it comes up

        return cancel

    def _due(self) -> Callable[[], None]:
        """Wait for the next deadline not cancelled, and take it off the heap."""
        with self._changed:
            while True:
                heap = self._heap
                while heap and heap[0].call is None:
                    heapq.heappop(heap)
                if not heap:
                    self._changed.wait()
                    continue
                wait = heap[0].at - time.monotonic()
                if wait > 0:
                    self._changed.wait(wait)
                    continue
                call = heapq.heappop(heap).call
                if call is not None:
                    return call

    def _run(self) -> None:
        while True:
            call = self._due()
            try:
                call()
            except Exception:  # one broken call must not end every other deadline
                _log.exception("a request deadline's call failed")

    def forget_thread(self) -> None:
        """In a forked child: the parent's thread is not there (a new one starts when needed)."""
        self._changed = threading.Condition()
        self._thread = None


_DEADLINES = _Deadlines()
os.register_at_fork(after_in_child=_DEADLINES.forget_thread)


def call_at(at: float, call: Callable[[], None]) -> Callable[[], None]:
    """Call ``call`` on the deadlines' thread once ``time.monotonic()`` reaches ``at``; return a
    function that cancels the call if it has not run yet (it may be running meanwhile). ``call``
    must be quick and must not raise: it delays every other deadline."""
    return _DEADLINES.call_at(at, call)
