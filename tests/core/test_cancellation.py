"""The cancellation handle on its own: one-way, thread-safe, callbacks once."""

from __future__ import annotations

import threading

import pytest

from tiki_gui.core.cancellation import Cancellation, RequestGuard, StopReason
from tiki_gui.core.errors import RequestCancelledError, TransportError
from tiki_gui.storage.retry import is_retryable


def test_cancel_calls_each_callback_once_and_stays_cancelled() -> None:
    cancellation = Cancellation()
    calls: list[str] = []
    cancellation.on_cancel(lambda: calls.append("a"))
    unregister = cancellation.on_cancel(lambda: calls.append("b"))
    unregister()
    assert not cancellation.cancelled
    threads = [threading.Thread(target=cancellation.cancel) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cancellation.cancelled
    assert calls == ["a"]
    # Registered after the cancel: called at once.
    cancellation.on_cancel(lambda: calls.append("late"))
    assert calls == ["a", "late"]
    assert repr(cancellation) == "Cancellation(cancelled=True)"


def test_a_failing_callback_does_not_stop_the_others() -> None:
    cancellation = Cancellation()
    calls: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    cancellation.on_cancel(broken)
    cancellation.on_cancel(lambda: calls.append("after"))
    cancellation.cancel()
    assert calls == ["after"]


def test_a_guard_keeps_the_first_reason_and_its_timer_ends() -> None:
    cancellation = Cancellation()
    with RequestGuard(0.05, cancellation) as guard:
        threading.Event().wait(0.3)
        assert guard.stopped is StopReason.DEADLINE
        cancellation.cancel()
        assert guard.stopped is StopReason.DEADLINE
    with RequestGuard(30, cancellation) as late:  # made after the cancel: stopped at once
        assert late.stopped is StopReason.CANCELLED
    with pytest.raises(ValueError, match="deadline"):
        RequestGuard(0)


def test_a_cancelled_request_is_a_transport_error_not_worth_retrying() -> None:
    error = RequestCancelledError("cancelled", reason="cancelled after 0.1 s")
    assert isinstance(error, TransportError)
    assert not is_retryable(error)
