"""The request deadlines' one thread: calls at their times, in order, cancellable."""

from __future__ import annotations

import threading
import time

import pytest

from tiki_gui.core.deadlines import call_at


def _deadline_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "tiki-gui-request-deadlines"]


def test_calls_come_at_their_times_in_order() -> None:
    done = threading.Event()
    calls: list[tuple[str, float]] = []
    start = time.monotonic()

    def note(name: str) -> None:
        calls.append((name, time.monotonic()))
        if len(calls) == 3:
            done.set()

    call_at(start + 0.15, lambda: note("late"))
    call_at(start + 0.05, lambda: note("early"))
    call_at(start + 0.10, lambda: note("middle"))
    assert done.wait(5)
    assert [name for name, _ in calls] == ["early", "middle", "late"]
    for (_, at), due in zip(calls, (0.05, 0.10, 0.15), strict=True):
        assert at >= start + due


def test_a_cancelled_call_never_runs_and_others_still_do() -> None:
    ran: list[str] = []
    done = threading.Event()

    def kept() -> None:
        ran.append("kept")
        done.set()

    cancel = call_at(time.monotonic() + 0.05, lambda: ran.append("cancelled"))
    call_at(time.monotonic() + 0.1, kept)
    cancel()
    assert done.wait(5)
    time.sleep(0.05)
    assert ran == ["kept"]
    cancel()  # again, after its time: nothing happens


def test_one_thread_serves_every_deadline() -> None:
    done = threading.Event()
    call_at(time.monotonic(), done.set)
    assert done.wait(5)
    before = threading.active_count()
    cancels = [call_at(time.monotonic() + 30, lambda: None) for _ in range(50)]
    assert threading.active_count() == before  # no thread per deadline
    assert len(_deadline_threads()) == 1
    for cancel in cancels:
        cancel()


def test_a_call_that_raises_does_not_stop_the_next(caplog: pytest.LogCaptureFixture) -> None:
    done = threading.Event()

    def broken() -> None:
        raise RuntimeError("broken")

    call_at(time.monotonic(), broken)
    call_at(time.monotonic() + 0.02, done.set)
    assert done.wait(5)
    assert any("deadline" in record.getMessage() for record in caplog.records)
