"""The one job runner: values and errors come back on the GUI thread, typed; a cancelled job's
outcome is dropped and its cancel callback runs once; closing cancels what is left."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from tiki_gui.ui.shared.jobs import JobRunner

WAIT_MS = 5_000


def test_a_value_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = JobRunner("test_jobs", threads=2)
    gui = threading.get_ident()
    seen: list[tuple[int, int]] = []
    worker: list[int] = []

    def call() -> int:
        worker.append(threading.get_ident())
        return 42

    job = runner.submit(call, lambda value: seen.append((value, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen == [(42, gui)]
    assert worker != [gui]
    assert not job.pending
    runner.close()


def test_an_error_goes_to_on_error_not_on_value(qtbot: QtBot) -> None:
    runner = JobRunner("test_jobs")
    values: list[object] = []
    errors: list[Exception] = []

    def call() -> int:
        raise LookupError("no such seller")

    runner.submit(call, values.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert values == []
    assert [type(e) for e in errors] == [LookupError]
    runner.close()


def test_a_cancelled_job_drops_its_outcome_and_calls_on_cancel_once(qtbot: QtBot) -> None:
    runner = JobRunner("test_jobs")
    started, release = threading.Event(), threading.Event()
    values: list[str] = []
    cancels: list[str] = []

    def call() -> str:
        started.set()
        release.wait(WAIT_MS / 1000)
        return "late"

    job = runner.submit(call, values.append, on_cancel=lambda: cancels.append("abort"))
    assert started.wait(WAIT_MS / 1000)
    job.cancel()
    job.cancel()  # once only
    assert cancels == ["abort"]
    assert job.cancelled
    assert not job.pending
    release.set()
    qtbot.waitUntil(lambda: runner.active == 0, timeout=WAIT_MS)
    # A later job on the same runner is delivered: the cancelled one was dropped, not delayed.
    runner.submit(lambda: "next", values.append)
    qtbot.waitUntil(lambda: bool(values), timeout=WAIT_MS)
    assert values == ["next"]
    runner.close()


def test_close_cancels_running_jobs_and_refuses_new_ones(qtbot: QtBot) -> None:
    runner = JobRunner("test_jobs")
    release = threading.Event()
    cancels: list[int] = []
    values: list[int] = []
    runner.submit(lambda: release.wait(WAIT_MS / 1000), on_cancel=lambda: cancels.append(1))
    release.set()
    runner.close()
    assert cancels == [1]
    late = runner.submit(lambda: 7, values.append, on_cancel=lambda: cancels.append(2))
    assert late.cancelled
    assert cancels == [1, 2]
    assert values == []


class _Painted(QObject):
    painted = Signal()


def test_held_calls_start_when_the_signal_comes(qtbot: QtBot) -> None:
    runner, window = JobRunner("test_jobs"), _Painted()
    runner.hold_until(window.painted, at_most_ms=60_000)
    seen: list[int] = []
    runner.submit(lambda: 1, seen.append)
    qtbot.wait(200)
    assert seen == []  # held: the window was not painted
    window.painted.emit()
    qtbot.waitUntil(lambda: seen == [1], timeout=WAIT_MS)
    runner.close()


def test_held_calls_start_anyway_after_at_most_ms(qtbot: QtBot) -> None:
    runner, window = JobRunner("test_jobs"), _Painted()  # a window never shown
    runner.hold_until(window.painted, at_most_ms=100)
    seen: list[int] = []
    runner.submit(lambda: 1, seen.append)
    assert seen == []
    qtbot.waitUntil(lambda: seen == [1], timeout=WAIT_MS)
    runner.close()
